#!/usr/bin/env bash
# SIGTERM drains: a request already inside a worker when the master is told to stop still
# gets its answer (here a POST /manifests held up on the workspace's counter row lock), the
# master then exits, and the stack's worlds-api is started again for the tests after this.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture

master=$(cat "$STACK_DIR/run/worlds-api.pid")
on_exit "$STACK" api-start --dir "$STACK_DIR"
# Hold the lock every create of this workspace takes: its workspace_active_jobs row
# (src/api/jobs.c, create_direct and lock_workspace).
fifo=$T_TMP/psql.in
mkfifo "$fifo"
psql "$WORLDS_DATABASE_URL" -XqA <"$fifo" >"$T_TMP/psql.out" 2>&1 &
psql_pid=$!
exec 7>"$fifo"
echo "BEGIN; SELECT 1 FROM workspace_active_jobs WHERE workspace_id = '$AF_WS_ID' FOR UPDATE;
SELECT 'held';" >&7
wait_until 10 grep -q held "$T_TMP/psql.out"

# The request goes in and waits on the lock inside a worker.
curl -sk -o "$T_TMP/post.body" -w '%{http_code}' --max-time 30 \
	-H "Authorization: Bearer $AF_EDITOR" -H 'Content-Type: application/json' \
	--data-binary '{"name":"drain","seed":5}' "$BASE_URL$AF_BASE/manifests" >"$T_TMP/post.code" &
curl_pid=$!
waiting() { psql "$WORLDS_DATABASE_URL" -XtAc "SELECT count(*) FROM pg_locks WHERE NOT granted" | grep -qv '^0$'; }
if wait_until 10 waiting; then ok "the create is waiting inside a worker"; else
	not_ok "the create is waiting inside a worker" "a waiting lock" "none"
fi

kill -TERM "$master"
sleep 1
if kill -0 "$master" 2>/dev/null; then ok "the master waits for the request in flight"; else
	not_ok "the master waits for the request in flight" "alive 1 s after SIGTERM" "gone"
fi
echo "COMMIT;" >&7
exec 7>&-
wait "$curl_pid"
check "the request in flight was answered 202" 202 "$(cat "$T_TMP/post.code")"
check "with the new job" queued "$(jq -r .status "$T_TMP/post.body" 2>/dev/null)"
gone() { ! kill -0 "$master" 2>/dev/null; }
if wait_until 10 gone; then ok "the master exits once drained"; else
	not_ok "the master exits once drained" "exited" "still running"
fi
wait "$psql_pid" 2>/dev/null
if [ -e "$WORLDS_SOCKET_PATH" ]; then
	not_ok "the socket file is removed" "no $WORLDS_SOCKET_PATH" "still there"
else
	ok "the socket file is removed"
fi
