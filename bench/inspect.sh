#!/usr/bin/env bash
# bench/inspect.sh: latency of every manifest inspection route through nginx TLS, on an
# enterprise-maximum world (50000 users, 10000 hosts by default), one keep-alive client at
# a time (wrk -c1), p50 and p99 per route.
#
#   bench/inspect.sh [--bindir DIR] [--duration SECONDS] [--users N] [--hosts N]
#                    [--connections N] [--keep]
#
# Starts a private stack (tests/lib/stack.sh, rate limit off), a tenant, the world (one
# manifest job), then runs wrk on each route. Goals (issue 7): p99 <= 20 ms for every page
# of default size and every details call; a 20000-edge page <= 100 ms. Details list at most
# edge_limit (default 1000) edges per direction: Domain Users is measured capped, with the
# largest page (5000) and deep into its edges (edge_offset).
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
bindir=${WORLDS_BINDIR:-${WORLDS_BUILD_DIR:-$repo}}
duration=10 users=50000 hosts=10000 conns=1
while [ $# -gt 0 ]; do
	case $1 in
	--bindir) bindir=${2:?}; shift 2 ;;
	--duration) duration=${2:?}; shift 2 ;;
	--users) users=${2:?}; shift 2 ;;
	--hosts) hosts=${2:?}; shift 2 ;;
	--connections) conns=${2:?}; shift 2 ;;
	--keep) export STACK_KEEP=1; shift ;;
	-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: bench/inspect.sh [--bindir DIR] [--duration S] [--users N] [--hosts N] [--connections N] [--keep]" >&2; exit 2 ;;
	esac
done
bindir=$(cd "$bindir" && pwd) || exit 2
command -v wrk >/dev/null || { echo "bench/inspect.sh: wrk is needed" >&2; exit 2; }

# shellcheck source=../tests/lib/stack.sh
. "$repo/tests/lib/stack.sh"
trap 'stack_temp_stop >/dev/null 2>&1' EXIT
stack_temp_start --bindir "$bindir" --no-rate-limit || { echo "bench/inspect.sh: stack did not start" >&2; exit 1; }
ctl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@" >/dev/null 2>&1; }
tmp=$STACK_DIR/bench-inspect
mkdir -p "$tmp"

ctl keygen --dir "$WORLDS_KEYS_DIR" --name bench || exit 1
"$STACK" reload --dir "$STACK_DIR" >/dev/null
ctl org add bench --name Bench && ctl workspace add bench lab --name Lab &&
	ctl user add --email bench@example.com --username bench --full-name Bench &&
	ctl member add --user bench@example.com --org bench --workspace lab --role editor || exit 1
token=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user bench@example.com --ttl 86400 \
	--key "$WORLDS_KEYS_DIR/bench.secret" 2>/dev/null) || exit 1
base=$BASE_URL/api/v1/org/bench/ws/lab/worlds
req() { curl -sk -H "Authorization: Bearer $token" "$@"; }
sleep 1

start=$(date +%s)
job=$(req -X POST -H 'Content-Type: application/json' \
	-d "{\"preset\":\"enterprise\",\"num_users\":$users,\"num_hosts\":$hosts,\"seed\":7}" \
	"$base/manifests" | jq -r .id)
[ -n "$job" ] && [ "$job" != null ] || { echo "bench/inspect.sh: POST /manifests failed" >&2; exit 1; }
while :; do
	st=$(req "$base/jobs/$job" | jq -r .status)
	case $st in completed) break ;; failed | cancelled) echo "job $st" >&2; exit 1 ;; esac
	sleep 1
done
mid=$(req "$base/jobs/$job" | jq -r .resource_id)
echo "# world: $users users, $hosts hosts, generated and stored in $(($(date +%s) - start)) s; manifest $mid"
m=$base/manifests/$mid
req "$m/document" -o "$tmp/doc.json"
echo "# document: $(stat -c %s "$tmp/doc.json") bytes; $(jq '.edges | length' "$tmp/doc.json") edges"

user=$(jq -r '[.principals[] | select(.principal_type == "user" and .builtin == false)][1000].principal_id' "$tmp/doc.json")
sam=$(jq -r --arg u "$user" '.principals[] | select(.principal_id == $u) | .sam' "$tmp/doc.json")
surname=$(jq -r --arg u "$user" '.principals[] | select(.principal_id == $u) | .surname' "$tmp/doc.json")
host=$(jq -r '.hosts[5000].host_id' "$tmp/doc.json")
dc=$(jq -r '[.hosts[] | select(.role == "dc")][0].host_id' "$tmp/doc.json")
du=$(jq -r '[.principals[] | select(.sid | endswith("-513"))][0].principal_id' "$tmp/doc.json")
da=$(jq -r '[.principals[] | select(.sid | endswith("-512"))][0].principal_id' "$tmp/doc.json")
req "$m/graph/overview" -o /dev/null

cat >"$tmp/auth.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
EOF
# name|path (under the manifest)
routes="graph/nodes (default 1000)|graph/nodes
graph/nodes offset 60000|graph/nodes?offset=60000
graph/nodes node_type=user|graph/nodes?node_type=user&offset=20000
graph/edges (default 5000)|graph/edges
graph/edges limit 20000|graph/edges?limit=20000
graph/edges limit 20000 offset 180000|graph/edges?limit=20000&offset=180000
graph/edges edge_type=AdminTo|graph/edges?edge_type=AdminTo
graph/subgraph user depth 2|graph/subgraph?center=$user
graph/subgraph Domain Users depth 1 (cut)|graph/subgraph?center=$du&depth=1
graph/subgraph Domain Users depth 3 (cut)|graph/subgraph?center=$du&depth=3
graph/overview|graph/overview
hosts/{id}|hosts/$host
hosts/{id}/details|hosts/$host/details
hosts/{dc}/details|hosts/$dc/details
principals (page 1)|principals
principals?q=sam|principals?q=$sam
principals?q=surname|principals?q=$surname
principals?q=a&principal_type=group|principals?q=a&principal_type=group
principals/{id}|principals/$user
principals/{id}/details|principals/$user/details
principals/{Domain Admins}/details|principals/$da/details
principals/{Domain Users}/details|principals/$du/details
principals/{Domain Users}/details 5000|principals/$du/details?edge_limit=5000
principals/{Domain Users}/details offset 25000|principals/$du/details?edge_offset=25000
commands|commands?mode=kali"
printf '%-42s %9s %9s %9s %8s\n' route p50_ms p99_ms req/s bytes
while IFS='|' read -r name path; do
	bytes=$(req -o /dev/null -w '%{size_download} %{http_code}' "$m/$path")
	[ "${bytes#* }" = 200 ] || { printf '%-42s status %s\n' "$name" "${bytes#* }"; continue; }
	out=$(wrk -t1 -c"$conns" -d"${duration}s" --latency -s "$tmp/auth.lua" "$m/$path" 2>&1)
	p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
	p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
	rps=$(awk '$1 == "Requests/sec:" { print $2 }' <<<"$out")
	ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print v }'; }
	printf '%-42s %9s %9s %9s %8s\n' "$name" "$(ms "$p50")" "$(ms "$p99")" "$rps" "${bytes% *}"
done <<<"$routes"
