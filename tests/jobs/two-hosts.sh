#!/usr/bin/env bash
# Two worlds-api instances ("two hosts", each in a UTS namespace of its own name when the
# system allows it) on two sockets, one database, 100 jobs: each job ran exactly once.
. "$(dirname "$0")/lib.sh"
jt_setup

q "INSERT INTO jobs (id, organization_id, workspace_id, kind, params, resource_type, created_by)
   SELECT gen_random_uuid(), w.organization_id, w.id, 'manifest_generation',
          jsonb_build_object('preset', 'small', 'seed', s), 'manifest', (SELECT id FROM users)
   FROM workspaces w, generate_series(1, 100) s"
jt_api hosta worlds-host-a >/dev/null || jt_skip_all "worlds-api not built"
jt_api hostb worlds-host-b >/dev/null
jt_wait_all_terminal 120
ok $? "every job ends terminal"
is "$(q "SELECT count(*) FROM jobs WHERE status = 'completed'")" 100 "100 completed"
is "$(q "SELECT count(*) FROM jobs WHERE attempts = 1")" 100 "each claimed exactly once (attempts = 1)"
is "$(q "SELECT count(*), count(DISTINCT source_job_id) FROM manifests")" "100|100" "one manifest each"
hosts=$(q "SELECT string_agg(h || ' ' || n, ', ') FROM (SELECT split_part(runner, ':', 1) h, count(*) n
    FROM jobs GROUP BY 1 ORDER BY 1) x")
diag "runs per host: $hosts"
if unshare --uts true 2>/dev/null; then
	is "$(q "SELECT count(*) FROM jobs WHERE runner !~ '^worlds-host-[ab]:[0-9]+$'")" 0 \
	    "every runner is one of the two hosts"
fi
jt_done
