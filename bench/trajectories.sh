#!/usr/bin/env bash
# Trajectory sampling benchmark (issue goal: 100 trajectories of up to 100 steps over an
# enterprise-maximum world, one job, <= 2 s end to end).
#   bench/trajectories.sh [BUILD_DIR]     (default ./build; BENCH_RUNS, default 5)
# Prints:
#   1. offline: worlds-gen trajectories over the 50000-user / 10000-host world, world
#      rebuild included, per strategy (wall time)
#   2. service: POST /trajectories -> completed as seen by polling GET /jobs/{id} every
#      50 ms through nginx, and the server's created_at -> completed_at; median and max
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${WORLDS_BUILD_DIR:-$top/build}}" && pwd) || exit 2
RUNS=${BENCH_RUNS:-5}
W=(--users 50000 --hosts 10000 --seed 3)
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
maxof() { sort -n | tail -1; }

echo "== offline: worlds-gen trajectories ${W[*]} --count 100 --max-steps 100"
for s in random greedy recon-first smart-random; do
	for ((i = 0; i < RUNS; i++)); do
		t0=$(now_ms)
		"$build/worlds-gen" trajectories "${W[@]}" --count 100 --max-steps 100 --strategy $s >/dev/null
		echo $(($(now_ms) - t0))
	done >"/tmp/traj-bench.$$"
	printf '  %-13s median %5d ms  max %5d ms\n' $s "$(median <"/tmp/traj-bench.$$")" \
		"$(maxof <"/tmp/traj-bench.$$")"
done
rm -f "/tmp/traj-bench.$$"

. "$top/tests/lib/stack.sh"
stack_temp_start --bindir "$build" >/dev/null || { echo "bench: the stack did not start"; exit 1; }
export TOP_SRCDIR=$top STACK
. "$top/tests/integration/lib.sh"
trap 'rc=$?; t_end; stack_temp_stop; exit $rc' EXIT
. "$top/tests/integration/contract/api-fixture.bash"
api_fixture >/dev/null
base=$(af_workspace "bench-$RANDOM")
post_json "$base/manifests" "$AF_EDITOR" '{"num_users":50000,"num_hosts":10000,"seed":3}'
mjob=$(jq -r .id <<<"$RESP_BODY")
af_wait_job "$base" "$mjob" 300 >/dev/null
mid=$(jq -r .resource_id <<<"$RESP_BODY")
if [ "$AF_JOB_STATUS" != completed ]; then
	echo "bench: the manifest job ended '$AF_JOB_STATUS': $(jq -r .error <<<"$RESP_BODY")" >&2
	exit 1
fi
echo "== service: POST /trajectories {count 100, max_steps 100} on that world, $RUNS jobs"
: >"$T_TMP/e2e"
: >"$T_TMP/srv"
for ((i = 0; i < RUNS; i++)); do
	t0=$(now_ms)
	post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'","count":100,"max_steps":100,"seed":'$i'}'
	job=$(jq -r .id <<<"$RESP_BODY")
	for ((k = 0; k < 1200; k++)); do
		api GET "$base/jobs/$job" -H "Authorization: Bearer $AF_VIEWER"
		case $(jq -r .status <<<"$RESP_BODY") in completed | failed | cancelled) break ;; esac
		sleep 0.05
	done
	echo $(($(now_ms) - t0)) >>"$T_TMP/e2e"
	af_sql "SELECT round(extract(epoch FROM completed_at - created_at) * 1000) FROM jobs WHERE id = '$job'" >>"$T_TMP/srv"
	[ "$(jq -r .status <<<"$RESP_BODY")" = completed ] || echo "  job $job ended $(jq -r .status <<<"$RESP_BODY")"
done
printf '  end to end (client polling)   median %5d ms  max %5d ms\n' "$(median <"$T_TMP/e2e")" "$(maxof <"$T_TMP/e2e")"
printf '  created_at -> completed_at    median %5d ms  max %5d ms\n' "$(median <"$T_TMP/srv")" "$(maxof <"$T_TMP/srv")"
echo "  goal: <= 2000 ms end to end"
