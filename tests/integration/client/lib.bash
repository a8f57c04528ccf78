# tests/integration/client/lib.bash: running worlds(1) against the test stack (not a test
# itself). Source after lib.sh and contract/api-fixture.bash, then call client_setup. It sets
#   WORLDS_CLI                 the built client
#   CL_WS                      a fresh workspace of $AF_ORG (slug), CL_BASE its API path
# and defines:
#   cl [ARGS...]               worlds with the stack's server and CA, the fixture's editor
#                              token and $CL_WS (env WORLDS_* exported here; HOME is a
#                              private directory, so no user's client.conf is read). Sets
#                              CL_RC, CL_OUT, CL_ERR (files: $CL_OUT_FILE, $CL_ERR_FILE)
#   cl_as TOKEN [ARGS...]      the same with another token
#   expect_rc CODE WHAT        one TAP line on the last cl's exit status (stderr on failure)
#   expect_out_has TEXT WHAT / expect_err_has TEXT WHAT   a line of stdout / stderr is TEXT
#   expect_err_match ERE WHAT  a line of stderr matches ERE
#   same_json WHAT A B         both parse as JSON and are equal (keys in any order)
#   curl_json PATH [TOKEN]     the API's body for PATH through curl (editor's token)
#   standin_claim JOB PROGRESS a stand-in generator: a psql session that claims the queued
#                              job (running, with the job lock a generator holds) and
#                              keeps it until standin_end; standin_sql SQL runs more
#   closed_port                a TCP port on 127.0.0.1 nobody listens on

WORLDS_CLI=$WORLDS_BINDIR/worlds

client_setup() {
	CL_WS=cl-$(od -An -tx1 -N3 /dev/urandom | tr -d ' \n')
	CL_BASE=$(af_workspace "$CL_WS")
	mkdir -p "$T_TMP/home"
	export HOME=$T_TMP/home
	unset XDG_CONFIG_HOME DREADNODE_ORGANIZATION DREADNODE_WORKSPACE WORLDS_TOKEN_FILE
	export WORLDS_SERVER=$BASE_URL WORLDS_CACERT=$STACK_DIR/tls/cert.pem
	export WORLDS_ORGANIZATION=$AF_ORG WORLDS_WORKSPACE=$CL_WS WORLDS_TOKEN=$AF_EDITOR
	CL_OUT_FILE=$T_TMP/cl.out CL_ERR_FILE=$T_TMP/cl.err
}

cl() {
	"$WORLDS_CLI" "$@" >"$CL_OUT_FILE" 2>"$CL_ERR_FILE"
	CL_RC=$?
	CL_OUT=$(cat "$CL_OUT_FILE")
	CL_ERR=$(cat "$CL_ERR_FILE")
}
cl_as() {
	local tok=$1
	shift
	WORLDS_TOKEN=$tok cl "$@"
}

expect_rc() {
	if [ "$CL_RC" = "$1" ]; then
		ok "$2"
	else
		not_ok "$2" "exit $1" "exit $CL_RC; stderr: $(head -c 400 "$CL_ERR_FILE"); stdout: $(head -c 200 "$CL_OUT_FILE")"
	fi
}

expect_out_has() {
	if grep -qxF -- "$1" "$CL_OUT_FILE"; then ok "$2"; else not_ok "$2" "a line '$1' on stdout" "$(head -c 600 "$CL_OUT_FILE")"; fi
}
expect_err_match() {
	if grep -qE -- "$1" "$CL_ERR_FILE"; then ok "$2"; else not_ok "$2" "a line matching /$1/ on stderr" "$(head -c 600 "$CL_ERR_FILE")"; fi
}
expect_err_has() {
	if grep -qxF -- "$1" "$CL_ERR_FILE"; then ok "$2"; else not_ok "$2" "a line '$1' on stderr" "$(head -c 600 "$CL_ERR_FILE")"; fi
}

same_json() {
	local got
	got=$(jq -n --argjson a "$2" --argjson b "$3" '$a == $b' 2>&1) || got="not JSON: $got"
	if [ "$got" = true ]; then ok "$1"; else not_ok "$1" "$(head -c 300 <<<"$3")" "$(head -c 300 <<<"$2") ($got)"; fi
}

curl_json() {
	curl -sS --cacert "$WORLDS_CACERT" -H "Authorization: Bearer ${2:-$AF_EDITOR}" "$BASE_URL$1"
}

standin_claim() {
	local fifo=$T_TMP/standin.in
	rm -f "$fifo"
	mkfifo "$fifo"
	# The session reads its statements from the fifo; a writer kept open holds it alive.
	psql "$WORLDS_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 <"$fifo" >"$T_TMP/standin.out" 2>&1 &
	STANDIN_PID=$!
	exec {STANDIN_FD}>"$fifo"
	on_exit standin_end
	echo "UPDATE jobs SET status = 'running', started_at = now(), progress = $2 WHERE id = '$1'
		AND status = 'queued' RETURNING pg_advisory_lock(hashtextextended('worlds-job:' || id::text, 0));" >&"$STANDIN_FD"
}
standin_sql() { af_sql "$1" >/dev/null; }
standin_end() {
	[ -n "${STANDIN_FD:-}" ] && exec {STANDIN_FD}>&-
	[ -n "${STANDIN_PID:-}" ] && wait "$STANDIN_PID" 2>/dev/null
	STANDIN_FD= STANDIN_PID=
}

closed_port() {
	# shellcheck source=../../lib/stack.sh
	. "$TOP_SRCDIR/tests/lib/stack.sh"
	stack_free_ports 1
}
