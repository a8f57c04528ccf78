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
rm -f "$WORLDS_KEYS_DIR/zz-bad.public"
stack_ctl reload
sleep 1
areq GET "$AUTH_A1/jobs" "$AUTH_VIEWER"
expect_status 200 "served after the bad file is gone and a reload"
