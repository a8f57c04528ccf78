#!/usr/bin/env bash
# bench/healthz.sh: req/s of GET /api/v1/healthz through nginx TLS + FastCGI + worlds-api,
# and of an nginx `return 200` location on the same TLS server, from one run, and their ratio
# (goal: >= 0.2). Starts its own stack (scripts/stack) on free ports with the shipped nginx
# files, the per-client rate limit lifted (wrk is one client), then stops it. The summary
# is also written to bench/healthz.last.
#
# libfcgi's LIBFCGI_OS_CLOSE_POLL_TIMEOUT / LIBFCGI_IS_AF_UNIX_KEEPER_POLL_TIMEOUT pass
# through to worlds-api if set; measured here they change nothing beyond the noise, and a
# keeper timeout of 0 breaks requests (nginx gets 502s), so the defaults stay.
#
#   bench/healthz.sh [BUILD_DIR]
#   env: BENCH_DURATION (10s) BENCH_CONNECTIONS (32) BENCH_THREADS (2) BENCH_WORKERS (4)
#        BENCH_LOG_LEVEL (info: the default one line per request)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${WORLDS_BUILD_DIR:-$top/build}}" && pwd) || exit 2
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
command -v wrk >/dev/null || { echo "bench: wrk missing (apt-get install wrk)" >&2; exit 2; }

. "$top/tests/lib/stack.sh"
trap stack_temp_stop EXIT
trap 'exit 130' INT TERM
stack_temp_start --bindir "$build" --no-rate-limit --workers "${BENCH_WORKERS:-4}" \
	--log-level "${BENCH_LOG_LEVEL:-info}" --extra-conf "$top/bench/nginx-bench.conf" || exit 1

# Both URLs must answer 200 before they are measured.
for path in /api/v1/healthz /bench/nginx-200; do
	code=$(curl -sk -o /dev/null -w '%{http_code}' "$BASE_URL$path")
	[ "$code" = 200 ] || { echo "bench: $path answered $code" >&2; exit 1; }
done

# Prints req/s; fails when wrk saw non-2xx answers or socket errors.
measure() {
	local out rps
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$BASE_URL$1" 2>&1)
	echo "$out" | sed 's/^/#   /' >&2
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench: errors while measuring $1" >&2
		return 1
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	[ -n "$rps" ] || return 1
	echo "$rps"
}

echo "# wrk -t$threads -c$conns -d$duration, $(nproc) CPUs, worlds-api ${BENCH_WORKERS:-4} workers, nginx worker_processes auto"
echo "# GET /api/v1/healthz (nginx TLS -> FastCGI -> worlds-api)" >&2
api=$(measure /api/v1/healthz) || exit 1
echo "# GET /bench/nginx-200 (nginx TLS, return 200)" >&2
ngx=$(measure /bench/nginx-200) || exit 1
ratio=$(awk -v a="$api" -v b="$ngx" 'BEGIN { printf "%.2f", a / b }')
{
	printf 'healthz via FastCGI: %10.0f req/s\n' "$api"
	printf 'nginx return 200:    %10.0f req/s\n' "$ngx"
	printf 'ratio: %s (goal >= 0.2)\n' "$ratio"
} | tee "$STACK_DIR/summary"
# The last result stays next to the script (bench/healthz.last).
{
	echo "# bench/healthz.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, wrk -t$threads -c$conns -d$duration"
	cat "$STACK_DIR/summary"
} >"$top/bench/healthz.last" 2>/dev/null || true
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.2) }'
