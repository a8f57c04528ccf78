#!/usr/bin/env bash
# A worker killed with SIGKILL is replaced by the master; requests keep being answered and
# the master itself is never restarted.
. "$(dirname "$0")/lib.sh"

master=$(cat "$STACK_DIR/run/worlds-api.pid")
workers() { pgrep -P "$master" | sort; }
before=$(workers | wc -l)
victim=$(workers | head -1)
if [ -z "$victim" ]; then
	not_ok "the master has workers" "at least one child of $master" "none"
	exit 1
fi
kill -9 "$victim"
replaced() {
	[ "$(workers | wc -l)" -eq "$before" ] && ! workers | grep -qx "$victim"
}
if wait_until 10 replaced; then ok "the killed worker was replaced"; else
	not_ok "the killed worker was replaced" "$before workers without $victim" "$(workers | tr '\n' ' ')"
fi
bad=0
for i in $(seq 1 20); do
	api GET /api/v1/healthz
	[ "$RESP_STATUS" = 200 ] || bad=$((bad + 1))
done
check "20 requests after the kill are all 200" 0 "$bad"
check "the master is the same process" "$master" "$(cat "$STACK_DIR/run/worlds-api.pid")"
if grep -q "worker $victim killed by signal 9; respawning" "$STACK_DIR/log/worlds-api.log"; then
	ok "the master logged the death and the respawn"
else
	not_ok "the master logged the death and the respawn" "worker $victim killed by signal 9" \
		"$(tail -n 3 "$STACK_DIR/log/worlds-api.log")"
fi
