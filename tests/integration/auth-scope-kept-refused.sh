#!/usr/bin/env bash
# A kept tenancy that refused (src/api/scope.c) is no more trusted than one that served:
# a viewer whose scope every worker keeps (its creates refused with 403 many times first)
# gets what api.md says on the very next POST /manifests after each change:
#   - the token revoked                  -> 401 token_error, not the kept 403
#   - the membership removed             -> 404 not_found_error, not the kept 403
#   - the role raised to editor          -> 202, not the kept 403
# and GET /jobs/{id} with a path id that is no UUID answers as every other route does:
# the token and the tenancy first (401 / 404 / 403), the path's 422 only to a member.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 30

BODY='{"name":"kept refused","preset":"small","num_users":10,"num_hosts":2,"seed":5}'
post() { areq POST "$1/manifests" "$2" -H 'Content-Type: application/json' --data-binary "$BODY"; }

new_viewer() { auth_new_member "kr-$1" viewer; }

# warm TOKEN WHAT: enough refused creates and served reads that every worker keeps the scope.
warm() {
	local i bad=0
	for i in $(seq 1 12); do
		post "$AUTH_A1" "$1"
		[ "$RESP_STATUS" = 403 ] || bad=$((bad + 1))
		areq GET "$AUTH_A1/jobs" "$1"
		[ "$RESP_STATUS" = 200 ] || bad=$((bad + 1))
	done
	check "$2: the viewer's creates refused, its reads served before the change (24)" 0 "$bad"
}

# after WHAT TOKEN EXPECT: 8 creates right after the change, each STATUS/type.
after() {
	local i got=
	for i in $(seq 1 8); do
		post "$AUTH_A1" "$2"
		got="$got $RESP_STATUS/$(jq -r '.type // "job"' <<<"$RESP_BODY" 2>/dev/null)"
	done
	check "$1: POST /manifests, 8 in a row" "$(printf " $3%.0s" $(seq 1 8))" "$got"
}

tok=$(new_viewer revoked)
warm "$tok" revoked
jti=$(actl token verify "$tok" 2>/dev/null | jq -r .jti 2>/dev/null)
actl token revoke "$jti" >/dev/null 2>"$T_TMP/err" || not_ok "token revoke" "exit 0" "$(cat "$T_TMP/err")"
after "viewer's token revoked" "$tok" 401/token_error

tok=$(new_viewer removed)
warm "$tok" removed
actl member remove --user "kr-removed-$AUTH_TAG@example.com" --org "$AUTH_ORG_A" --workspace a1 \
	>/dev/null 2>"$T_TMP/err" || not_ok "member remove" "exit 0" "$(cat "$T_TMP/err")"
after "viewer's membership removed" "$tok" 404/not_found_error

tok=$(new_viewer raised)
warm "$tok" raised
email=kr-raised-$AUTH_TAG@example.com
actl member remove --user "$email" --org "$AUTH_ORG_A" --workspace a1 >/dev/null 2>&1
actl member add --user "$email" --org "$AUTH_ORG_A" --workspace a1 --role editor \
	>/dev/null 2>"$T_TMP/err" || not_ok "member add as editor" "exit 0" "$(cat "$T_TMP/err")"
after "viewer raised to editor" "$tok" 202/job
# Leave no queued job behind for the other tests' quotas.
for id in $(asql "SELECT j.id FROM jobs j JOIN users u ON u.id = j.created_by
	WHERE u.email = '$email' AND j.status IN ('queued', 'running')"); do
	areq POST "$AUTH_A1/jobs/$id/cancel" "$AUTH_EDITOR"
done

# GET /jobs/{id} with a path id that is no UUID: the caller's standing first, as on the
# routes that resolve the tenancy before the handler (GET /manifests/{id}).
for route in jobs manifests; do
	areq GET "$AUTH_A1/$route/not-a-uuid" "$AUTH_B1_ONLY"
	expect_type 404 not_found_error "GET /$route/not-a-uuid by a non-member: 404"
	areq GET "$AUTH_A1/$route/not-a-uuid" "$tok.x"
	expect_type 401 token_error "GET /$route/not-a-uuid with a bad token: 401"
	areq GET "$AUTH_A1/$route/not-a-uuid" "$AUTH_VIEWER"
	expect_type 422 validation_error "GET /$route/not-a-uuid by a member: 422"
done
tok=$(new_viewer revoked2)
jti=$(actl token verify "$tok" 2>/dev/null | jq -r .jti 2>/dev/null)
actl token revoke "$jti" >/dev/null 2>&1
for route in jobs manifests; do
	areq GET "$AUTH_A1/$route/not-a-uuid" "$tok"
	expect_type 401 token_error "GET /$route/not-a-uuid with a revoked token: 401"
done
