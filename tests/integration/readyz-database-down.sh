#!/usr/bin/env bash
# PostgreSQL stopped: readyz answers 500 database_error while healthz stays 200; PostgreSQL
# back: readyz is 200 again from the same worlds-api (no restart).
. "$(dirname "$0")/lib.sh"

pid_before=$(cat "$STACK_DIR/run/worlds-api.pid")
api GET /api/v1/readyz
expect_status 200 "readyz with the database up"

stack_ctl pg-stop
on_exit "$STACK" pg-start --dir "$STACK_DIR"
# Every worker must notice, not only the one that happens to answer first.
for i in 1 2 3 4 5 6; do
	api GET /api/v1/readyz
	[ "$RESP_STATUS" = 500 ] || break
done
expect_envelope 500 database_error "readyz with the database down"
api GET /api/v1/healthz
expect_status 200 "healthz with the database down"

stack_ctl pg-start
ready() {
	api GET /api/v1/readyz
	[ "$RESP_STATUS" = 200 ]
}
if wait_until 10 ready; then ok "readyz is 200 again once the database is back"; else
	not_ok "readyz is 200 again once the database is back" "200 within 10 s" "$RESP_STATUS $(resp_excerpt)"
fi
# Then every worker has reconnected: several readyz in a row all succeed.
bad=0
for i in $(seq 1 12); do
	api GET /api/v1/readyz
	[ "$RESP_STATUS" = 200 ] || bad=$((bad + 1))
done
check "12 readyz in a row after recovery are all 200" 0 "$bad"
check "worlds-api was not restarted" "$pid_before" "$(cat "$STACK_DIR/run/worlds-api.pid")"
