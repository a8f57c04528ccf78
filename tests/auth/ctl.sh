#!/bin/sh
# worldsctl's auth commands end to end on a throwaway PostgreSQL: keygen, org, workspace,
# user, member, token issue/verify/revoke, user disable; every refusal with its exit code.
. "${top_srcdir:?}/tests/auth/tap.sh"
t_setup_db
uuid='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

for c in keygen "token issue" "token verify" "token revoke" "org add" "workspace add" \
    "user add" "user disable" "member add" "member remove"; do
	t_run 0 "$c --help" $W $c --help
	t_grep "^usage: worldsctl $c" "$t_out" "$c --help prints its usage"
done
t_run 0 "migrate --help" $W migrate --help
t_grep "^usage: worldsctl migrate" "$t_out" "migrate --help prints its usage"
t_run 2 "an unknown command" $W frobnicate
t_run 2 "an unknown subcommand" $W member frob
# Every command worldsctl --help lists has its entry in worldsctl(8).
t_run 0 "worldsctl --help" $W --help
sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\)  .*/\1/p' "$t_out" >"$tmp/cmds"
missing=
while read -r c; do
	grep -q "^\.B $c\( \|\$\)" "$top_srcdir/docs/worldsctl.8" || missing="$missing $c"
done <"$tmp/cmds"
t_ok $([ -z "$missing" ] && [ "$(wc -l <"$tmp/cmds")" -ge 15 ] && echo 0 || echo 1) \
    "every command of worldsctl --help is in worldsctl.8 (missing:${missing:- none})"

# keygen
t_run 0 "keygen" $W keygen --dir "$tmp/keys" --name k1
t_grep '^k4\.pid\.[A-Za-z0-9_-]{44}$' "$t_out" "keygen prints a k4.pid"
kid1=$T_LAST
t_ok $([ "$(stat -c %a "$tmp/keys/k1.secret")" = 600 ] && echo 0 || echo 1) "secret file is 0600"
t_grep '^k4\.secret\.[A-Za-z0-9_-]{86}$' "$tmp/keys/k1.secret" "secret file holds a k4.secret"
t_grep '^k4\.public\.[A-Za-z0-9_-]{43}$' "$tmp/keys/k1.public" "public file holds a k4.public"
secret_b64=$(sed 's/^k4\.secret\.//' "$tmp/keys/k1.secret")
t_run 1 "keygen refuses to overwrite" $W keygen --dir "$tmp/keys" --name k1
t_run 2 "keygen refuses a path as name" $W keygen --dir "$tmp/keys" --name ../evil
t_run 1 "keygen into a missing dir" $W keygen --dir "$tmp/nope" --name k2
t_run 0 "keygen with default dir (keys_dir) and name" $W keygen

# organizations and workspaces
t_run 0 "org add" $W org add acme --name "Acme Corp"
t_grep "$uuid" "$t_out" "org add prints an id"
t_run 1 "org add duplicate" $W org add acme
t_grep "already exists" "$t_err" "duplicate org says so"
t_run 2 "org add bad slug" $W org add Bad_Slug
t_run 2 "org add without slug" $W org add
t_run 0 "second org" $W org add globex
t_run 0 "workspace add" $W workspace add acme red
t_grep "$uuid" "$t_out" "workspace add prints an id"
t_run 1 "workspace add duplicate" $W workspace add acme red
t_grep "already exists" "$t_err" "duplicate workspace says so"
t_run 0 "same workspace slug in another org" $W workspace add globex red
t_run 1 "workspace add in unknown org" $W workspace add nope red
t_grep "no organization 'nope'" "$t_err" "unknown org named"
t_run 2 "workspace add bad slug" $W workspace add acme "Red Team"

# users
t_run 0 "user add" $W user add --email Alice@Example.COM --username alice --full-name "Alice Liddell"
t_grep "$uuid" "$t_out" "user add prints an id"
alice=$T_LAST
t_run 1 "duplicate e-mail, other case" $W user add --email alice@example.com --username alice2
t_grep "e-mail already exists" "$t_err" "duplicate e-mail says so"
t_run 1 "duplicate username, other case" $W user add --email a2@example.com --username ALICE
t_grep "username already exists" "$t_err" "duplicate username says so"
t_run 2 "bad e-mail" $W user add --email not-an-email --username bob
t_run 2 "bad username" $W user add --email bob@example.com --username "bob smith"
t_run 2 "missing username" $W user add --email bob@example.com
t_run 0 "second user" $W user add --email bob@example.com --username bob
bob=$T_LAST

# memberships
t_run 0 "member add" $W member add --user alice@example.com --org acme --workspace red --role editor
t_run 1 "member add duplicate" $W member add --user "$alice" --org acme --workspace red
t_grep "already a member" "$t_err" "duplicate membership says so"
t_run 2 "member add bad role" $W member add --user bob@example.com --org acme --workspace red --role root
t_run 1 "member add unknown user" $W member add --user carol@example.com --org acme --workspace red
t_grep "no user" "$t_err" "unknown user named"
t_run 1 "member add unknown workspace" $W member add --user bob@example.com --org acme --workspace blue
t_grep "no workspace 'blue'" "$t_err" "unknown workspace named"
t_run 0 "member add default role" $W member add --user bob@example.com --org acme --workspace red
t_ok $([ "$(psql -Atc "SELECT role FROM memberships WHERE user_id = '$bob'")" = viewer ] && echo 0 || echo 1) "default role is viewer"
t_run 0 "member remove" $W member remove --user bob@example.com --org acme --workspace red
t_run 1 "member remove again" $W member remove --user bob@example.com --org acme --workspace red
t_grep "not a member" "$t_err" "non-member removal says so"
t_run 1 "member remove unknown user" $W member remove --user carol@example.com --org acme --workspace red
t_grep "no user" "$t_err" "unknown user named"
t_run 1 "member remove unknown workspace" $W member remove --user bob@example.com --org acme --workspace blue
t_grep "no workspace 'blue'" "$t_err" "unknown workspace named"
t_run 1 "member remove in unknown org" $W member remove --user bob@example.com --org nope --workspace red
t_grep "no organization 'nope'" "$t_err" "unknown org named"
t_run 2 "member remove bad slug" $W member remove --user bob@example.com --org acme --workspace "Red Team"

# tokens
t_run 0 "token issue" $W token issue --user alice@example.com --ttl 600 --key "$tmp/keys/k1.secret"
t_grep '^v4\.public\.' "$t_out" "a v4.public token"
tok=$T_LAST
jti=$(sed -n 's/.*jti \([^,]*\),.*/\1/p' "$t_err")
t_ok $([ -n "$jti" ] && echo 0 || echo 1) "issue reports the jti"
t_run 0 "token verify" $W token verify "$tok"
t_grep "\"sub\":\"$alice\"" "$t_out" "verify prints the user as sub"
t_grep "\"kid\":\"$kid1\"" "$t_out" "verify prints the kid"
printf '%s\n' "$tok" >"$tmp/tok"
$W token verify - <"$tmp/tok" >"$tmp/v.out" 2>&1
t_ok $? "token verify reads stdin"
t_run 1 "tampered token" $W token verify "${tok%?}A"
t_grep "^worldsctl token verify: token_error" "$t_err" "tampered is token_error"
t_run 0 "token issue by user id" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret"
t_run 2 "ttl over max_token_ttl" $W token issue --user "$alice" --ttl 3601 --key "$tmp/keys/k1.secret"
t_run 2 "ttl not a number" $W token issue --user "$alice" --ttl 10m --key "$tmp/keys/k1.secret"
t_run 1 "unknown user" $W token issue --user carol@example.com --ttl 60 --key "$tmp/keys/k1.secret"
t_run 2 "missing --key" $W token issue --user "$alice" --ttl 60
chmod 0644 "$tmp/keys/k1.secret"
t_run 1 "secret readable by others refused" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret"
chmod 0600 "$tmp/keys/k1.secret"
t_run 0 "issue with another audience" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret" --aud other
t_run 1 "other audience is refused here" $W token verify "$T_LAST"
t_grep "token_error: wrong or missing audience" "$t_err" "audience named as the reason"

# revocation
t_run 0 "token revoke" $W token revoke "$jti"
t_run 1 "revoked token refused" $W token verify "$tok"
t_grep "token_error: revoked" "$t_err" "revocation named as the reason"
t_run 0 "revoked token passes without the database" $W token verify --no-revocation "$tok"
t_run 1 "revoke twice" $W token revoke "$jti"
t_grep "already revoked" "$t_err" "second revoke says so"
t_run 2 "revoke without a jti" $W token revoke
t_run 2 "revoke an empty jti" $W token revoke ""
t_run 2 "revoke a jti over 128 bytes" $W token revoke "$(printf 'j%.0s' $(seq 129))"

# disable
t_run 0 "user disable" $W user disable alice@example.com
t_run 0 "user disable again is harmless" $W user disable "$alice"
t_run 1 "user disable unknown" $W user disable carol@example.com
t_run 1 "no token for a disabled user" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret"
t_grep "disabled" "$t_err" "disabled named as the reason"

# rotation: a second key, the first one removed
t_run 0 "second key" $W keygen --dir "$tmp/keys" --name k2
t_run 0 "token from the new key" $W token issue --user bob@example.com --ttl 60 --key "$tmp/keys/k2.secret"
tok2=$T_LAST
t_run 0 "token from the old key" $W token issue --user bob@example.com --ttl 60 --key "$tmp/keys/k1.secret"
tok1=$T_LAST
t_run 0 "both keys verify: new" $W token verify "$tok2"
t_run 0 "both keys verify: old" $W token verify "$tok1"
mv "$tmp/keys/k1.public" "$tmp/k1.public.removed"
t_run 1 "old key removed: its token is refused" $W token verify "$tok1"
t_grep "token_error: unknown key id" "$t_err" "unknown key named as the reason"
t_run 0 "new key still verifies" $W token verify "$tok2"
cp "$tmp/keys/k1.secret" "$tmp/keys/oops.public"
t_run 1 "a secret key in keys_dir stops the load" $W token verify "$tok2"
t_grep "holds a secret key" "$t_err" "the misplaced secret is named"
rm -f "$tmp/keys/oops.public"

# No secret key material in anything worldsctl printed.
cat "$tmp/v.out" >>"$t_all"
t_ok $(grep -q -- "$secret_b64" "$t_all" && echo 1 || echo 0) "no secret in any output"
t_done
