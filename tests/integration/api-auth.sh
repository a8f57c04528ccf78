#!/usr/bin/env bash
# The 401/403/404 matrix on the job and manifest routes: no or malformed Authorization →
# 401 authentication_error; a bad, tampered, unknown-key or revoked token → 401 token_error;
# every 401 with WWW-Authenticate: Bearer; a viewer writing or a disabled user → 403; not a
# member, an unknown org or workspace → 404 (no existence leak).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
jobs=$AF_BASE/jobs

unauth() {
	local what=$1 type=$2
	shift 2
	call GET "$jobs" "" "$@"
	expect_envelope 401 "$type" "$what"
	expect_header WWW-Authenticate Bearer "$what: WWW-Authenticate: Bearer"
}
unauth "no Authorization header" authentication_error
unauth "Basic credentials" authentication_error -H 'Authorization: Basic dXNlcjpwYXNz'
unauth "Bearer without a token" authentication_error -H 'Authorization: Bearer '
unauth "a token without the Bearer scheme" authentication_error -H "Authorization: $AF_VIEWER"
unauth "two tokens" authentication_error -H "Authorization: Bearer $AF_VIEWER $AF_VIEWER"
unauth "a token that is not PASETO" token_error -H 'Authorization: Bearer abc.def.ghi'
unauth "a v4.local token" token_error -H "Authorization: Bearer v4.local.${AF_VIEWER#v4.public.}"
body=${AF_VIEWER#v4.public.}
body=${body%%.*}
c=${body:40:1}
[ "$c" = A ] && r=B || r=A
tampered="v4.public.${body:0:40}$r${body:41}.${AF_VIEWER#v4.public.*.}"
unauth "a tampered token" token_error -H "Authorization: Bearer $tampered"
unauth "a truncated token" token_error -H "Authorization: Bearer ${AF_VIEWER:0:60}"
call GET "$jobs" "" -H "authorization: bearer $AF_VIEWER"
expect_status 200 "the scheme is case-insensitive"

# A key the server does not know.
"$WORLDSCTL" --config "$WORLDS_CONFIG" keygen --dir "$T_TMP" --name stranger >/dev/null 2>&1
stranger=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user "viewer-$AF_TAG@example.com" \
	--ttl 600 --key "$T_TMP/stranger.secret" 2>/dev/null)
unauth "a token signed by an unknown key" token_error -H "Authorization: Bearer $stranger"
# Another audience.
aud=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user "viewer-$AF_TAG@example.com" \
	--ttl 600 --key "$AF_KEY" --aud someone-else 2>/dev/null)
unauth "a token for another audience" token_error -H "Authorization: Bearer $aud"

# A revoked token.
tok=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user "viewer-$AF_TAG@example.com" \
	--ttl 600 --key "$AF_KEY" 2>/dev/null)
call GET "$jobs" "$tok"
expect_status 200 "a fresh token works"
jti=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token verify --no-revocation "$tok" 2>/dev/null | jq -r '.jti // .claims.jti // empty')
if [ -n "$jti" ] && "$WORLDSCTL" --config "$WORLDS_CONFIG" token revoke "$jti" >/dev/null 2>&1; then
	unauth "a revoked token" token_error -H "Authorization: Bearer $tok"
else
	not_ok "revoke a token with worldsctl" "token verify prints the jti; token revoke exits 0" "jti '$jti'"
fi

# 403: role and disabled user.
post_json "$AF_BASE/manifests" "$AF_VIEWER" '{}'
expect_envelope 403 forbidden_error "a viewer cannot create"
post_json "$AF_BASE/manifests" "$AF_DISABLED" '{}'
expect_envelope 403 forbidden_error "a disabled user cannot create"
call GET "$jobs" "$AF_DISABLED"
expect_envelope 403 forbidden_error "a disabled user cannot read"
call GET "$jobs" "$AF_VIEWER"
expect_status 200 "a viewer reads"

# 404: membership, unknown tenants, malformed slugs; the same answer whether or not it exists.
call GET "$jobs" "$AF_OUTSIDER"
expect_envelope 404 not_found_error "a member of another workspace of the org"
member404=$(jq -c 'del(.detail)' <<<"$RESP_BODY")
post_json "$AF_BASE/manifests" "$AF_OUTSIDER" '{}'
expect_envelope 404 not_found_error "a non-member cannot create"
call GET "/api/v1/org/$AF_ORG/ws/nosuchws/worlds/jobs" "$AF_VIEWER"
expect_envelope 404 not_found_error "an unknown workspace"
check "non-member and unknown workspace answer alike" "$member404" "$(jq -c 'del(.detail)' <<<"$RESP_BODY")"
call GET "/api/v1/org/nosuchorg-$AF_TAG/ws/lab/worlds/jobs" "$AF_VIEWER"
expect_envelope 404 not_found_error "an unknown organization"
call GET "/api/v1/org/UPPER/ws/lab/worlds/jobs" "$AF_VIEWER"
expect_envelope 404 not_found_error "a slug that is not a slug"

# Token before tenancy: an unknown org with no token is 401, not 404.
call GET "/api/v1/org/nosuchorg-$AF_TAG/ws/lab/worlds/jobs" ""
expect_envelope 401 authentication_error "no token on an unknown org: 401 first"

# A job of this workspace through another one's path.
post_json "$AF_BASE/manifests" "$AF_EDITOR" '{"name":"mine"}'
job=$(jq -r .id <<<"$RESP_BODY")
call GET "/api/v1/org/$AF_ORG/ws/other/worlds/jobs/$job" "$AF_OUTSIDER"
expect_envelope 404 not_found_error "a job of another workspace"

call GET /api/v1/healthz ""
expect_status 200 "healthz needs no token"
call GET /api/v1/readyz ""
expect_status 200 "readyz needs no token"
