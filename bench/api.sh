#!/usr/bin/env bash
# bench/api.sh: req/s, p99 latency and server CPU per request of the API's hot routes
# through nginx TLS, one wrk run each at 32 connections, and their ratio to
# GET /api/v1/healthz measured in the same run:
#   GET  /api/v1/healthz                  (the yardstick: no token, no database)
#   GET  /api/v1/readyz                   (the floor of any database read: SELECT 1)
#   GET  …/jobs/{id}                      goal >= 0.7 x healthz
#   GET  …/jobs?page_size=20              (a workspace holding BENCH_SEED_JOBS jobs)
#   POST …/manifests                      goal >= 0.4 x healthz and p99 < 20 ms
# Starts its own stack (scripts/stack) on free ports, the per-client rate limit lifted (wrk
# is one client) and the workspace quota lifted (the POST runs create jobs by the
# thousand), with a real tenant and bearer token.
# Generators are kept from starving the box during the POST runs as a busy service keeps
# them: every slot is taken. Two stand-in generators (one psql session holding both of
# the host's slot locks, max_generators = 2, and two claimed `running` jobs with their
# job locks, exactly what two worlds-gen processes hold) make each POST find the slots
# busy, so it inserts its job and starts nothing, while no generator burns the CPUs. A
# second POST run, with the stand-ins gone and the stack's `generator` set to /bin/true,
# shows the cost of a start per POST (the gated double fork and exec).
# "server us" is the CPU time (user + system) of PostgreSQL, nginx and worlds-api, all
# their processes, per request: on a shared machine it moves far less than req/s does.
# The summary is also written to bench/api.last.
#
#   bench/api.sh [BUILD_DIR]
#   env: BENCH_DURATION (10s) BENCH_CONNECTIONS (32) BENCH_THREADS (2) BENCH_WORKERS (4)
#        BENCH_LOG_LEVEL (info: one log line per request, as shipped) BENCH_SEED_JOBS (100)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${WORLDS_BUILD_DIR:-$top/build}}" && pwd) || exit 2
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
workers=${BENCH_WORKERS:-4}
seed_jobs=${BENCH_SEED_JOBS:-100}
for tool in wrk curl jq; do
	command -v $tool >/dev/null || { echo "bench: $tool missing (apt-get install $tool)" >&2; exit 2; }
done

. "$top/tests/lib/stack.sh"
trap stack_temp_stop EXIT
trap 'exit 130' INT TERM
stack_temp_start --bindir "$build" --no-rate-limit --workers "$workers" \
	--log-level "${BENCH_LOG_LEVEL:-info}" || exit 1
tmp=$STACK_DIR/bench
mkdir -p "$tmp"

ctl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@" >/dev/null 2>&1 || { echo "bench: worldsctl $1 $2 failed" >&2; exit 1; }; }
{
	echo "max_generators = 2"
	echo "max_active_jobs_per_workspace = 1000000"
} >>"$WORLDS_CONFIG"
ctl keygen --dir "$tmp" --name bench
cp "$tmp/bench.public" "$WORLDS_KEYS_DIR/bench.public"
"$STACK" reload --dir "$STACK_DIR" >/dev/null
ctl org add bench --name Bench
ctl workspace add bench main --name Main
ctl user add --email bench@example.com --username bench --full-name "Bench User"
ctl member add --user bench@example.com --org bench --workspace main --role admin
token=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user bench@example.com --ttl 3600 \
	--key "$tmp/bench.secret" 2>/dev/null) || { echo "bench: token issue failed" >&2; exit 1; }
base=/api/v1/org/bench/ws/main/worlds
auth="Authorization: Bearer $token"
body='{"name":"bench","preset":"small","seed":1}'

# The CPU ticks (user + system) of every process of the stack: PostgreSQL, nginx and
# worlds-api with all their children.
pstree_pids() {
	local p
	for p in "$@"; do
		echo "$p"
		pstree_pids $(ps -o pid= --ppid "$p")
	done
}
stack_ticks() {
	local p t=0 v
	for p in $(pstree_pids "$(head -n 1 "$STACK_DIR/pg/data/postmaster.pid")" \
		"$(cat "$STACK_DIR/run/nginx.pid")" "$(cat "$STACK_DIR/run/worlds-api.pid")"); do
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) && t=$((t + v))
	done
	echo "$t"
}

# measure NAME URL [wrk args]: prints "req/s p99_ms server_us_per_request"; fails on
# non-2xx answers or socket errors.
measure() {
	local name=$1 url=$2 out rps p99 t0 t1 n
	shift 2
	t0=$(stack_ticks)
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$@" "$BASE_URL$url" 2>&1)
	t1=$(stack_ticks)
	{ echo "# $name"; echo "$out" | sed 's/^/#   /'; } >&2
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench: errors while measuring $name" >&2
		return 1
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	n=$(awk '/requests in/ { print $1 }' <<<"$out")
	p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' <<<"$out")
	[ -n "$rps" ] && [ -n "$p99" ] && [ -n "$n" ] || return 1
	echo "$rps $p99 $(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$n" \
		'BEGIN { printf "%.0f", t * 1e6 / hz / n }')"
}

# Two stand-in generators: the session takes both slot locks, then claims the two oldest
# queued jobs with their job locks, and stays idle (no open snapshot) until killed.
host=$(hostname)
standins() {
	{
		echo "SELECT pg_advisory_lock(hashtext('worlds-slot:' || '$host'), 0),"
		echo "       pg_advisory_lock(hashtext('worlds-slot:' || '$host'), 1);"
		# Wait for the seed jobs below, then claim two of them.
		while [ ! -f "$tmp/seeded" ]; do sleep 0.1; done
		echo "WITH j AS (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at"
		echo "           LIMIT 2 FOR UPDATE)"
		echo "UPDATE jobs SET status = 'running', started_at = now(), attempts = attempts + 1,"
		echo "       runner = '$host:' || pg_backend_pid() WHERE id IN (SELECT id FROM j)"
		echo " RETURNING pg_advisory_lock(hashtextextended('worlds-job:' || id::text, 0));"
		echo "SELECT 'held';"
		sleep 3600
	} | psql "$WORLDS_DATABASE_URL" -XqAt >"$tmp/standins.out" 2>&1
}
# Before any job exists, so that no real generator ever starts: the seed jobs stay queued.
standins &
standins_pid=$!
trap 'pkill -P $standins_pid 2>/dev/null; kill $standins_pid 2>/dev/null; stack_temp_stop' EXIT
slots_held() {
	psql "$WORLDS_DATABASE_URL" -XAtc "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
		AND objsubid = 2 AND granted AND objid < 2"
}
for _ in $(seq 50); do [ "$(slots_held)" = 2 ] && break; sleep 0.1; done
[ "$(slots_held)" = 2 ] || { echo "bench: the stand-in generators took no slot" >&2; exit 1; }

# The reload reaches the workers within a moment.
for _ in $(seq 50); do
	[ "$(curl -sk -o /dev/null -w '%{http_code}' -H "$auth" "$BASE_URL$base/jobs")" = 200 ] && break
	sleep 0.2
done
job=""
for _ in $(seq "$seed_jobs"); do
	job=$(curl -sk -H "$auth" -H 'Content-Type: application/json' -d "$body" "$BASE_URL$base/manifests" | jq -r .id)
done
[ -n "$job" ] && [ "$job" != null ] || { echo "bench: POST /manifests did not answer a job" >&2; exit 1; }
touch "$tmp/seeded"
for _ in $(seq 50); do grep -q held "$tmp/standins.out" && break; sleep 0.1; done
grep -q held "$tmp/standins.out" || { echo "bench: the stand-in generators claimed no job" >&2; exit 1; }
for path in /api/v1/healthz /api/v1/readyz "$base/jobs/$job" "$base/jobs?page_size=20"; do
	code=$(curl -sk -o /dev/null -w '%{http_code}' -H "$auth" "$BASE_URL$path")
	[ "$code" = 200 ] || { echo "bench: $path answered $code" >&2; exit 1; }
done

cat >"$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
EOF

echo "# wrk -t$threads -c$conns -d$duration --latency, $(nproc) CPUs, worlds-api $workers workers, nginx worker_processes auto, log_level ${BENCH_LOG_LEVEL:-info}"
echo "# database over its unix socket; workspace quota lifted; load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r h_rps h_p99 h_cpu < <(measure "GET /api/v1/healthz" /api/v1/healthz) || exit 1
read -r r_rps r_p99 r_cpu < <(measure "GET /api/v1/readyz" /api/v1/readyz) || exit 1
read -r g_rps g_p99 g_cpu < <(measure "GET /jobs/{id}" "$base/jobs/$job" -H "$auth") || exit 1
read -r l_rps l_p99 l_cpu < <(measure "GET /jobs?page_size=20 ($seed_jobs jobs)" "$base/jobs?page_size=20" -H "$auth") || exit 1
read -r p_rps p_p99 p_cpu < <(measure "POST /manifests (generators busy)" "$base/manifests" -s "$tmp/post.lua") || exit 1

# Slots free: every POST starts a generator (/bin/true: the start is what is measured).
pkill -P $standins_pid 2>/dev/null
kill $standins_pid 2>/dev/null
wait $standins_pid 2>/dev/null
echo "generator = /bin/true" >>"$WORLDS_CONFIG"
"$STACK" reload --dir "$STACK_DIR" >/dev/null
sleep 2
read -r s_rps s_p99 s_cpu < <(measure "POST /manifests (slots free: a start per POST)" "$base/manifests" -s "$tmp/post.lua") || exit 1
created=$(curl -sk -H "$auth" "$BASE_URL$base/jobs?page_size=1" | jq -r .total)

ratio() { awk -v a="$1" -v b="$h_rps" 'BEGIN { printf "%.2f", a / b }'; }
g_ratio=$(ratio "$g_rps")
p_ratio=$(ratio "$p_rps")
row() { printf '%-28s %8.0f %8s %9s %6s   %s\n' "$1" "$2" "$3" "$4" "$(ratio "$2")" "${5:-}"; }
{
	printf '%-28s %8s %8s %9s %6s\n' route "req/s" "p99 ms" "server us" ratio
	row "GET /api/v1/healthz" "$h_rps" "$h_p99" "$h_cpu"
	row "GET /api/v1/readyz" "$r_rps" "$r_p99" "$r_cpu" "(one SELECT 1: the floor of any read)"
	row "GET /jobs/{id}" "$g_rps" "$g_p99" "$g_cpu" "goal >= 0.70"
	row "GET /jobs?page_size=20" "$l_rps" "$l_p99" "$l_cpu"
	row "POST /manifests" "$p_rps" "$p_p99" "$p_cpu" "goal >= 0.40, p99 < 20 ms (generators busy)"
	row "POST /manifests, slots free" "$s_rps" "$s_p99" "$s_cpu" "(a generator start per POST)"
	echo "jobs in the workspace after the run: $created"
} | tee "$tmp/summary"
{
	echo "# bench/api.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, wrk -t$threads -c$conns -d$duration, $workers workers"
	cat "$tmp/summary"
} >"$top/bench/api.last" 2>/dev/null || true
ok=1
awk -v r="$g_ratio" 'BEGIN { exit !(r >= 0.7) }' || { echo "goal missed: GET /jobs/{id} below 0.7 x healthz"; ok=0; }
awk -v r="$p_ratio" 'BEGIN { exit !(r >= 0.4) }' || { echo "goal missed: POST /manifests below 0.4 x healthz"; ok=0; }
awk -v p="$p_p99" 'BEGIN { exit !(p < 20) }' || { echo "goal missed: POST /manifests p99 >= 20 ms"; ok=0; }
[ $ok = 1 ]
