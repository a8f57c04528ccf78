#!/usr/bin/env bash
# Job execution benchmark: a throwaway PostgreSQL, worlds-api on a unix socket, requests
# over FastCGI with cgi-fcgi (no nginx in the path), a real bearer token.
#   bench/jobs.sh [BUILD_DIR]      (default ./build; needs cgi-fcgi from libfcgi-bin)
# Prints:
#   1. small preset, POST -> completed as seen by polling GET /jobs/{id}: median and p95
#      over N sequential jobs, from one client process (bench/fcgi-poll.py, python3), and
#      the server-side created_at -> completed_at
#   2. small jobs per second with the default cap (max_generators = CPUs)
#   3. the enterprise maximum (50000 users, 10000 hosts) end to end, storage included,
#      and what one such world costs in the database (document: bytea lz4 vs pglz vs jsonb)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${WORLDS_BUILD_DIR:-$top/build}}" && pwd) || exit 2
N=${BENCH_N:-100}
BURST=${BENCH_BURST:-200}
RUNS=${BENCH_RUNS:-3}
SECTIONS=${BENCH_SECTIONS:-123}   # which of the sections below to run, e.g. 3
. "$top/tests/lib/pg.sh"
command -v cgi-fcgi >/dev/null || { echo "bench: cgi-fcgi missing (apt-get install libfcgi-bin)"; exit 2; }

dir=$(mktemp -d /tmp/jobs-bench.XXXXXX)
chmod 755 "$dir"
api_pid=""
cleanup() {
	[ "${BENCH_KEEP:-0}" = 1 ] && return
	[ -n "$api_pid" ] && kill -TERM -- "-$api_pid" 2>/dev/null
	sleep 0.5
	pg_stop "$dir/pg"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start "$dir/pg" || exit 1
[ "${BENCH_KEEP:-0}" = 1 ] && echo "bench: keeping $dir (PGHOST=$PGHOST PGPORT=$PGPORT)"
q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
ctl() { "$build/worldsctl" "$@"; }

export WORLDS_GENERATOR="$build/worlds-gen" WORLDS_KEYS_DIR="$dir/keys" WORLDS_SOCKET="$dir/api.sock"
export WORLDS_WORKERS=${WORLDS_WORKERS:-4} WORLDS_LOG_LEVEL=debug
export WORLDS_MAX_ACTIVE_JOBS_PER_WORKSPACE=100000
ctl migrate --sql-dir "$top/sql" >/dev/null 2>&1 || { echo "bench: migrate failed"; exit 1; }
mkdir -p "$dir/keys"
ctl keygen --dir "$dir/keys" --name bench >/dev/null
ctl org add bench --name Bench >/dev/null
ctl workspace add bench main --name Main >/dev/null
ctl user add --email bench@example.com --username bench >/dev/null
ctl member add --user bench@example.com --org bench --workspace main --role admin >/dev/null
token=$(ctl token issue --user bench@example.com --ttl 86400 --key "$dir/keys/bench.secret")
setsid "$build/worlds-api" </dev/null >"$dir/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 100); do [ -S "$dir/api.sock" ] && break; sleep 0.05; done
base=/api/v1/org/bench/ws/main/worlds

# fcgi METHOD PATH [BODY]: the response body on stdout (headers dropped).
fcgi() {
	local body=${3:-}
	env -i REQUEST_METHOD="$1" DOCUMENT_URI="$2" SCRIPT_NAME="$2" REQUEST_URI="$2" \
	    QUERY_STRING="" CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} HTTPS=on \
	    SERVER_PROTOCOL=HTTP/1.1 HTTP_X_FORWARDED_PROTO=https \
	    HTTP_AUTHORIZATION="Bearer $token" \
	    cgi-fcgi -bind -connect "$dir/api.sock" <<<"$body" | sed '1,/^\r\{0,1\}$/d'
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
post_job() { fcgi POST "$base/manifests" "$1" | jq -r .id; }
wait_job() { # id -> prints the final status
	local st
	while :; do
		st=$(fcgi GET "$base/jobs/$1" | jq -r .status)
		case $st in completed|failed|cancelled) echo "$st"; return;; esac
		sleep 0.002
	done
}
pct() { sort -n | awk -v p="$1" '{ a[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; print a[i] }'; }

first=$(post_job '{"preset": "small", "seed": 1}')
[ -n "$first" ] && [ "$first" != null ] || { echo "bench: POST failed:"; fcgi POST "$base/manifests" '{}'; cat "$dir/api.log"; exit 1; }
wait_job "$first" >/dev/null

if [[ $SECTIONS == *1* ]]; then
echo "== 1. small preset, POST -> completed (polling GET /jobs/{id}), $N sequential jobs"
# One client process speaking FastCGI, polling every 2 ms (bench/fcgi-poll.py): a process
# started per request (cgi-fcgi, jq) would add tens of milliseconds of its own per job.
if command -v python3 >/dev/null; then
	echo "client (one process, FastCGI, a poll every 2 ms): $(python3 "$top/bench/fcgi-poll.py" \
		"$dir/api.sock" "$token" "$base" "$N" 1001)"
else
	: >"$dir/lat"
	for i in $(seq 1 "$N"); do
		t0=$(now_ms)
		id=$(post_job "{\"preset\": \"small\", \"seed\": $((1000 + i))}")
		st=$(wait_job "$id")
		echo $(( $(now_ms) - t0 )) >>"$dir/lat"
		[ "$st" = completed ] || echo "job $id: $st"
	done
	echo "client (POST + polls, each request a cgi-fcgi process; no python3): median $(pct 50 <"$dir/lat") ms, p95 $(pct 95 <"$dir/lat") ms"
fi
q "SELECT 'server (created_at -> completed_at): median ' ||
     round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 1) || ' ms, p95 ' ||
     round(percentile_cont(0.95) WITHIN GROUP (ORDER BY d)::numeric, 1) || ' ms'
   FROM (SELECT extract(epoch FROM completed_at - created_at) * 1000 d FROM jobs
         WHERE status = 'completed' ORDER BY created_at DESC LIMIT $N) x"

fi
if [[ $SECTIONS == *2* ]]; then
echo "== 2. small jobs per second, default cap (max_generators = $(nproc) CPUs), $BURST posted at once"
q "DELETE FROM manifests; DELETE FROM jobs"
t0=$(now_ms)
pids=""
for i in $(seq 1 "$BURST"); do
	fcgi POST "$base/manifests" "{\"preset\": \"small\", \"seed\": $((5000 + i))}" >/dev/null &
	pids="$pids $!"
	if [ $((i % 16)) -eq 0 ]; then wait $pids; pids=""; fi
done
wait $pids
while [ "$(q "SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')")" != 0 ]; do sleep 0.05; done
ms=$(( $(now_ms) - t0 ))
q "SELECT count(*) || ' completed, ' || round(count(*) / extract(epoch FROM max(completed_at) - min(created_at))::numeric, 1)
     || ' jobs/s (first created -> last completed, server clock)' FROM jobs WHERE status = 'completed'"
echo "wall clock for $BURST: $ms ms; max attempts $(q "SELECT max(attempts) FROM jobs")"

fi
[[ $SECTIONS == *3* ]] || exit 0
echo "== 3. enterprise maximum (50000 users, 10000 hosts), end to end"
vac() { q "DELETE FROM manifests" && q "DELETE FROM jobs" && for t in manifest_nodes_shared \
	manifest_edge_rows_shared manifest_hosts_shared manifest_principals_shared \
	manifest_credentials_shared manifest_artifacts_shared manifest_documents; do
	q "VACUUM FULL $t"; done; }
# CPU time (ms) of the generator and of its database backend, sampled until the job ends:
# on a shared machine the wall clock says as much about the neighbours as about the job.
tck=$(getconf CLK_TCK)
cpu_ms() { [ -r "/proc/$1/stat" ] && awk -v t="$tck" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$1/stat"; }
cpu_watch() { # job id: writes "generator_ms backend_ms" to $dir/cpu until the generator exits
	local gp="" bp="" g b
	for _ in $(seq 2000); do gp=$(pgrep -f "worlds-gen --job $1" | head -1); [ -n "$gp" ] && break; sleep 0.005; done
	[ -n "$gp" ] || return
	for _ in $(seq 400); do
		bp=$(q "SELECT pid FROM pg_stat_activity WHERE application_name LIKE '%:$gp'")
		[ -n "$bp" ] && break; sleep 0.005
	done
	while [ -d "/proc/$gp" ]; do
		g=$(cpu_ms "$gp") b=$(cpu_ms "$bp")
		[ -n "$g" ] && [ -n "$b" ] && echo "$g $b" >"$dir/cpu.tmp" && mv "$dir/cpu.tmp" "$dir/cpu"
		sleep 0.02
	done
}
vac
for run in $(seq 1 "$RUNS"); do
	rm -f "$dir/cpu"
	t0=$(now_ms)
	id=$(post_job "{\"preset\": \"enterprise\", \"num_users\": 50000, \"num_hosts\": 10000, \"seed\": $run}")
	cpu_watch "$id" & watcher=$!
	st=$(wait_job "$id")
	ms=$(( $(now_ms) - t0 ))
	read -r gcpu bcpu <"$dir/cpu" 2>/dev/null || gcpu=? bcpu=?
	kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
	echo "run $run: $st in $ms ms end to end; server: $(q "SELECT
	  round(extract(epoch FROM started_at - created_at) * 1000) || ' ms to claim, ' ||
	  round(extract(epoch FROM completed_at - started_at) * 1000) || ' ms generate + store'
	  FROM jobs WHERE id = '$id'"); CPU at completion: generator $gcpu ms, its backend $bcpu ms"
	[ "$run" -lt "$RUNS" ] && vac
done
# The sizes below include what the generator does after its commit (the search index of a
# world with its own tables): wait for it to exit.
for _ in $(seq 300); do pgrep -f "worlds-gen --job $id" >/dev/null || break; sleep 0.1; done
grep "job $id completed in" "$dir/api.log"
grep "job $id: " "$dir/api.log" | sed 's/^/  /'
q "SELECT 'document ' || size_bytes || ' bytes, stored (bytea, ' ||
     (SELECT attcompression FROM pg_attribute WHERE attrelid = 'manifest_documents'::regclass
      AND attname = 'document')::text || '): ' || pg_column_size(d.document) || ' bytes'
   FROM manifests m JOIN manifest_documents d ON d.manifest_id = m.id"
# A table's bytes: the shared table's and those of the world's own tables (sql/012).
tsize() { echo "(pg_total_relation_size('${1}_shared') + (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)
	FROM pg_partition_tree('${1}_own') WHERE isleaf))"; }
for t in manifest_nodes manifest_edge_rows manifest_hosts manifest_principals manifest_credentials manifest_artifacts; do
	echo "  $t: $(q "SELECT count(*) FROM $t") rows, $(q "SELECT pg_size_pretty($(tsize $t))") with indexes"
done
echo "stored bytes per world (document + graph rows + indexes): $(q "SELECT
   pg_total_relation_size('manifest_documents') + pg_total_relation_size('manifests')
   + $(tsize manifest_nodes) + $(tsize manifest_edge_rows) + $(tsize manifest_hosts)
   + $(tsize manifest_principals) + $(tsize manifest_credentials) + $(tsize manifest_artifacts)")"
echo "-- the document's stored forms (the same world):"
psql -qAtX <<'SQL'
CREATE TEMP TABLE f_pglz (b bytea COMPRESSION pglz);
CREATE TEMP TABLE f_lz4 (b bytea COMPRESSION lz4);
CREATE TEMP TABLE f_jsonb (j jsonb);
\timing on
-- (|| '' makes a new value: a stored one would be copied still compressed as it was)
INSERT INTO f_lz4 SELECT document || ''::bytea FROM manifest_documents;
INSERT INTO f_pglz SELECT document || ''::bytea FROM manifest_documents;
INSERT INTO f_jsonb SELECT convert_from(document, 'UTF8')::jsonb FROM manifest_documents;
\timing off
SELECT 'bytea lz4 ' || (SELECT pg_column_size(b) FROM f_lz4) || ' B, bytea pglz ' ||
       (SELECT pg_column_size(b) FROM f_pglz) || ' B, jsonb (TOAST pglz) ' ||
       (SELECT pg_column_size(j) FROM f_jsonb) || ' B; jsonb keeps the bytes: ' ||
       (SELECT (j::text = convert_from(d.document, 'UTF8'))::text FROM f_jsonb, manifest_documents d);
\timing on
SELECT length(b) AS read_lz4 FROM f_lz4;
SELECT length(b) AS read_pglz FROM f_pglz;
SELECT length(j::text) AS read_jsonb_as_text FROM f_jsonb;
SQL
