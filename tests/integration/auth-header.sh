#!/usr/bin/env bash
# The Authorization header itself (api.md, Errors): none, another scheme, an empty or blank
# bearer each get 401 authentication_error with WWW-Authenticate: Bearer; the scheme's
# name is case-insensitive (RFC 7235), so "bearer" with a good token is served.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 24

refused() { # refused WHAT [curl args]: 401 authentication_error + WWW-Authenticate: Bearer
	local what=$1
	shift
	areq GET "$AUTH_A1/jobs" "" "$@"
	expect_envelope 401 authentication_error "$what"
	expect_header_match WWW-Authenticate '^Bearer( |$)' "$what: WWW-Authenticate: Bearer"
}

refused "no Authorization header"
refused "Basic scheme" -H "Authorization: Basic $(printf 'viewer:secret' | base64)"
refused "Basic scheme carrying a good token" -H "Authorization: Basic $AUTH_VIEWER"
refused "the token without a scheme" -H "Authorization: $AUTH_VIEWER"
refused "empty Authorization header" -H "Authorization;"
refused "Bearer with no token" -H "Authorization: Bearer"
refused "Bearer and blanks only" -H "Authorization: Bearer    "
refused "Bearer glued to the token" -H "Authorization: Bearer$AUTH_VIEWER"
refused "two tokens in one header" -H "Authorization: Bearer $AUTH_VIEWER $AUTH_VIEWER"
# The same on a write and on a route with an id: authentication comes before anything else.
areq POST "$AUTH_A1/manifests" "" -H 'Content-Type: application/json' --data-binary '{}'
expect_envelope 401 authentication_error "POST /manifests without a token"
areq GET "$AUTH_A1/jobs/00000000-0000-4000-8000-000000000000" ""
expect_envelope 401 authentication_error "GET /jobs/{id} without a token"
# And on an organization that does not exist: 401 first, nothing learnt about the slug.
areq GET "/api/v1/org/no-such-org-$AUTH_TAG/ws/a1/worlds/jobs" ""
expect_envelope 401 authentication_error "unknown organization without a token"

areq GET "$AUTH_A1/jobs" "" -H "Authorization: bearer $AUTH_VIEWER"
expect_status 200 "lower-case 'bearer' scheme with a good token is served"
areq GET "$AUTH_A1/jobs" "" -H "Authorization: Bearer $AUTH_VIEWER"
expect_status 200 "the same token with 'Bearer' is served"
