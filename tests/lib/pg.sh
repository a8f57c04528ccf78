# A throwaway PostgreSQL cluster for tests: source this file, then
#   dir=$(mktemp -d); pg_start "$dir" || exit 1; trap 'pg_stop "$dir"; rm -rf "$dir"' EXIT
# pg_start initialises DIR/data, listens only on a unix socket in DIR (no TCP), runs with
# fsync off, and exports WORLDS_DATABASE_URL (plus PGHOST, PGPORT, PGUSER, PGDATABASE for
# psql). As root the cluster runs as the postgres user and DIR is handed to it. pg_stop DIR
# stops it (the caller removes DIR). Needs PostgreSQL's server binaries (Debian:
# postgresql); pg_start returns 77 when they are missing, so callers can skip.

pg_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		echo "$PG_BINDIR"
		return 0
	fi
	for v in 15 16 17 14 13; do
		if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then
			echo "/usr/lib/postgresql/$v/bin"
			return 0
		fi
	done
	command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return 0
	return 1
}

# Runs a server binary as the cluster's owner.
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	_pg_dir=$1
	_pg_bin=$(pg_bindir) || { echo "# pg_start: no PostgreSQL server binaries" >&2; return 77; }
	[ -d "$_pg_dir" ] || mkdir -p "$_pg_dir" || return 1
	: >"$_pg_dir/log"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$_pg_dir" "$_pg_dir/log" || return 1
		chmod 0700 "$_pg_dir"
	fi
	if ! pg_as_owner "$_pg_bin/initdb" -D "$_pg_dir/data" --auth=trust --no-sync \
	    -U postgres -E UTF8 --locale=C >"$_pg_dir/initdb.log" 2>&1; then
		echo "# pg_start: initdb failed:" >&2
		sed 's/^/#   /' "$_pg_dir/initdb.log" >&2
		return 1
	fi
	# The socket lives in DIR, so the port only names it: any free-looking number will do.
	_pg_port=$(( 20000 + ($$ * 7 + $(date +%N | sed 's/^0*//;s/^$/0/') ) % 40000 ))
	if ! pg_as_owner "$_pg_bin/pg_ctl" start -w -t 60 -D "$_pg_dir/data" -l "$_pg_dir/log" \
	    -o "-c unix_socket_directories=$_pg_dir -c port=$_pg_port -c listen_addresses='' -c fsync=off -c full_page_writes=off" \
	    >/dev/null 2>&1; then
		echo "# pg_start: the server did not start:" >&2
		sed 's/^/#   /' "$_pg_dir/log" >&2
		return 1
	fi
	echo "$_pg_port" >"$_pg_dir/port"
	PGHOST=$_pg_dir
	PGPORT=$_pg_port
	PGUSER=postgres
	PGDATABASE=postgres
	WORLDS_DATABASE_URL="host=$_pg_dir port=$_pg_port user=postgres dbname=postgres"
	export PGHOST PGPORT PGUSER PGDATABASE WORLDS_DATABASE_URL
	return 0
}

pg_stop() {
	_pg_dir=$1
	_pg_bin=$(pg_bindir) || return 0
	[ -f "$_pg_dir/data/postmaster.pid" ] || return 0
	pg_as_owner "$_pg_bin/pg_ctl" stop -m immediate -w -D "$_pg_dir/data" >/dev/null 2>&1
	return 0
}
