#!/usr/bin/env bash
# GET /api/v1/me: the token's user and every organization and workspace they belong to,
# both sorted by slug, whatever order they were made in; an empty list for a user with no
# membership; the database's values exactly; 401 / 403 / 405 as on every route.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
me=/api/v1/me

# A user of two organizations made in reverse slug order, with workspaces likewise.
tag=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
email=me-$tag@example.com
for o in "zz-me-$tag" "aa-me-$tag"; do
	af_ctl org add "$o" --name "Org ${o%%-*}" >/dev/null 2>&1 || af_fail "org add $o"
	for w in w2 w1; do
		af_ctl workspace add "$o" "$w" --name "WS $w" >/dev/null 2>&1 || af_fail "workspace add $o/$w"
	done
done
uid=$(af_ctl user add --email "$email" --username "me-$tag" 2>/dev/null) || af_fail "user add $email"
for m in "zz-me-$tag w2 viewer" "aa-me-$tag w2 admin" "aa-me-$tag w1 editor"; do
	set -- $m
	af_ctl member add --user "$email" --org "$1" --workspace "$2" --role "$3" >/dev/null 2>&1 ||
		af_fail "member add $m"
done
tok=$(af_ctl token issue --user "$email" --ttl 600 --key "$AF_KEY" 2>/dev/null) || af_fail "token issue"

call GET "$me" "$tok"
expect_status 200 "GET /me"
expect_header Content-Type "$JSON_CT" "GET /me: JSON"
expect_json '.user | tojson' "{\"id\":\"$uid\",\"email\":\"$email\",\"username\":\"me-$tag\",\"full_name\":null}" \
	"the user: id, email, username; full_name null when there is none"
expect_json '[.organizations[] | .slug + ":" + ([.workspaces[] | .slug + "=" + .role] | join(","))] | join(" ")' \
	"aa-me-$tag:w1=editor,w2=admin zz-me-$tag:w2=viewer" \
	"organizations by slug, their workspaces by slug, with the caller's role; no empty one"
# The same answer computed by the database itself.
want=$(af_sql "SELECT json_agg(o ORDER BY o.slug) FROM (
	SELECT o.id, o.slug, o.name, json_agg(json_build_object('id', w.id, 'slug', w.slug,
		'name', w.name, 'role', m.role, 'default_project_id', w.default_project_id)
		ORDER BY w.slug) AS workspaces
	  FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
	  JOIN organizations o ON o.id = w.organization_id
	 WHERE m.user_id = '$uid' GROUP BY o.id, o.slug, o.name) o" | jq -c .)
expect_json '.organizations | tojson' "$want" "every id, name and default_project_id is the database's"

call GET "$me" "$AF_ADMIN"
expect_json '.user | [.id, .email, .full_name] | join(" ")' "$AF_ADMIN_ID admin-$AF_TAG@example.com API admin" \
	"the fixture's admin: full_name set"
expect_json "[.organizations[] | select(.slug == \"$AF_ORG\") | .workspaces[] | select(.slug == \"$AF_WS\") |
	.id, .role, .default_project_id] | join(\" \")" "$AF_WS_ID admin $AF_PROJECT_ID" \
	"the fixture's workspace, its role and default project"

lonely=$(af_ctl user add --email "lonely-$tag@example.com" --username "lonely-$tag" 2>/dev/null) ||
	af_fail "user add lonely"
ltok=$(af_ctl token issue --user "$lonely" --ttl 600 --key "$AF_KEY" 2>/dev/null) || af_fail "token issue lonely"
call GET "$me" "$ltok"
expect_status 200 "a user without memberships: 200"
expect_json '.organizations | tojson' '[]' "a user without memberships: no organizations"

call GET "$me" ""
expect_envelope 401 authentication_error "GET /me without a token"
expect_header WWW-Authenticate Bearer "GET /me without a token: WWW-Authenticate"
call GET "$me" "v4.public.not-a-token"
expect_envelope 401 token_error "GET /me with a malformed token"
call GET "$me" "$AF_DISABLED"
expect_envelope 403 forbidden_error "GET /me of a disabled user"
jti=$(af_ctl token verify --no-revocation "$ltok" 2>/dev/null | jq -r '.jti // .claims.jti // empty')
if [ -n "$jti" ] && af_ctl token revoke "$jti" >/dev/null 2>&1; then
	call GET "$me" "$ltok"
	expect_envelope 401 token_error "GET /me with a revoked token"
else
	not_ok "revoke a token with worldsctl" "token verify prints the jti; token revoke exits 0" "jti '$jti'"
fi
call POST "$me" "$tok"
expect_envelope 405 invalid_error "POST /me"
expect_header Allow GET "POST /me: Allow"
