#!/bin/sh
# Interop with an independent PASETO implementation (npm's `paseto`), both ways: it signs
# with the k4.secret from `worldsctl keygen` and we accept the token; a token from
# `worldsctl token issue` verifies there. Skips, saying why, without node/npm or registry.
. "${top_srcdir:?}/tests/auth/tap.sh"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	t_skip_all "node or npm not installed"
# Cached across runs, so that only the first needs the registry.
cache=${WORLDS_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/worlds-tests/npm-paseto}
if [ ! -f "$cache/node_modules/paseto/package.json" ]; then
	mkdir -p "$cache" || t_skip_all "cannot create $cache"
	timeout 180 npm install --prefix "$cache" --no-audit --no-fund --no-save --silent \
	    paseto@3.1.4 >"$cache/install.log" 2>&1 ||
		t_skip_all "npm could not install paseto (registry unreachable?): $(tail -n 1 "$cache/install.log")"
fi
t_setup_db
js="$top_srcdir/tests/auth/paseto-interop.js"
node_run() { NODE_PATH="$cache/node_modules" node "$js" "$@"; }

t_run 0 "keygen" $W keygen --dir "$tmp/keys" --name k1
kid=$T_LAST
t_run 0 "second key (for the negative)" $W keygen --dir "$tmp/keys" --name k2
t_run 0 "user add" $W user add --email interop@example.com --username interop
user=$T_LAST

# node signs, we verify
t_run 0 "node paseto signs with our k4.secret" node_run sign "$tmp/keys/k1.secret" "$kid" "$user" worlds-test worlds-api-test
ntok=$T_LAST
t_grep '^v4\.public\.' "$t_out" "node made a v4.public token"
t_run 0 "worldsctl token verify accepts node's token" $W token verify "$ntok"
t_grep "\"sub\":\"$user\"" "$t_out" "sub read back"
t_grep "\"kid\":\"$kid\"" "$t_out" "kid read back"
t_run 0 "node signs for another audience" node_run sign "$tmp/keys/k1.secret" "$kid" "$user" worlds-test elsewhere
t_run 1 "and we refuse it" $W token verify "$T_LAST"
t_grep "token_error" "$t_err" "as token_error"
t_run 0 "node signs with k2 under k1's kid" node_run sign "$tmp/keys/k2.secret" "$kid" "$user" worlds-test worlds-api-test
t_run 1 "and we refuse the forgery" $W token verify "$T_LAST"
t_grep "bad signature" "$t_err" "as a bad signature"

# we sign, node verifies
t_run 0 "worldsctl token issue" $W token issue --user "$user" --ttl 300 --key "$tmp/keys/k1.secret"
wtok=$T_LAST
t_run 0 "node paseto verifies our token" node_run verify "$tmp/keys/k1.public" "$wtok" worlds-test worlds-api-test
t_grep "\"sub\":\"$user\"" "$t_out" "node reads our sub"
t_grep "\"footer\":\"\\{\\\\\"kid\\\\\":\\\\\"$kid\\\\\"\\}\"" "$t_out" "node reads our footer kid"
t_run 1 "node refuses our token under another key" node_run verify "$tmp/keys/k2.public" "$wtok" worlds-test worlds-api-test
t_done
