#!/usr/bin/env bash
# An expired token gets 401 expired_token_error (api.md, Errors), on a read and a write, and
# also when the org or workspace is unknown (the token is judged first). worldsctl signs
# only from now on, so the token is signed with a past iat and exp by npm's paseto, as
# cached by tests/auth/interop.sh: without that cache this test says so and skips.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 26

mint_cache=${WORLDS_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/worlds-tests/npm-paseto}/node_modules
if ! command -v node >/dev/null || [ ! -f "$mint_cache/paseto/package.json" ]; then
	skip "expired token" "npm paseto not cached in $mint_cache (tests/auth/interop.sh installs it)"
	exit 0
fi
viewer_id=$(asql "SELECT id FROM users WHERE email = 'viewer-$AUTH_TAG@example.com'")
# mint SHIFT TTL: iat = now + SHIFT, exp = iat + TTL (seconds).
mint() {
	NODE_PATH=$mint_cache node "$(dirname "$0")/auth/mint.js" "$AUTH_KEY" "$AUTH_KID" \
		"$viewer_id" worlds worlds-api "$@" 2>"$T_TMP/mint.err" ||
		not_ok "mint.js $*" "a token" "$(cat "$T_TMP/mint.err")"
}

# The control: the same minting, valid now, is served.
areq GET "$AUTH_A1/jobs" "$(mint -10 600)"
expect_status 200 "control: a token minted now is served"

expired=$(mint -7200 3600)
areq GET "$AUTH_A1/jobs" "$expired"
expect_envelope 401 expired_token_error "expired an hour ago: GET /jobs"
areq POST "$AUTH_A1/manifests" "$expired" -H 'Content-Type: application/json' --data-binary '{"seed":1}'
expect_type 401 expired_token_error "expired an hour ago: POST /manifests"
areq GET "/api/v1/org/no-such-$AUTH_TAG/ws/a1/worlds/jobs" "$expired"
expect_type 401 expired_token_error "expired, on an unknown organization"

# Past the 60 s skew by a little: exp 2 minutes ago.
areq GET "$AUTH_A1/jobs" "$(mint -720 600)"
expect_type 401 expired_token_error "expired two minutes ago (past the 60 s skew)"
# Within the skew: exp 20 s ago is still served.
areq GET "$AUTH_A1/jobs" "$(mint -620 600)"
expect_status 200 "expired 20 s ago (within the 60 s skew) is served"
