#!/usr/bin/env bash
# Cancel: a queued job is never run; a running job stops within 1 s, whatever phase it is
# in, with nothing kept. A phase of the completion transaction is reached by a lock this
# test holds on what that phase writes (no sleeping and hoping): the cancel is asked
# while the phase's statement waits, and the generator's cancel watcher must interrupt the
# statement, roll everything back and end the job cancelled.
. "$(dirname "$0")/lib.sh"
jt_setup

# hold NAME SQL: a session named NAME runs SQL in an open transaction, then waits.
hold() {
	PGAPPNAME=$1 psql -qAtX -c "BEGIN; $2; SELECT pg_sleep(120)" >/dev/null 2>&1 &
	jt_wait_sql "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = '$1'
	    AND wait_event = 'PgSleep'" 10
}
release() {
	q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	   WHERE application_name = '$1'" >/dev/null
}
# A generator of this test waits for a lock.
gen_blocked() {
	jt_wait_sql "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name LIKE
	    'worlds-gen %' AND wait_event_type = 'Lock'" "$1"
}
# within_1s ID PHASE: the job is cancelled, within 1 s of the request as the server saw
# both (cancel_requested_at to completed_at: none of this script's own delays count).
within_1s() {
	local ms
	jt_wait_sql "SELECT status = 'cancelled' FROM jobs WHERE id = '$1'" 5
	ok $? "$2: the job is cancelled"
	ms=$(q "SELECT round(extract(epoch FROM completed_at - cancel_requested_at) * 1000)
	    FROM jobs WHERE id = '$1'")
	ok $([ -n "$ms" ] && [ "$ms" -le 1000 ] && echo 0 || echo 1) \
	    "$2: within 1 s of the request (took $ms ms)"
}
# cancelled_within ID PHASE: asks for the cancel as POST .../cancel does for a running job
# (clock_timestamp(): the moment of the request, which now() is in the API's one-statement
# transaction).
cancelled_within() {
	q "UPDATE jobs SET cancel_requested_at = clock_timestamp() WHERE id = '$1'
	   AND status = 'running'"
	within_1s "$1" "$2"
}
kept_nothing() {
	is "$(q "SELECT count(*) FROM manifests WHERE source_job_id = '$1'")" 0 "$2: no manifest kept"
	is "$(q "SELECT (SELECT count(*) FROM manifest_nodes) + (SELECT count(*) FROM manifest_edges)
	    + (SELECT count(*) FROM manifest_documents) + (SELECT count(*) FROM manifest_overviews)")" \
	    0 "$2: no graph rows, document or overview kept"
	is "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'worlds_graph'")" 0 \
	    "$2: none of its own tables (sql/012)"
}
# phase NAME LOCK-SQL [PARAMS]: a job stopped in phase NAME by LOCK-SQL, then cancelled.
phase() {
	local id params=${3:-}
	[ -n "$params" ] || params='{"preset": "small", "seed": 7}'
	hold "hold-$1" "$2" || { ok 1 "$1: the lock is held"; return; }
	id=$(jt_job "$params")
	"$CTL" jobs start "$id"
	gen_blocked 30
	ok $? "$1: the generator waits at its phase"
	cancelled_within "$id" "$1"
	release "hold-$1"
	kept_nothing "$id" "$1"
}

# What POST .../cancel does to a queued job.
id=$(jt_job)
q "UPDATE jobs SET status = 'cancelled', cancel_requested_at = now(), completed_at = now()
   WHERE id = '$id' AND status = 'queued'"
"$CTL" jobs start "$id"
sleep 0.5
is "$(jt_status "$id")" cancelled "a cancelled queued job stays cancelled when a generator starts"
is "$(q "SELECT attempts FROM jobs WHERE id = '$id'")" 0 "and was never claimed"

big=$(jt_job '{"preset": "enterprise", "num_users": 50000, "num_hosts": 10000, "seed": 3}')
"$CTL" jobs start "$big"
jt_wait_sql "SELECT status = 'running' AND progress > 0 FROM jobs WHERE id = '$big'" 20
ok $? "the large job runs and reports progress"
cancelled_within "$big" running
is "$(q "SELECT count(*) FROM manifests WHERE source_job_id = '$big'")" 0 "no manifest kept"
is "$(q "SELECT count(*) FROM manifest_nodes")" 0 "no graph rows kept"
is "$(q "SELECT completed_at IS NOT NULL AND progress < 1 FROM jobs WHERE id = '$big'")" t \
    "completed_at set, progress below 1"
phase copy "LOCK TABLE manifest_nodes_shared IN ACCESS EXCLUSIVE MODE"
# Own tables for a small world: making them (sql/012's worlds_graph_open) waits on their
# partitioned parent.
q "ALTER DATABASE postgres SET worlds.own_tables_rows = 1"
phase "own tables" "LOCK TABLE manifest_nodes_own IN ACCESS EXCLUSIVE MODE"
q "ALTER DATABASE postgres RESET worlds.own_tables_rows"
phase manifest "LOCK TABLE manifests IN ACCESS EXCLUSIVE MODE"
phase document "LOCK TABLE manifest_documents IN ACCESS EXCLUSIVE MODE"
phase overview "LOCK TABLE manifest_overviews IN ACCESS EXCLUSIVE MODE"

# The job's last update: stopped at the overview first (the job's row is then nobody's),
# the row is locked, the overview let go; the generator waits on the row, and the
# session holding it asks for the cancel and commits: the conditional update then finds
# the cancel and moves nothing.
hold hold-overview "LOCK TABLE manifest_overviews IN ACCESS EXCLUSIVE MODE"
last=$(jt_job '{"preset": "small", "seed": 8}')
"$CTL" jobs start "$last"
gen_blocked 30
ok $? "complete: the generator waits at the overview"
coproc ROW { PGAPPNAME=hold-row psql -qAtX >/dev/null 2>&1; }
# FOR NO KEY UPDATE: what the job's update takes, and unlike FOR UPDATE it does not wait
# for the key-share lock the generator's manifest insert holds (its foreign key).
echo "BEGIN; SELECT 1 FROM jobs WHERE id = '$last' FOR NO KEY UPDATE;" >&"${ROW[1]}"
jt_wait_sql "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'hold-row'
    AND state = 'idle in transaction'" 10
ok $? "complete: the job's row is held"
release hold-overview
gen_blocked 30
ok $? "complete: the generator waits on the job's row"
echo "UPDATE jobs SET cancel_requested_at = clock_timestamp() WHERE id = '$last'
AND status = 'running'; COMMIT;" >&"${ROW[1]}"
within_1s "$last" complete
kept_nothing "$last" complete
exec {ROW[1]}>&-
jt_done
