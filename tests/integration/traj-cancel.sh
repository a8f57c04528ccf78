#!/usr/bin/env bash
# Cancel mid-batch: a running trajectory_generation job stops at its next trajectory, ends
# cancelled, keeps the trajectories finished by then (stored and listed) and says so in its
# result (cancelled: true, kept < count, their ids).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "trajc-$RANDOM$RANDOM")

# The enterprise maximum: a batch over it runs for a couple of seconds (random walks of up
# to 1000 steps toward one host), long enough to be caught between trajectories.
af_manifest "$base" '{"num_users":50000,"num_hosts":10000,"seed":3}' 120
mid=$AF_MID

post_json "$base/trajectories" "$AF_EDITOR" \
	'{"manifest_id":"'$mid'","count":100,"max_steps":1000,"goal":"h-5001"}'
job=$(jq -r .id <<<"$RESP_BODY")
progress=0
for ((i = 0; i < 200; i++)); do
	call GET "$base/jobs/$job" "$AF_VIEWER"
	status=$(jq -r .status <<<"$RESP_BODY")
	progress=$(jq -r .progress <<<"$RESP_BODY")
	[ "$status" = running ] && jq -e '.progress >= 0.1' <<<"$RESP_BODY" >/dev/null && break
	[ "$status" = queued ] || [ "$status" = running ] || break
	sleep 0.05
done
if [ "$status" != running ]; then
	skip "cancel mid-batch" "the job was $status (progress $progress) when polled"
	exit 0
fi
call POST "$base/jobs/$job/cancel" "$AF_EDITOR"
expect_status 200 "cancel the running batch: 200"
af_wait_job "$base" "$job" 15
check "the batch ends cancelled" cancelled "$AF_JOB_STATUS"
expect_json '.result.cancelled' true "result says it was cancelled"
kept=$(jq -r .result.kept <<<"$RESP_BODY")
ok_range=$(jq -r '.result.kept > 0 and .result.kept < 100' <<<"$RESP_BODY")
check "some trajectories were finished, not all (kept $kept of 100)" true "$ok_range"
expect_json '(.result.trajectory_ids | length) == .result.kept' true "result lists the kept ones' ids"
expect_json '.resource_id == .result.batch_id' true "resource_id is the batch"
call GET "$base/manifests/$mid/trajectories?page_size=100" "$AF_VIEWER"
expect_json .total "$kept" "the finished trajectories are stored"
expect_json '[.items[].sequence_index] == [range(0; .total)]' true "in sequence order, without gaps"
call POST "$base/jobs/$job/cancel" "$AF_EDITOR"
expect_status 200 "cancel again: 200, unchanged"
