#!/usr/bin/env bash
# A disabled user (worldsctl user disable) gets 403 forbidden_error on every request with a
# token issued before the change (api.md, Errors), reads and writes alike, while the same
# workspace's other members are still served; a token of theirs that a worker has already
# verified does not outlive the change.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 27

email=disabled-$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')@example.com
actl user add --email "$email" --username "auth-${email%@*}" >/dev/null 2>"$T_TMP/err" ||
	not_ok "user add $email" "exit 0" "$(cat "$T_TMP/err")"
actl member add --user "$email" --org "$AUTH_ORG_A" --workspace a1 --role admin >/dev/null 2>"$T_TMP/err" ||
	not_ok "member add $email" "exit 0" "$(cat "$T_TMP/err")"
tok=$(actl token issue --user "$email" --ttl 600 --key "$AUTH_KEY" 2>"$T_TMP/err") ||
	not_ok "token issue $email" "a token" "$(cat "$T_TMP/err")"

# Served while enabled (and so verified and remembered by the workers that answered).
for i in 1 2 3 4 5 6; do areq GET "$AUTH_A1/jobs" "$tok"; done
expect_status 200 "the user is served while enabled"

if actl user disable "$email" >/dev/null 2>"$T_TMP/err"; then
	ok "worldsctl user disable"
else
	not_ok "worldsctl user disable" "exit 0" "$(cat "$T_TMP/err")"
fi
areq GET "$AUTH_A1/jobs" "$tok"
expect_envelope 403 forbidden_error "disabled user: GET /jobs"
bad=0 last=
for i in 1 2 3 4 5 6 7 8; do
	areq GET "$AUTH_A1/jobs" "$tok"
	[ "$RESP_STATUS" = 403 ] || { bad=$((bad + 1)); last="$RESP_STATUS $(resp_excerpt)"; }
done
check "disabled user: 8 requests in a row all 403" "0 others" "$bad others${last:+, last: $last}"
areq POST "$AUTH_A1/manifests" "$tok" -H 'Content-Type: application/json' --data-binary '{"seed":1}'
expect_type 403 forbidden_error "disabled user: POST /manifests"
areq GET "$AUTH_A1/manifests" "$tok"
expect_type 403 forbidden_error "disabled user: GET /manifests"
areq POST "$AUTH_A1/jobs/00000000-0000-4000-8000-000000000000/cancel" "$tok"
expect_type 403 forbidden_error "disabled user: POST /jobs/{id}/cancel"
areq GET "$AUTH_A1/jobs" "$AUTH_VIEWER"
expect_status 200 "the workspace's other members are still served"
if actl token issue --user "$email" --ttl 600 --key "$AUTH_KEY" >/dev/null 2>&1; then
	not_ok "worldsctl token issue refuses a disabled user" "exit 1" "exit 0"
else
	ok "worldsctl token issue refuses a disabled user"
fi
