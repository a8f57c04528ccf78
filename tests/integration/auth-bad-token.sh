#!/usr/bin/env bash
# Tokens the API must refuse with 401 token_error (api.md, Errors): garbage, a good token
# with one character changed, another PASETO purpose, a key the server does not hold, the
# wrong audience or issuer, a revoked jti (also once the token has been served and sits in
# a worker's cache), a subject that is no user, and a token that is not valid yet.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 25

# refused WHAT TOKEN: 401 token_error on two routes (a read and a write).
refused() {
	areq GET "$AUTH_A1/jobs" "$2"
	expect_envelope 401 token_error "$1"
	areq POST "$AUTH_A1/manifests" "$2" -H 'Content-Type: application/json' --data-binary '{}'
	expect_type 401 token_error "$1 (POST /manifests)"
}

# served WHAT TOKEN: the control case, so that a refusal is the token's doing.
served() {
	areq GET "$AUTH_A1/jobs" "$2"
	expect_status 200 "$1"
}

viewer_email=viewer-$AUTH_TAG@example.com
issue() { actl token issue --user "$viewer_email" --ttl 600 --key "${KEY:-$AUTH_KEY}" "$@" 2>/dev/null; }

served "a good token is served" "$AUTH_VIEWER"
refused "garbage" "garbage"
refused "v4.public. and nothing" "v4.public."
refused "v4.public with a short body" "v4.public.AAAA"
refused "a v4.local token" "v4.local.${AUTH_VIEWER#v4.public.}"
refused "a v3.public token" "v3.public.${AUTH_VIEWER#v4.public.}"
# One character of the signed part changed (the body's 11th character, in the payload).
tok=$AUTH_VIEWER
body=${tok#v4.public.}
c=${body:10:1}
[ "$c" = A ] && r=B || r=A
refused "one payload character changed" "v4.public.${body:0:10}$r${body:11}"
# The last character of the body is in the signature (before the footer's dot).
sig_end=${body%%.*}
n=${#sig_end}
c=${sig_end:n-2:1}
[ "$c" = A ] && r=B || r=A
refused "one signature character changed" "v4.public.${sig_end:0:n-2}$r${sig_end:n-1}.${body#*.}"
refused "footer removed" "v4.public.$sig_end"
refused "footer of another kid" "v4.public.$sig_end.$(printf '{"kid":"k4.pid.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}' |
	base64 -w0 | tr '+/' '-_' | tr -d '=')"
refused "trailing garbage" "${AUTH_VIEWER}x"

# A key the server never saw: a well-formed token signed by a stranger.
actl keygen --dir "$T_TMP" --name stranger >/dev/null 2>&1 || not_ok "keygen stranger" "exit 0" "failed"
tok=$(KEY=$T_TMP/stranger.secret issue)
[ -n "$tok" ] || not_ok "token issue with the stranger's key" "a token" "nothing"
refused "signed by an unknown key" "$tok"

tok=$(issue --aud "elsewhere")
[ -n "$tok" ] || not_ok "token issue --aud elsewhere" "a token" "nothing"
refused "wrong audience" "$tok"
tok=$(issue --iss "someone-else")
[ -n "$tok" ] || not_ok "token issue --iss someone-else" "a token" "nothing"
refused "wrong issuer" "$tok"

# Revoked: served once (so a worker may hold it verified), revoked, then refused by every
# worker (several requests in a row reach several workers).
tok=$(issue)
jti=$(actl token verify "$tok" 2>/dev/null | jq -r .jti 2>/dev/null)
for i in 1 2 3 4 5 6; do areq GET "$AUTH_A1/jobs" "$tok"; done
expect_status 200 "a fresh token is served before its revocation"
if actl token revoke "$jti" >/dev/null 2>"$T_TMP/revoke.err"; then
	ok "worldsctl token revoke $jti"
else
	not_ok "worldsctl token revoke $jti" "exit 0" "$(cat "$T_TMP/revoke.err")"
fi
bad=0 last=
for i in 1 2 3 4 5 6 7 8; do
	areq GET "$AUTH_A1/jobs" "$tok"
	t=$(jq -r .type <<<"$RESP_BODY" 2>/dev/null)
	[ "$RESP_STATUS $t" = "401 token_error" ] || { bad=$((bad + 1)); last="$RESP_STATUS $(resp_excerpt)"; }
done
check "revoked jti: 8 requests in a row all 401 token_error" "0 other answers" "$bad other answers${last:+, e.g. $last}"
refused "revoked jti" "$tok"

# A subject that is not one of our users: the user's row is gone after the token was made.
actl user add --email "gone-$AUTH_TAG@example.com" --username "auth-gone-$AUTH_TAG" \
	>"$T_TMP/gone.id" 2>/dev/null || not_ok "user add gone" "exit 0" "failed"
actl member add --user "gone-$AUTH_TAG@example.com" --org "$AUTH_ORG_A" --workspace a1 \
	--role viewer >/dev/null 2>&1 || not_ok "member add gone" "exit 0" "failed"
tok=$(actl token issue --user "gone-$AUTH_TAG@example.com" --ttl 600 --key "$AUTH_KEY" 2>/dev/null)
served "the user's token is served while the user exists" "$tok"
asql "DELETE FROM users WHERE id = '$(cat "$T_TMP/gone.id")'" >/dev/null ||
	not_ok "delete the user row" "done" "psql failed"
refused "token of a user id that does not exist" "$tok"

# Not valid yet: only npm's paseto (cached by tests/auth/interop.sh) signs a future nbf.
mint_cache=${WORLDS_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/worlds-tests/npm-paseto}/node_modules
viewer_id=$(asql "SELECT id FROM users WHERE email = '$viewer_email'")
mint() { NODE_PATH=$mint_cache node "$(dirname "$0")/auth/mint.js" "$AUTH_KEY" "$AUTH_KID" "$viewer_id" "$@"; }
if [ -f "$mint_cache/paseto/package.json" ] && command -v node >/dev/null; then
	tok=$(mint worlds worlds-api 0 600 2>"$T_TMP/mint.err")
	served "control: a token minted by npm's paseto is served" "$tok"
	refused "nbf one hour ahead" "$(mint worlds worlds-api 0 7200 3600)"
	refused "iat one hour ahead" "$(mint worlds worlds-api 3600 600)"
	refused "lifetime over max_token_ttl (86400 s)" "$(mint worlds worlds-api -60 200000)"
else
	skip "nbf/iat in the future, lifetime over max_token_ttl" "npm paseto not cached (run tests/auth/interop.sh once)"
fi
