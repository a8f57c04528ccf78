#!/usr/bin/env bash
# The job machinery under trajectory jobs: a generator killed (SIGKILL) mid-batch is
# replaced by the tick and the job completes with exactly its count of trajectories (the
# dead run stored none); the workspace's active-job quota counts trajectory jobs too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "trajj-$RANDOM$RANDOM")

af_manifest "$base" '{"num_users":50000,"num_hosts":10000,"seed":3}' 120
mid=$AF_MID

# Long random walks toward one host (as in traj-cancel.sh): a couple of seconds of work.
post_json "$base/trajectories" "$AF_EDITOR" \
	'{"manifest_id":"'$mid'","count":100,"max_steps":1000,"goal":"h-5001","seed":9}'
job=$(jq -r .id <<<"$RESP_BODY")
row=""
for ((i = 0; i < 200; i++)); do
	row=$(af_sql "SELECT status || ' ' || progress || ' ' || coalesce(runner, '-') FROM jobs WHERE id = '$job'")
	case $row in running\ 0\ *) ;; running\ *) break ;; completed* | failed* | cancelled*) break ;; esac
	sleep 0.05
done
case $row in
running*) ;;
*)
	skip "kill -9 of a trajectory generator" "the job was '$row' when polled"
	exit 0
	;;
esac
runner=${row##* }
kill -KILL "${runner##*:}"
check "killed the running generator ($runner)" 0 "$?"
af_wait_job "$base" "$job" 120
check "the job is taken up again and completes" completed "$AF_JOB_STATUS"
check "by a second generator" 2 "$(af_sql "SELECT attempts FROM jobs WHERE id = '$job'")"
expect_json '[.result.count, .result.kept, (.result.trajectory_ids | length), .result.cancelled] | tojson' \
	'[100,100,100,false]' "result: all 100 kept"
call GET "$base/manifests/$mid/trajectories?page_size=100" "$AF_VIEWER"
expect_json '[.total, ([.items[].sequence_index] == [range(0; 100)])] | tojson' '[100,true]' \
	"exactly 100 trajectories stored, indexes 0..99 once each"

# The quota: with one active job allowed and the generator held back, a second trajectory
# job of the workspace answers 429.
af_conf max_active_jobs_per_workspace 1
af_conf generator /bin/true
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'"}'
expect_status 202 "one trajectory job while the quota is 1"
held=$(jq -r .id <<<"$RESP_BODY")
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'"}'
expect_envelope 429 usage_limit_exceeded_error "a second active trajectory job: 429"
expect_header_match Retry-After '^[0-9]+$' "with Retry-After"
call POST "$base/jobs/$held/cancel" "$AF_EDITOR"
expect_status 200 "cancel the held job"
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'"}'
expect_status 202 "its slot is free again"
call POST "$base/jobs/$(jq -r .id <<<"$RESP_BODY")/cancel" "$AF_EDITOR"
