#!/usr/bin/env bash
# A SIGHUP while keys_dir holds a bad .public file keeps the server on the keys it had.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 31
areq GET "$AUTH_A1/jobs" "$AUTH_VIEWER"
expect_status 200 "served before"
"$WORLDSCTL" keygen --dir "$T_TMP" --name bad >/dev/null 2>&1
cp "$T_TMP/bad.secret" "$WORLDS_KEYS_DIR/zz-bad.public"
stack_ctl reload
sleep 1
got=
for i in 1 2 3 4 5 6 7 8; do areq GET "$AUTH_A1/jobs" "$AUTH_VIEWER"; got="$got $RESP_STATUS"; done
check "a bad key file at SIGHUP: the old keys still serve" " 200 200 200 200 200 200 200 200" "$got"
if grep -q "reload refused, the running workers keep serving: keys: .*zz-bad.public" \
	"$STACK_DIR/log/worlds-api.log"; then
	ok "the refused reload is logged, naming the file"
else
	not_ok "the refused reload is logged, naming the file" "reload refused ... zz-bad.public" \
		"$(grep -i reload "$STACK_DIR/log/worlds-api.log" | tail -n 2)"
fi
# Workers the master restarts after a crash start from the same keys (the master's ring),
# not from keys_dir as it is now.
master=$(cat "$STACK_DIR/run/worlds-api.pid")
workers() { pgrep -P "$master" | sort; }
n=$(workers | wc -l)
old=$(workers | tr '\n' ' ')
kill -9 $(workers) 2>/dev/null
renewed() { [ "$(workers | wc -l)" -eq "$n" ] && ! workers | grep -qxF -f <(tr ' ' '\n' <<<"$old" | grep .); }
wait_until 15 renewed || not_ok "every worker killed and replaced" "$n new workers" "$(workers | tr '\n' ' ')"
got=
for i in 1 2 3 4 5 6 7 8; do areq GET "$AUTH_A1/jobs" "$AUTH_VIEWER"; got="$got $RESP_STATUS"; done
check "workers restarted after a crash still serve with the old keys" " 200 200 200 200 200 200 200 200" "$got"
rm -f "$WORLDS_KEYS_DIR/zz-bad.public"
stack_ctl reload
sleep 1
areq GET "$AUTH_A1/jobs" "$AUTH_VIEWER"
expect_status 200 "served after the bad file is gone and a reload"
