#!/usr/bin/env bash
# PostgreSQL restarted while generators run: every job still ends terminal, none with two
# manifests.
. "$(dirname "$0")/lib.sh"
jt_setup

jt_api api >/dev/null || jt_skip_all "worlds-api not built"
for s in 1 2; do jt_job "{\"preset\": \"enterprise\", \"num_users\": 50000, \"num_hosts\": 10000, \"seed\": $s}" >/dev/null; done
for s in $(seq 3 8); do jt_job "{\"preset\": \"medium\", \"seed\": $s}" >/dev/null; done
jt_wait_sql "SELECT count(*) > 0 FROM jobs WHERE status = 'running'" 20
ok $? "generators run"
pg_as_owner "$(pg_bindir)/pg_ctl" restart -m fast -w -D "$jt_dir/pg/data" >/dev/null 2>&1
ok $? "PostgreSQL restarted"
jt_wait_all_terminal 120
ok $? "every job ends terminal"
diag "$(q "SELECT string_agg(status || ' ' || n || ' after ' || a || ' attempt(s)', ', ')
    FROM (SELECT status, attempts a, count(*) n FROM jobs GROUP BY 1, 2) x")"
is "$(q "SELECT count(*) FROM jobs WHERE status = 'completed'")" 8 "all completed (a lost run is requeued)"
is "$(q "SELECT count(*) FROM manifests m JOIN jobs j ON j.id = m.source_job_id WHERE j.status = 'completed'")" \
    8 "one manifest per completed job"
jt_done
