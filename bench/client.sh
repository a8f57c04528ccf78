#!/usr/bin/env bash
# bench/client.sh: worlds(1) against curl, side by side in one run on one stack:
#   job-get round trip       `worlds job-get ID` vs `curl …/jobs/ID`, each a whole process
#                            (start, TLS handshake, request, exit), alternated, medians;
#                            goal: worlds <= 2 x curl
#   manifest-download        the enterprise-maximum document (50000 users, 10000 hosts)
#                            to a file: `worlds manifest-download ID -o F` (record read,
#                            streaming, sha256 check, rename) vs `curl -o F` of the
#                            document, alternated, medians of MB/s; goal >= 0.90 x curl
#   peak RSS                 /usr/bin/time -v of that download; goal <= 16 MB
# Starts its own stack (scripts/stack, rate limit lifted: the loop is one client). The
# summary is also written to bench/client.last.
#
#   bench/client.sh [BUILD_DIR]
#   env: BENCH_GET_RUNS (60) BENCH_DOWNLOAD_RUNS (9)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${WORLDS_BUILD_DIR:-$top/build}}" && pwd) || exit 2
get_runs=${BENCH_GET_RUNS:-60}
dl_runs=${BENCH_DOWNLOAD_RUNS:-9}
for tool in curl jq /usr/bin/time; do
	command -v $tool >/dev/null || { echo "bench: $tool missing" >&2; exit 2; }
done
[ -x "$build/worlds" ] || { echo "bench: no $build/worlds (make first)" >&2; exit 2; }

. "$top/tests/lib/stack.sh"
trap stack_temp_stop EXIT
trap 'exit 130' INT TERM
stack_temp_start --bindir "$build" --no-rate-limit || exit 1
tmp=$STACK_DIR/bench
mkdir -p "$tmp"

ctl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@" >/dev/null 2>&1 || { echo "bench: worldsctl $1 $2 failed" >&2; exit 1; }; }
ctl keygen --dir "$tmp" --name bench
cp "$tmp/bench.public" "$WORLDS_KEYS_DIR/bench.public"
"$STACK" reload --dir "$STACK_DIR" >/dev/null
ctl org add bench --name Bench
ctl workspace add bench main --name Main
ctl user add --email bench@example.com --username bench
ctl member add --user bench@example.com --org bench --workspace main --role admin
"$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user bench@example.com --ttl 3600 \
	--key "$tmp/bench.secret" >"$tmp/token" 2>/dev/null || { echo "bench: token issue failed" >&2; exit 1; }
export WORLDS_SERVER=$BASE_URL WORLDS_CACERT=$STACK_DIR/tls/cert.pem WORLDS_TOKEN_FILE=$tmp/token
export WORLDS_ORGANIZATION=bench WORLDS_WORKSPACE=main HOME=$tmp
auth="Authorization: Bearer $(cat "$tmp/token")"
base=$BASE_URL/api/v1/org/bench/ws/main/worlds
W=$build/worlds
sleep 1

echo "# the enterprise-maximum world (50000 users, 10000 hosts), made with worlds itself"
mid=$("$W" -q manifest-create --num-users 50000 --num-hosts 10000 --seed 1 --wait \
	--poll-interval-sec 0.5 --timeout-sec 600) || { echo "bench: the world was not made" >&2; exit 1; }
job=$(curl -s --cacert "$WORLDS_CACERT" -H "$auth" "$base/manifests/$mid" | jq -r .source_job_id)
size=$(curl -s --cacert "$WORLDS_CACERT" -H "$auth" "$base/manifests/$mid" | jq -r .size_bytes)
echo "# manifest $mid: $size bytes; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# job-get: whole processes, alternated so that the box's noise falls on both alike.
: >"$tmp/get.worlds"
: >"$tmp/get.curl"
for ((i = 0; i < get_runs; i++)); do
	t=$(now)
	"$W" job-get "$job" >/dev/null || { echo "bench: worlds job-get failed" >&2; exit 1; }
	echo $((($(now) - t) / 1000)) >>"$tmp/get.worlds"
	t=$(now)
	curl -sf --cacert "$WORLDS_CACERT" -H "$auth" -o /dev/null "$base/jobs/$job" ||
		{ echo "bench: curl failed" >&2; exit 1; }
	echo $((($(now) - t) / 1000)) >>"$tmp/get.curl"
done
gw=$(median <"$tmp/get.worlds")
gc=$(median <"$tmp/get.curl")
g_ratio=$(awk -v a="$gw" -v b="$gc" 'BEGIN { printf "%.2f", a / b }')

# manifest-download: both to a file in the same directory.
: >"$tmp/dl.worlds"
: >"$tmp/dl.curl"
: >"$tmp/rss.worlds"
: >"$tmp/rss.curl"
for ((i = 0; i < dl_runs; i++)); do
	rm -f "$tmp/w.json" "$tmp/c.json"
	t=$(now)
	/usr/bin/time -v -o "$tmp/time.w" "$W" -q manifest-download "$mid" -o "$tmp/w.json" ||
		{ echo "bench: worlds manifest-download failed" >&2; exit 1; }
	echo $((($(now) - t) / 1000)) >>"$tmp/dl.worlds"
	t=$(now)
	/usr/bin/time -v -o "$tmp/time.c" curl -sf --cacert "$WORLDS_CACERT" -H "$auth" \
		-o "$tmp/c.json" "$base/manifests/$mid/document" || { echo "bench: curl failed" >&2; exit 1; }
	echo $((($(now) - t) / 1000)) >>"$tmp/dl.curl"
	sed -n 's/^\tMaximum resident set size (kbytes): //p' "$tmp/time.w" >>"$tmp/rss.worlds"
	sed -n 's/^\tMaximum resident set size (kbytes): //p' "$tmp/time.c" >>"$tmp/rss.curl"
done
cmp -s "$tmp/w.json" "$tmp/c.json" || { echo "bench: worlds and curl wrote different bytes" >&2; exit 1; }
dw=$(median <"$tmp/dl.worlds")
dc=$(median <"$tmp/dl.curl")
mbs() { awk -v s="$size" -v us="$1" 'BEGIN { printf "%.0f", s / us }'; }
d_ratio=$(awk -v a="$dw" -v b="$dc" 'BEGIN { printf "%.2f", b / a }')
rw=$(sort -n "$tmp/rss.worlds" | tail -n 1)
rc=$(sort -n "$tmp/rss.curl" | tail -n 1)
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
range() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f", lo / 1000, hi / 1000 }'; }

{
	printf '%-34s %10s %10s %7s   %s\n' "" worlds curl ratio goal
	printf '%-34s %10s %10s %7s   %s\n' "job-get round trip, median ms" "$(ms "$gw")" "$(ms "$gc")" \
		"$g_ratio" "<= 2.00 (worlds / curl), $get_runs runs each"
	printf '%-34s %10s %10s\n' "  range ms" "$(range "$tmp/get.worlds")" "$(range "$tmp/get.curl")"
	printf '%-34s %10s %10s %7s   %s\n' "manifest-download, median MB/s" "$(mbs "$dw")" "$(mbs "$dc")" \
		"$d_ratio" ">= 0.90 (worlds / curl), $dl_runs runs each, $size bytes"
	printf '%-34s %10s %10s\n' "  range ms" "$(range "$tmp/dl.worlds")" "$(range "$tmp/dl.curl")"
	printf '%-34s %10s %10s %7s   %s\n' "download peak RSS, MB (max of runs)" \
		"$(awk -v k="$rw" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$(awk -v k="$rc" 'BEGIN { printf "%.1f", k / 1024 }')" "" "<= 16 MB (worlds)"
	echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$tmp/summary"
{
	echo "# bench/client.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')"
	cat "$tmp/summary"
} >"$top/bench/client.last" 2>/dev/null || true
ok=1
awk -v r="$g_ratio" 'BEGIN { exit !(r <= 2.0) }' || { echo "goal missed: job-get above 2 x curl"; ok=0; }
awk -v r="$d_ratio" 'BEGIN { exit !(r >= 0.9) }' || { echo "goal missed: download below 0.9 x curl"; ok=0; }
[ "$rw" -le 16384 ] || { echo "goal missed: peak RSS above 16 MB"; ok=0; }
[ $ok = 1 ]
