#!/usr/bin/env bash
# kill -9 of a running generator: the tick requeues the job and it completes, with exactly
# one manifest. A job whose generators keep dying fails after max_attempts.
. "$(dirname "$0")/lib.sh"
jt_setup

api=$(jt_api api) || jt_skip_all "worlds-api not built"
id=$(jt_job '{"preset": "enterprise", "num_users": 50000, "num_hosts": 10000, "seed": 5}')
"$CTL" jobs start "$id"
jt_wait_sql "SELECT status = 'running' AND progress > 0 FROM jobs WHERE id = '$id'" 20
ok $? "the job runs"
runner=$(q "SELECT runner FROM jobs WHERE id = '$id'")
pid=${runner##*:}
kill -KILL "$pid"
ok $? "killed its generator ($runner) with SIGKILL"
jt_wait_sql "SELECT attempts = 2 FROM jobs WHERE id = '$id'" 10
ok $? "the tick requeued it and a new generator claimed it"
jt_wait_sql "SELECT status = 'completed' FROM jobs WHERE id = '$id'" 30
ok $? "the job completes"
is "$(q "SELECT count(*) FROM manifests WHERE source_job_id = '$id'")" 1 "exactly one manifest"
ok $([ "$(q "SELECT runner FROM jobs WHERE id = '$id'")" != "$runner" ] && echo 0 || echo 1) \
    "the last runner is the new generator"
grep -q "job $id had no live generator" "$jt_dir/api.log"
ok $? "the master logged the requeue"

# The rest is the recovery by hand: stop the master so its tick does not do it first.
kill -KILL -- "-$api"
# A job whose generator died for the last allowed time: fails with a clear error.
dead=$(jt_job)
q "UPDATE jobs SET status = 'running', started_at = now(), attempts = 3, runner = 'gone:1'
   WHERE id = '$dead'"
out=$("$CTL" jobs reap)
ok $? "worldsctl jobs reap"
is "$out" "requeued 0, failed 1, cancelled 0" "reap reports what it did"
is "$(q "SELECT status || ': ' || error FROM jobs WHERE id = '$dead'")" \
    "failed: generator crashed 3 times (last run gone:1); see that host's worlds-api log" \
    "after max_attempts the job fails, saying why"
# A dead running job with a cancel request is cancelled, not rerun.
dc=$(jt_job)
q "UPDATE jobs SET status = 'running', started_at = now(), attempts = 1, runner = 'gone:2',
   cancel_requested_at = now() WHERE id = '$dc'"
"$CTL" jobs reap >/dev/null
is "$(jt_status "$dc")" cancelled "a dead job with a cancel request becomes cancelled"
# A live generator is never touched by reap.
live=$(jt_job '{"preset": "enterprise", "num_users": 50000, "num_hosts": 10000, "seed": 6}')
"$CTL" jobs start "$live"
jt_wait_sql "SELECT status = 'running' FROM jobs WHERE id = '$live'" 20
"$CTL" jobs reap >/dev/null
is "$(q "SELECT status || ' ' || attempts FROM jobs WHERE id = '$live'")" "running 1" \
    "reap leaves a job with a live generator alone"
"$CTL" jobs list --status running | grep -q "$live .*running .* yes "
ok $? "jobs list shows it LIVE"
jt_done
