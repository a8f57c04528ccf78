# TAP for the auth shell tests: source it, call t_run / t_ok, finish with t_done.
t_n=0
t_failed=0
t_out=${TMPDIR:-/tmp}/auth-tap.$$.out
t_err=${TMPDIR:-/tmp}/auth-tap.$$.err

t_ok() { # t_ok STATUS DESCRIPTION (STATUS 0 passes)
	t_n=$((t_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $t_n - $2"
	else
		echo "not ok $t_n - $2"
		t_failed=$((t_failed + 1))
	fi
}

# t_run WANT_EXIT DESCRIPTION CMD...: runs CMD, keeps its stdout in $t_out and stderr in
# $t_err (and the last stdout line in $T_LAST), prints expected vs got on a mismatch.
t_run() {
	_want=$1
	_what=$2
	shift 2
	"$@" >"$t_out" 2>"$t_err" </dev/null
	_got=$?
	T_LAST=$(tail -n 1 "$t_out")
	[ -n "${t_all:-}" ] && cat "$t_out" "$t_err" >>"$t_all"
	t_ok $([ "$_got" = "$_want" ] && echo 0 || echo 1) "$_what (exit $_want)"
	if [ "$_got" != "$_want" ]; then
		echo "#   expected exit $_want, got $_got"
		sed 's/^/#   stdout: /' "$t_out"
		sed 's/^/#   stderr: /' "$t_err"
	fi
}

# t_grep PATTERN FILE DESCRIPTION
t_grep() {
	grep -Eq -- "$1" "$2"
	_s=$?
	t_ok $_s "$3"
	[ $_s = 0 ] || sed 's/^/#   got: /' "$2"
}

t_done() {
	rm -f "$t_out" "$t_err"
	echo "1..$t_n"
	[ "$t_failed" = 0 ]
}

t_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# The common start of every auth shell test: a temp dir, a PostgreSQL cluster in it, a
# config, the migrations applied. Sets $tmp, $cfg and $W (worldsctl with that config).
t_setup_db() {
	: "${top_srcdir:?top_srcdir unset: run through make check}"
	: "${top_builddir:?top_builddir unset: run through make check}"
	# WORLDS_<KEY> variables override the config file: one left exported in the shell
	# running make check (after `eval "$(scripts/stack env)"`, say) would point the
	# tests at another keys_dir or database.
	for _v in $(env | sed -n 's/^\(WORLDS_[A-Z0-9_]*\)=.*/\1/p'); do
		unset "$_v"
	done
	. "$top_srcdir/tests/lib/pg.sh"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/auth-test.XXXXXX") || exit 1
	chmod 0755 "$tmp"
	trap 'pg_stop "$tmp/pg"; rm -rf "$tmp"' EXIT
	pg_start "$tmp/pg"
	_rc=$?
	[ $_rc = 77 ] && t_skip_all "no PostgreSQL server binaries"
	if [ $_rc != 0 ]; then
		echo "Bail out! cannot start PostgreSQL"
		exit 1
	fi
	mkdir -p "$tmp/keys"
	t_all=$tmp/all-output.log
	cfg=$tmp/worlds.conf
	cat >"$cfg" <<CONF
database_url = $WORLDS_DATABASE_URL
keys_dir = $tmp/keys
token_issuer = worlds-test
token_audience = worlds-api-test
max_token_ttl = 3600
CONF
	W="$top_builddir/worldsctl --config $cfg"
	if ! $W migrate --sql-dir "$top_srcdir/sql" >"$tmp/migrate.log" 2>&1; then
		echo "Bail out! worldsctl migrate failed: $(tail -n 1 "$tmp/migrate.log")"
		exit 1
	fi
}
