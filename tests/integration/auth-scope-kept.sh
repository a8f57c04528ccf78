#!/usr/bin/env bash
# The routes that keep a resolved tenancy per worker (GET /jobs/{id} and POST /manifests,
# src/api/scope.c) never serve a request the tenancy no longer allows: after each change
# below, made while every worker has the caller's scope kept (many requests first), the
# very next requests, all of them, get what api.md says:
#   - the token revoked                         -> 401 token_error
#   - the membership removed                    -> 404 not_found_error
#   - the role lowered from editor to viewer    -> 403 on POST, 200 on GET
#   - the user disabled                         -> 403 forbidden_error
#   - the workspace renamed (slug)              -> 404 under the old slug
# and an unchanged member is served throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 29

BODY='{"name":"kept","preset":"small","num_users":10,"num_hosts":2,"seed":3}'
post() { areq POST "$1/manifests" "$2" -H 'Content-Type: application/json' --data-binary "$BODY"; }

new_member() { auth_new_member "kept-$1" editor; }

# warm BASE TOKEN: enough creates and reads that every worker keeps the scope; sets JOB.
warm() {
	local i bad=0
	for i in $(seq 1 12); do
		post "$1" "$2"
		[ "$RESP_STATUS" = 202 ] || bad=$((bad + 1))
		JOB=$(jq -r .id <<<"$RESP_BODY" 2>/dev/null)
		areq GET "$1/jobs/$JOB" "$2"
		[ "$RESP_STATUS" = 200 ] || bad=$((bad + 1))
	done
	check "$3: served before the change (24 requests)" 0 "$bad"
}

# after WHAT BASE TOKEN POST_EXPECT GET_EXPECT: 8 creates and 8 reads right after the change.
after() {
	local what=$1 base=$2 tok=$3 pe=$4 ge=$5 i got_p= got_g=
	for i in $(seq 1 8); do
		post "$base" "$tok"
		got_p="$got_p $RESP_STATUS/$(jq -r .type <<<"$RESP_BODY" 2>/dev/null)"
		areq GET "$base/jobs/$JOB" "$tok"
		got_g="$got_g $RESP_STATUS/$(jq -r '.type // "job"' <<<"$RESP_BODY" 2>/dev/null)"
	done
	check "$what: POST /manifests, 8 in a row" "$(printf " $pe%.0s" $(seq 1 8))" "$got_p"
	check "$what: GET /jobs/{id}, 8 in a row" "$(printf " $ge%.0s" $(seq 1 8))" "$got_g"
}

# Revocation.
tok=$(new_member revoked)
warm "$AUTH_A1" "$tok" "revoked"
jti=$(actl token verify "$tok" 2>/dev/null | jq -r .jti 2>/dev/null)
actl token revoke "$jti" >/dev/null 2>"$T_TMP/err" || not_ok "token revoke" "exit 0" "$(cat "$T_TMP/err")"
after "token revoked" "$AUTH_A1" "$tok" 401/token_error 401/token_error

# Membership removed.
tok=$(new_member removed)
warm "$AUTH_A1" "$tok" "removed"
actl member remove --user "kept-removed-$AUTH_TAG@example.com" --org "$AUTH_ORG_A" --workspace a1 \
	>/dev/null 2>"$T_TMP/err" || not_ok "member remove" "exit 0" "$(cat "$T_TMP/err")"
after "membership removed" "$AUTH_A1" "$tok" 404/not_found_error 404/not_found_error

# Role lowered: removed, then added back as a viewer.
tok=$(new_member lowered)
warm "$AUTH_A1" "$tok" "lowered"
email=kept-lowered-$AUTH_TAG@example.com
actl member remove --user "$email" --org "$AUTH_ORG_A" --workspace a1 >/dev/null 2>&1
actl member add --user "$email" --org "$AUTH_ORG_A" --workspace a1 --role viewer \
	>/dev/null 2>"$T_TMP/err" || not_ok "member add as viewer" "exit 0" "$(cat "$T_TMP/err")"
after "role lowered to viewer" "$AUTH_A1" "$tok" 403/forbidden_error 200/job

# User disabled.
tok=$(new_member disabled)
warm "$AUTH_A1" "$tok" "disabled"
actl user disable "kept-disabled-$AUTH_TAG@example.com" >/dev/null 2>"$T_TMP/err" ||
	not_ok "user disable" "exit 0" "$(cat "$T_TMP/err")"
after "user disabled" "$AUTH_A1" "$tok" 403/forbidden_error 403/forbidden_error

# The workspace's slug changed under the URL (done in SQL: there is no worldsctl for it).
tok=$(new_member renamed)
actl workspace add "$AUTH_ORG_A" "r-$AUTH_TAG" --name "Renamed" >/dev/null 2>"$T_TMP/err" ||
	not_ok "workspace add" "exit 0" "$(cat "$T_TMP/err")"
actl member add --user "kept-renamed-$AUTH_TAG@example.com" --org "$AUTH_ORG_A" \
	--workspace "r-$AUTH_TAG" --role editor >/dev/null 2>&1
base_r=/api/v1/org/$AUTH_ORG_A/ws/r-$AUTH_TAG/worlds
warm "$base_r" "$tok" "renamed"
psql "$WORLDS_DATABASE_URL" -XqAt -c "UPDATE workspaces SET slug = 's-$AUTH_TAG' WHERE slug = 'r-$AUTH_TAG'" ||
	not_ok "rename the workspace" "UPDATE 1" "psql failed"
after "workspace renamed, old slug" "$base_r" "$tok" 404/not_found_error 404/not_found_error

# An unchanged member all along.
areq GET "$AUTH_A1/jobs" "$AUTH_EDITOR"
expect_status 200 "the workspace's unchanged editor is still served"
post "$AUTH_A1" "$AUTH_EDITOR"
expect_status 202 "and may still create"
