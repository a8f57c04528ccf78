#!/usr/bin/env bash
# PostgreSQL stopped under a running API: every route that needs it answers 500
# database_error (no SQL in the detail), healthz still answers; once it is back, every
# worker answers normally again without a restart.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture

post_json "$AF_BASE/manifests" "$AF_EDITOR" '{"name":"before the outage","seed":11}'
job=$(jq -r .id <<<"$RESP_BODY")
# Every worker holds a connection before the outage.
for i in 1 2 3 4 5 6 7 8; do call GET "$AF_BASE/jobs/$job" "$AF_VIEWER"; done
expect_status 200 "GET /jobs/{id} before the outage"

stack_ctl pg-stop
on_exit "$STACK" pg-start --dir "$STACK_DIR"

down() {
	local what=$1
	shift
	"$@"
	expect_envelope 500 database_error "database down: $what"
	expect_json '.detail | test("SELECT|INSERT|UPDATE|FROM|ERROR|connection|5432|postgres"; "i") | not' true \
		"database down: $what: no SQL or connection text in detail"
}
down "GET /jobs/{id}" call GET "$AF_BASE/jobs/$job" "$AF_VIEWER"
down "GET /jobs" call GET "$AF_BASE/jobs" "$AF_VIEWER"
down "POST /manifests" post_json "$AF_BASE/manifests" "$AF_EDITOR" '{"name":"during the outage"}'
down "POST /jobs/{id}/cancel" call POST "$AF_BASE/jobs/$job/cancel" "$AF_EDITOR"
down "GET /manifests" call GET "$AF_BASE/manifests" "$AF_VIEWER"
down "GET /readyz" call GET /api/v1/readyz ""
codes=""
for i in 1 2 3 4 5 6 7 8; do call GET "$AF_BASE/jobs?page_size=1" "$AF_VIEWER"; codes="$codes$RESP_STATUS "; done
check "database down: every worker answers 500" "500 500 500 500 500 500 500 500 " "$codes"
call GET /api/v1/healthz ""
expect_status 200 "healthz does not need the database"

stack_ctl pg-start
wait_until 20 bash -c "psql '$WORLDS_DATABASE_URL' -XtAc 'SELECT 1' | grep -qx 1" ||
	not_ok "PostgreSQL is back" "SELECT 1 answers" "not within 20 s"
codes=""
for i in 1 2 3 4 5 6 7 8; do call GET "$AF_BASE/jobs/$job" "$AF_VIEWER"; codes="$codes$RESP_STATUS "; done
check "database back: the first request of every worker answers 200" "200 200 200 200 200 200 200 200 " "$codes"
expect_json .id "$job" "the job is still there"
post_json "$AF_BASE/manifests" "$AF_EDITOR" '{"name":"after the outage","seed":12}'
expect_status 202 "database back: POST /manifests"
call GET /api/v1/readyz ""
expect_status 200 "database back: readyz"
