# The job tests' fixture: a throwaway PostgreSQL with the migrations and one tenant, the
# built programs, TAP helpers, and cleanup of every process a test started.
#   . "$(dirname "$0")/lib.sh"; jt_setup; ...; jt_done
# Binaries come from $WORLDS_BUILD_DIR (or $top_builddir, or ./build).

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${WORLDS_BUILD_DIR:-${top_builddir:-$top_srcdir/build}}
build=$(cd "$build" 2>/dev/null && pwd || echo "$build")
GEN=${JOBS_GEN:-$build/worlds-gen}
API=${JOBS_API:-$build/worlds-api}
CTL=${JOBS_CTL:-$build/worldsctl}
. "$top_srcdir/tests/lib/pg.sh"

jt_n=0
jt_failed=0
jt_dir=""

ok() { # ok COND-EXIT-STATUS DESCRIPTION  (use: ok $? "what")
	jt_n=$((jt_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $jt_n - $2"
	else
		echo "not ok $jt_n - $2"
		jt_failed=$((jt_failed + 1))
	fi
}

is() { # is GOT WANT DESCRIPTION
	jt_n=$((jt_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $jt_n - $3"
	else
		echo "not ok $jt_n - $3"
		echo "#   expected: $2"
		echo "#        got: $1"
		jt_failed=$((jt_failed + 1))
	fi
}

diag() { echo "# $*"; }

jt_skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# Kills (by pid) every generator that worked on this test's database, and our servers.
jt_cleanup() {
	local pids p
	# jt_api runs in command substitutions: its pids are kept in a file, not a variable.
	for p in $(cat "$jt_dir/api.pids" 2>/dev/null); do
		kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null
	done
	if [ -n "$jt_dir" ] && [ -f "$jt_dir/pg/port" ]; then
		pids=$(q "SELECT substring(application_name from ':([0-9]+)$') FROM pg_stat_activity
		    WHERE application_name LIKE 'worlds-gen %'" \
		    2>/dev/null)
		for p in $pids; do kill -KILL "$p" 2>/dev/null; done
		pg_stop "$jt_dir/pg"
	fi
	[ -n "$jt_dir" ] && [ "${JOBS_KEEP:-0}" != 1 ] && rm -rf "$jt_dir"
}

jt_setup() {
	local rc
	for b in "$GEN" "$CTL"; do
		[ -x "$b" ] || jt_skip_all "$b not built"
	done
	jt_dir=$(mktemp -d /tmp/jobs-test.XXXXXX)
	chmod 755 "$jt_dir"
	trap jt_cleanup EXIT
	pg_start "$jt_dir/pg"
	rc=$?
	[ $rc -eq 77 ] && jt_skip_all "no PostgreSQL server binaries"
	[ $rc -ne 0 ] && { echo "Bail out! PostgreSQL did not start"; exit 1; }
	"$CTL" migrate --sql-dir "$top_srcdir/sql" >/dev/null 2>"$jt_dir/migrate.log" || {
		cat "$jt_dir/migrate.log"; echo "Bail out! migrate failed"; exit 1; }
	q "INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme');
	   INSERT INTO workspaces (organization_id, slug, name)
	     SELECT id, 'main', 'Main' FROM organizations;
	   INSERT INTO users (email, username) VALUES ('ed@acme.test', 'ed');" || exit 1
	export WORLDS_GENERATOR="$GEN"
	export WORLDS_MAX_GENERATORS=${WORLDS_MAX_GENERATORS:-2}
	export WORLDS_TICK_INTERVAL_MS=${WORLDS_TICK_INTERVAL_MS:-200}
	export WORLDS_WORKERS=1
	export WORLDS_KEYS_DIR="$jt_dir"
	export WORLDS_LOG_LEVEL=info
}

# jt_job [PARAMS-JSON]: inserts a queued manifest job as POST /manifests does; prints its id.
jt_job() {
	local params=${1:-'{"preset": "small", "seed": 1}'}
	q "INSERT INTO jobs (id, organization_id, workspace_id, kind, params, resource_type, created_by)
	   SELECT gen_random_uuid(), w.organization_id, w.id, 'manifest_generation', '$params'::jsonb,
	          'manifest', (SELECT id FROM users LIMIT 1)
	   FROM workspaces w LIMIT 1 RETURNING id"
}

jt_status() { q "SELECT status FROM jobs WHERE id = '$1'"; }

# jt_wait_sql SQL SECONDS: polls until SQL prints t; returns 1 on timeout.
jt_wait_sql() {
	local end=$(( $(date +%s%N) / 1000000 + $2 * 1000 ))
	while [ "$(q "$1" 2>/dev/null)" != t ]; do
		[ $(( $(date +%s%N) / 1000000 )) -ge $end ] && return 1
		sleep 0.05
	done
	return 0
}

# Every job terminal within SECONDS.
jt_wait_all_terminal() {
	jt_wait_sql "SELECT count(*) = 0 FROM jobs WHERE status IN ('queued', 'running')" "$1"
}

# jt_api NAME [HOSTNAME]: starts worlds-api (its own process group) on DIR/NAME.sock.
# With HOSTNAME (and the right to), it runs in a UTS namespace of that name: a second host.
jt_api() {
	local sock="$jt_dir/$1.sock" pid
	[ -x "$API" ] || return 1
	if [ -n "${2:-}" ] && unshare --uts true 2>/dev/null; then
		WORLDS_SOCKET="$sock" setsid unshare --uts sh -c "hostname '$2' && exec '$API'" \
		    </dev/null >>"$jt_dir/$1.log" 2>&1 &
	else
		WORLDS_SOCKET="$sock" setsid "$API" </dev/null >>"$jt_dir/$1.log" 2>&1 &
	fi
	pid=$!
	echo "$pid" >>"$jt_dir/api.pids"
	echo "$pid"
}

# Generators of this test running right now (by our binary's path).
jt_gen_count() { ps -eo args= | grep -c "^$GEN --job" ; }

# Zombies whose parent is one of the given pids.
jt_zombies_of() {
	local p n=0
	for p in "$@"; do
		n=$((n + $(ps -o stat= --ppid "$p" 2>/dev/null | grep -c '^Z')))
	done
	echo $n
}

jt_done() {
	echo "1..$jt_n"
	[ "$jt_failed" -eq 0 ]
}
