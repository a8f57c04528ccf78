#!/usr/bin/env bash
# SIGHUP rereads the configuration: a bad file is refused (the running one is kept and
# named in the log with file, line and key), a good one takes effect in new workers; no
# request fails around either reload.
. "$(dirname "$0")/lib.sh"

conf=$WORLDS_CONFIG
cp "$conf" "$T_TMP/good.conf"
on_exit cp "$T_TMP/good.conf" "$conf"
master=$(cat "$STACK_DIR/run/worlds-api.pid")
log=$STACK_DIR/log/worlds-api.log

printf 'workerz = 3\n' >>"$conf"
line=$(wc -l <"$conf")
kill -HUP "$master"
wait_until 5 grep -q "reload refused" "$log"
if grep -q "reload refused, keeping the running configuration: $conf:$line: unknown key 'workerz'" "$log"; then
	ok "a bad configuration is refused with file, line and key"
else
	not_ok "a bad configuration is refused with file, line and key" \
		"$conf:$line: unknown key 'workerz'" "$(grep 'reload' "$log" | tail -n 1)"
fi
bad=0
for i in $(seq 1 20); do
	api GET /api/v1/healthz
	[ "$RESP_STATUS" = 200 ] || bad=$((bad + 1))
done
check "requests after a refused reload are all 200" 0 "$bad"

cp "$T_TMP/good.conf" "$conf"
printf 'workers = 3\n' >>"$conf"
kill -HUP "$master"
three() { [ "$(pgrep -P "$master" | wc -l)" -eq 3 ]; }
if wait_until 10 three; then ok "a good reload runs the new worker count"; else
	not_ok "a good reload runs the new worker count" 3 "$(pgrep -P "$master" | wc -l)"
fi
cp "$T_TMP/good.conf" "$conf"
kill -HUP "$master"
bad=0
for i in $(seq 1 20); do
	api GET /api/v1/readyz
	[ "$RESP_STATUS" = 200 ] || bad=$((bad + 1))
done
check "requests after the reloads are all 200" 0 "$bad"
check "the master is the same process" "$master" "$(cat "$STACK_DIR/run/worlds-api.pid")"
