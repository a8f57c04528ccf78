#!/bin/sh
# worldsctl's auth commands end to end on a throwaway PostgreSQL: migrate, keygen, org,
# workspace, user, member (add, remove, list), token issue/verify/revoke/list/prune, user
# disable/enable; every refusal with its exit code.
. "${top_srcdir:?}/tests/auth/tap.sh"
t_setup_db
uuid_part='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
uuid="^$uuid_part\$"

for c in keygen "token issue" "token verify" "token revoke" "token list" "token prune" \
    "org add" "org list" "workspace add" "workspace list" "user add" "user disable" \
    "user enable" "user list" "member add" "member remove" "member list"; do
	t_run 0 "$c --help" $W $c --help
	t_grep "^usage: worldsctl $c" "$t_out" "$c --help prints its usage"
done
t_run 0 "migrate --help" $W migrate --help
t_grep "^usage: worldsctl migrate" "$t_out" "migrate --help prints its usage"
t_run 0 "migrate a second time" $W migrate --sql-dir "$top_srcdir/sql"
nsql=$(ls "$top_srcdir"/sql/[0-9][0-9][0-9]_*.sql | wc -l)
t_grep "^worldsctl migrate: up to date \($nsql migrations\)\$" "$t_out" "a second migrate says up to date"
t_ok $([ ! -s "$t_err" ] && echo 0 || echo 1) "and prints nothing else (no NOTICE)"
t_run 1 "migrate from a directory without migrations" $W migrate --sql-dir "$tmp"
t_grep "no migrations" "$t_err" "the empty directory is named"
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
t_run 0 "keygen into a missing dir creates it" $W keygen --dir "$tmp/new" --name k2
t_ok $([ "$(stat -c %a "$tmp/new")" = 700 ] && echo 0 || echo 1) "the new key directory is 0700"
t_grep "created $tmp/new \(mode 0700\)" "$t_err" "keygen says it created the directory"
t_run 1 "keygen under a missing parent" $W keygen --dir "$tmp/nope/deeper" --name k2
t_grep "cannot create the key directory $tmp/nope/deeper: .*parent directory is missing" "$t_err" \
    "the missing parent is named"
: >"$tmp/plainfile"
t_run 1 "keygen into a file" $W keygen --dir "$tmp/plainfile" --name k2
t_grep "is not a directory" "$t_err" "a --dir that is a file is named"
t_run 0 "keygen with default dir (keys_dir) and name" $W keygen
t_grep "is keys_dir: unless this host also mints the tokens, move" "$t_err" \
    "a secret written into keys_dir is pointed out"

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

# what token issue records
t_ok $([ "$(psql -Atc "SELECT user_id, kid, audience, expires_at - issued_at FROM issued_tokens WHERE jti = '$jti'")" = "$alice|$kid1|worlds-api-test|00:10:00" ] && echo 0 || echo 1) \
    "token issue records jti, user, key, audience and lifetime"
psql -qc "ALTER TABLE issued_tokens ADD CONSTRAINT refuse_all CHECK (false) NOT VALID"
t_run 1 "a token that cannot be recorded" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret"
t_ok $([ -s "$t_out" ] && echo 1 || echo 0) "is never printed"
t_grep "cannot record the token" "$t_err" "and the reason is given"
psql -qc "ALTER TABLE issued_tokens DROP CONSTRAINT refuse_all"

# revocation
t_run 2 "revoke a jti that is not a UUID" $W token revoke not-a-uuid
t_grep "'not-a-uuid' is not a jti.*--foreign" "$t_err" "the malformed jti is named"
t_ok $([ "$(psql -Atc 'SELECT count(*) FROM revoked_tokens')" = 0 ] && echo 0 || echo 1) \
    "and nothing is revoked"
# One character changed: the last hex digit, to another.
typo=$(printf '%s' "$jti" | sed 's/.$//')$(case $jti in *0) echo 1 ;; *) echo 0 ;; esac)
t_run 3 "revoke a UUID never issued here" $W token revoke "$typo"
t_grep "warning: jti '$typo' was never issued by this installation .*revoked anyway" "$t_err" \
    "a jti never issued is revoked with a warning"
t_run 0 "token revoke" $W token revoke "$(printf '%s' "$jti" | tr a-f A-F)"
t_grep "jti $jti revoked \(user alice@example.com, it would have expired at " "$t_err" \
    "revoking names the issued jti (in any case), its user and expiry"
t_ok $([ "$(psql -Atc "SELECT r.expires_at = i.expires_at + interval '60 s' FROM revoked_tokens r JOIN issued_tokens i USING (jti)")" = t ] && echo 0 || echo 1) \
    "the revocation is kept until the token's own expiry (plus skew)"
t_run 1 "revoked token refused" $W token verify "$tok"
t_grep "token_error: revoked" "$t_err" "revocation named as the reason"
t_run 0 "revoked token passes without the database" $W token verify --no-revocation "$tok"
t_run 1 "revoke twice" $W token revoke "$jti"
t_grep "already revoked" "$t_err" "second revoke says so"
t_run 3 "revoke a foreign jti" $W token revoke --foreign "minted-elsewhere-42"
t_run 2 "revoke without a jti" $W token revoke
t_run 2 "revoke an empty jti" $W token revoke --foreign ""
t_run 2 "revoke a jti over 128 bytes" $W token revoke --foreign "$(printf 'j%.0s' $(seq 129))"
t_run 2 "revoke a jti with a control character" $W token revoke --foreign "$(printf 'a\tb')"
t_run 2 "revoke with an option it does not take" $W token revoke --json "$jti"
t_grep "\-\-json does not apply here" "$t_err" "the stray option is named"

# token list and prune
t_run 0 "token list" $W token list
t_grep "^JTI +STATE +USER +ISSUED_AT +EXPIRES_AT +REVOKED_AT +KID$" "$t_out" "token list has its header"
t_grep "^$jti +revoked +alice@example.com " "$t_out" "the revoked token is listed as revoked"
t_grep "^minted-elsewhere-42 +revoked +- " "$t_out" "a foreign revocation has no user"
t_run 0 "token list --json --state active" $W token list --json --state active
t_ok $(jq -e 'length >= 2 and all(.[]; .state == "active" and (.jti | test("^[0-9a-f-]{36}$")) and .revoked_at == null)' "$t_out" >/dev/null && echo 0 || echo 1) \
    "--state active lists only active tokens, as JSON"
t_run 0 "token list --user" $W token list --user bob@example.com --json
t_ok $(jq -e 'length == 0' "$t_out" >/dev/null && echo 0 || echo 1) "a user without tokens has none"
t_run 2 "token list --state bogus" $W token list --state bogus
t_run 2 "token list --limit 0" $W token list --limit 0
t_run 1 "token list for an unknown user" $W token list --user carol@example.com
t_run 0 "token list --limit 1" $W token list --limit 1 --json
t_ok $(jq -e 'length == 1' "$t_out" >/dev/null && echo 0 || echo 1) "--limit caps the list"
# Age alice's revoked token by two days: long expired, and so is its revocation.
psql -qc "UPDATE issued_tokens SET issued_at = issued_at - interval '2 days', expires_at = expires_at - interval '2 days' WHERE jti = '$jti'; UPDATE revoked_tokens SET expires_at = expires_at - interval '2 days' WHERE jti = '$jti'"
psql -qc "UPDATE issued_tokens SET issued_at = issued_at - interval '2 days', expires_at = expires_at - interval '2 days' WHERE jti = (SELECT jti FROM issued_tokens WHERE jti <> '$jti' ORDER BY issued_at LIMIT 1)"
t_run 0 "token list --state expired" $W token list --state expired --json
t_ok $(jq -e 'length == 1' "$t_out" >/dev/null && echo 0 || echo 1) "the aged unrevoked token is expired"
before=$(psql -Atc "SELECT (SELECT count(*) FROM revoked_tokens), (SELECT count(*) FROM issued_tokens)")
t_run 0 "token prune" $W token prune
t_grep "^pruned 1 revocations, 2 issued-token records$" "$t_out" "prune says what it removed"
after=$(psql -Atc "SELECT (SELECT count(*) FROM revoked_tokens), (SELECT count(*) FROM issued_tokens)")
t_ok $([ "${before%|*}" = $((${after%|*} + 1)) ] && [ "${before#*|}" = $((${after#*|} + 2)) ] && echo 0 || echo 1) \
    "exactly those rows are gone ($before before, $after after)"
t_run 0 "token prune again" $W token prune
t_grep "^pruned 0 revocations, 0 issued-token records$" "$t_out" "a second prune finds nothing"
t_run 2 "token prune takes no argument" $W token prune now

# disable and enable
t_run 0 "user enable of an enabled user changes nothing" $W user enable alice@example.com
t_grep "already enabled: nothing changed" "$t_err" "enabling an enabled user says so"
t_run 0 "user disable" $W user disable alice@example.com
t_run 0 "user disable again is harmless" $W user disable "$alice"
t_grep "already disabled: nothing changed" "$t_err" "disabling a disabled user says so"
t_run 1 "user disable unknown" $W user disable carol@example.com
t_run 1 "no token for a disabled user" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret"
t_grep "disabled" "$t_err" "disabled named as the reason"
t_run 0 "user list --json" $W user list --json
t_ok $(jq -e --arg id "$alice" '.[] | select(.id == $id) | .disabled == true and .workspaces == 1' "$t_out" >/dev/null && echo 0 || echo 1) \
    "user list --json: disabled is a boolean, workspaces a number"
t_run 0 "user enable" $W user enable "$alice"
t_grep "user $alice enabled" "$t_err" "user enable says so"
t_run 0 "a token for the enabled user again" $W token issue --user "$alice" --ttl 60 --key "$tmp/keys/k1.secret"
t_run 0 "and it verifies" $W token verify "$T_LAST"
t_run 1 "user enable unknown" $W user enable carol@example.com
t_run 2 "user enable without a user" $W user enable

# the tenant lists
t_run 0 "org list" $W org list
t_grep "^ID +SLUG +NAME +WORKSPACES +CREATED_AT$" "$t_out" "org list has its header"
t_grep "^$uuid_part +acme +Acme Corp +1 +" "$t_out" "org list shows acme with its workspace count"
t_run 0 "org list --json" $W org list --json
t_ok $(jq -e '[.[].slug] == ["acme", "globex"] and (.[0].workspaces | type) == "number"' "$t_out" >/dev/null && echo 0 || echo 1) \
    "org list --json: both organizations, counts as numbers"
t_run 2 "org list takes no argument" $W org list acme
t_run 0 "workspace list" $W workspace list
t_grep "^$uuid_part +acme +red +red +$uuid_part +1 +" "$t_out" "workspace list shows acme/red"
t_run 0 "workspace list ORG --json" $W workspace list globex --json
t_ok $(jq -e 'length == 1 and .[0].org == "globex" and .[0].members == 0' "$t_out" >/dev/null && echo 0 || echo 1) \
    "workspace list ORG lists that organization's only"
t_run 1 "workspace list of an unknown org" $W workspace list nope
t_grep "no organization 'nope'" "$t_err" "the unknown organization is named"
t_run 2 "workspace list with a bad slug" $W workspace list "Not A Slug"
t_run 0 "user list" $W user list
t_grep "^$uuid_part +alice@example.com +alice +Alice Liddell +no +1 +" "$t_out" "user list shows alice"
t_grep "^$uuid_part +bob@example.com +bob +- +no +0 +" "$t_out" "a missing full name shows as -"
t_run 0 "member list" $W member list
t_grep "^acme +red +alice@example.com +$alice +editor +no +" "$t_out" "member list shows alice's role"
t_run 0 "member list --org --workspace --json" $W member list --org acme --workspace red --json
t_ok $(jq -e --arg id "$alice" 'length == 1 and .[0].user_id == $id and .[0].role == "editor"' "$t_out" >/dev/null && echo 0 || echo 1) \
    "member list of one workspace, as JSON"
t_run 0 "member list --user" $W member list --user bob@example.com --json
t_ok $(jq -e 'length == 0' "$t_out" >/dev/null && echo 0 || echo 1) "a user in no workspace has no memberships"
t_run 2 "member list --workspace without --org" $W member list --workspace red
t_run 1 "member list of an unknown workspace" $W member list --org acme --workspace blue
t_grep "no workspace 'blue' in 'acme'" "$t_err" "the unknown workspace is named"
t_run 1 "member list of an unknown user" $W member list --user carol@example.com
t_run 2 "member list --role" $W member list --role admin
t_run 2 "an option without its value" $W member list --org
t_grep "a value is needed after '--org'" "$t_err" "the option missing its value is named"

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
