#!/usr/bin/env bash
# kill -9 of the whole worlds-api process group mid-run, then a restart: generators live in
# their own sessions and finish; nothing runs twice; every job ends terminal.
. "$(dirname "$0")/lib.sh"
jt_setup

api=$(jt_api api) || jt_skip_all "worlds-api not built"
for s in 1 2 3; do jt_job "{\"preset\": \"enterprise\", \"num_users\": 20000, \"num_hosts\": 4000, \"seed\": $s}" >/dev/null; done
for s in $(seq 4 12); do jt_job "{\"preset\": \"medium\", \"seed\": $s}" >/dev/null; done
jt_wait_sql "SELECT count(*) > 0 FROM jobs WHERE status = 'running'" 20
ok $? "the tick started generators"
kill -KILL -- "-$api"
ok $? "killed worlds-api's process group with SIGKILL"
diag "$(jt_gen_count) generators outlived the group (they run in sessions of their own)"
api2=$(jt_api api2)
jt_wait_all_terminal 90
ok $? "after the restart every job ends terminal"
is "$(q "SELECT count(*) FROM jobs WHERE status <> 'completed'")" 0 "all completed"
is "$(q "SELECT count(*) FROM jobs WHERE attempts <> 1")" 0 "none ran twice"
is "$(q "SELECT count(*) FROM manifests")" "$(q "SELECT count(*) FROM jobs")" "one manifest per job"
jt_done
