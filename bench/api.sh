#!/usr/bin/env bash
# bench/api.sh: req/s and p99 latency of the API's hot routes through nginx TLS, one run
# each with wrk at 32 connections, and their ratio to GET /api/v1/healthz measured in the
# same run:
#   GET  /api/v1/healthz                  (the yardstick: no token, no database)
#   GET  …/jobs/{id}                      goal >= 0.7 x healthz
#   GET  …/jobs?page_size=20              (a workspace holding BENCH_SEED_JOBS jobs)
#   POST …/manifests                      goal >= 0.4 x healthz and p99 < 20 ms
# Starts its own stack (scripts/stack) on free ports, the per-client rate limit lifted (wrk
# is one client), with a real tenant and bearer token. So that generators do not compete
# with the API for the CPUs while jobs are created by the thousand, the stack's `generator`
# is /bin/true for the whole run (jobs stay queued; the spawn itself, a double fork and an
# exec of /bin/true, is still paid by every POST) and the workspace quota is lifted.
# A second POST run shows the cost without that spawn: max_generators = 1 and the bench
# itself holds that one generator slot (the advisory lock a running generator holds), as
# when every slot is busy, so POST only inserts the job.
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
	echo "generator = /bin/true"
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
for path in /api/v1/healthz "$base/jobs/$job" "$base/jobs?page_size=20"; do
	code=$(curl -sk -o /dev/null -w '%{http_code}' -H "$auth" "$BASE_URL$path")
	[ "$code" = 200 ] || { echo "bench: $path answered $code" >&2; exit 1; }
done

cat >"$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
EOF

# measure NAME URL [wrk args]: prints "req/s p99_ms"; fails on non-2xx answers or socket errors.
measure() {
	local name=$1 url=$2 out rps p99
	shift 2
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$@" "$BASE_URL$url" 2>&1)
	{ echo "# $name"; echo "$out" | sed 's/^/#   /'; } >&2
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench: errors while measuring $name" >&2
		return 1
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' <<<"$out")
	[ -n "$rps" ] && [ -n "$p99" ] || return 1
	echo "$rps $p99"
}

echo "# wrk -t$threads -c$conns -d$duration --latency, $(nproc) CPUs, worlds-api $workers workers, nginx worker_processes auto, log_level ${BENCH_LOG_LEVEL:-info}"
echo "# generator = /bin/true during the whole run (jobs stay queued; no generator competes for the CPUs);"
echo "# the workspace quota is lifted, so the queued jobs the POST runs create add up (and so does"
echo "# the per-create count of active jobs); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r h_rps h_p99 < <(measure "GET /api/v1/healthz" /api/v1/healthz) || exit 1
read -r g_rps g_p99 < <(measure "GET /jobs/{id}" "$base/jobs/$job" -H "$auth") || exit 1
read -r l_rps l_p99 < <(measure "GET /jobs?page_size=20 ($seed_jobs jobs)" "$base/jobs?page_size=20" -H "$auth") || exit 1
read -r p_rps p_p99 < <(measure "POST /manifests" "$base/manifests" -s "$tmp/post.lua") || exit 1

# Every generator slot busy: POST finds no free slot and starts nothing.
echo "max_generators = 1" >>"$WORLDS_CONFIG"
"$STACK" reload --dir "$STACK_DIR" >/dev/null
psql "$WORLDS_DATABASE_URL" -Xq -c "SELECT pg_advisory_lock(hashtext('worlds-slot:' || '$(hostname)'), 0)" \
	-c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
slot_pid=$!
trap 'kill $slot_pid 2>/dev/null; stack_temp_stop' EXIT
sleep 2
read -r s_rps s_p99 < <(measure "POST /manifests, generator slots busy (no spawn)" "$base/manifests" -s "$tmp/post.lua") || exit 1
kill $slot_pid 2>/dev/null
created=$(curl -sk -H "$auth" "$BASE_URL$base/jobs?page_size=1" | jq -r .total)

ratio() { awk -v a="$1" -v b="$h_rps" 'BEGIN { printf "%.2f", a / b }'; }
g_ratio=$(ratio "$g_rps")
l_ratio=$(ratio "$l_rps")
p_ratio=$(ratio "$p_rps")
s_ratio=$(ratio "$s_rps")
{
	printf '%-26s %9s %9s %7s\n' route "req/s" "p99 ms" ratio
	printf '%-26s %9.0f %9s %7s\n' "GET /api/v1/healthz" "$h_rps" "$h_p99" 1.00
	printf '%-26s %9.0f %9s %7s   goal >= 0.70\n' "GET /jobs/{id}" "$g_rps" "$g_p99" "$g_ratio"
	printf '%-26s %9.0f %9s %7s\n' "GET /jobs?page_size=20" "$l_rps" "$l_p99" "$l_ratio"
	printf '%-26s %9.0f %9s %7s   goal >= 0.40, p99 < 20 ms\n' "POST /manifests" "$p_rps" "$p_p99" "$p_ratio"
	printf '%-26s %9.0f %9s %7s   (slots busy: no generator start)\n' "POST /manifests, no spawn" "$s_rps" "$s_p99" "$s_ratio"
	echo "jobs in the workspace after the run: $created"
} | tee "$tmp/summary"
{
	echo "# bench/api.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, wrk -t$threads -c$conns -d$duration, $workers workers, generator /bin/true"
	cat "$tmp/summary"
} >"$top/bench/api.last" 2>/dev/null || true
ok=1
awk -v r="$g_ratio" 'BEGIN { exit !(r >= 0.7) }' || { echo "goal missed: GET /jobs/{id} below 0.7 x healthz"; ok=0; }
awk -v r="$p_ratio" 'BEGIN { exit !(r >= 0.4) }' || { echo "goal missed: POST /manifests below 0.4 x healthz"; ok=0; }
awk -v p="$p_p99" 'BEGIN { exit !(p < 20) }' || { echo "goal missed: POST /manifests p99 >= 20 ms"; ok=0; }
[ $ok = 1 ]
