/*
 * worldsctl org|workspace|user|member list: the tenants as columns, or as one JSON array
 * with --json. A filter naming something that does not exist is an error (exit 1), not an
 * empty list, so that a typo never reads as "nobody".
 */
#include <stdio.h>
#include <string.h>

#include "auth/ctl_internal.h"
#include "db/db.h"

/* Parses a list command that takes only --json and up to maxpos positionals. */
static int list_args(const char *cmd, int argc, char **argv, unsigned allowed, int maxpos,
    struct ctl_args *a)
{
	if (auth_ctl_parse(cmd, argc, argv, allowed | CTL_JSON, a) != WS_OK ||
	    auth_ctl_max_args(cmd, a, maxpos) != WS_OK)
		return 2;
	return -1;
}

/* 1 when the query (one parameter) finds a row; 0 when not; -1 on database trouble. */
static int exists(struct db *db, const char *cmd, const char *sql, int n, const char *const *p)
{
	PGresult *r = db_run(db, sql, n, p, 0);
	int rc = -1;

	if (r != NULL)
		rc = PQntuples(r) > 0;
	else
		fprintf(stderr, "worldsctl %s: %s\n", cmd, db->primary);
	PQclear(r);
	return rc;
}

/* Checks --org (and --workspace within it) exist, printing what is missing. */
static int check_org_ws(struct db *db, const char *cmd, const char *org, const char *ws)
{
	const char *p[2] = { org, ws };
	int got;

	if (org == NULL)
		return WS_OK;
	got = exists(db, cmd, "SELECT 1 FROM organizations WHERE slug = $1", 1, p);
	if (got == 0)
		fprintf(stderr, "worldsctl %s: no organization '%s'\n", cmd, org);
	if (got != 1)
		return WS_ENOTFOUND;
	if (ws == NULL)
		return WS_OK;
	got = exists(db, cmd,
	    "SELECT 1 FROM workspaces w JOIN organizations o ON o.id = w.organization_id"
	    " WHERE o.slug = $1 AND w.slug = $2", 2, p);
	if (got == 0)
		fprintf(stderr, "worldsctl %s: no workspace '%s' in '%s'\n", cmd, ws, org);
	return got == 1 ? WS_OK : WS_ENOTFOUND;
}

static int slugs_ok(const char *cmd, const char *org, const char *ws)
{
	if ((org != NULL && !auth_slug_valid(org)) || (ws != NULL && !auth_slug_valid(ws))) {
		fprintf(stderr, "worldsctl %s: slugs must match [a-z0-9][a-z0-9-]{0,62}\n", cmd);
		return 0;
	}
	return 1;
}

/* A list without filters: its usage text and its query are all that differ. */
static int plain_list(const struct conf *c, const char *cmd, int argc, char **argv,
    const char *usage, const char *sql)
{
	struct ctl_args a;
	struct db conn = { 0 }, *db = &conn;
	int rc = list_args(cmd, argc, argv, 0, 0, &a);

	if (rc >= 0)
		return rc;
	if (a.help) {
		fputs(usage, stdout);
		return 0;
	}
	if (auth_ctl_connect(c, cmd, db) != WS_OK)
		return 1;
	rc = auth_ctl_list(db, cmd, sql, 0, NULL, a.json);
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_org_list(const struct conf *c, int argc, char **argv)
{
	return plain_list(c, "org list", argc, argv,
	    "usage: worldsctl org list [--json]\n"
	    "Lists the organizations by slug: ID, SLUG, NAME, how many WORKSPACES,\n"
	    "CREATED_AT. --json prints one array of objects with the same keys.\n",
	    "SELECT o.id, o.slug, o.name,"
	    " (SELECT count(*) FROM workspaces w WHERE w.organization_id = o.id)::int AS workspaces,"
	    " " CTL_SQL_TIME("o.created_at") " AS created_at"
	    " FROM organizations o ORDER BY o.slug");
}

int auth_ctl_workspace_list(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[1] = { NULL };
	struct db conn = { 0 }, *db = &conn;
	int rc = list_args("workspace list", argc, argv, 0, 1, &a);

	if (rc >= 0)
		return rc;
	if (a.help) {
		printf("usage: worldsctl workspace list [ORG] [--json]\n"
		       "Lists the workspaces (of organization ORG only, when given) by\n"
		       "organization and slug: ID, ORG, SLUG, NAME, DEFAULT_PROJECT_ID, how many\n"
		       "MEMBERS, CREATED_AT. --json prints one array of objects.\n");
		return 0;
	}
	if (a.npos == 1)
		p[0] = a.pos[0];
	if (!slugs_ok("workspace list", p[0], NULL))
		return 2;
	if (auth_ctl_connect(c, "workspace list", db) != WS_OK)
		return 1;
	rc = 1;
	if (check_org_ws(db, "workspace list", p[0], NULL) != WS_OK)
		goto out;
	rc = auth_ctl_list(db, "workspace list",
	    "SELECT w.id, o.slug AS org, w.slug, w.name, w.default_project_id,"
	    " (SELECT count(*) FROM memberships m WHERE m.workspace_id = w.id)::int AS members,"
	    " " CTL_SQL_TIME("w.created_at") " AS created_at"
	    " FROM workspaces w JOIN organizations o ON o.id = w.organization_id"
	    " WHERE $1::text IS NULL OR o.slug = $1 ORDER BY o.slug, w.slug", 1, p, a.json);
out:
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_user_list(const struct conf *c, int argc, char **argv)
{
	return plain_list(c, "user list", argc, argv,
	    "usage: worldsctl user list [--json]\n"
	    "Lists the users by e-mail: ID, EMAIL, USERNAME, FULL_NAME, DISABLED,\n"
	    "how many WORKSPACES they belong to, CREATED_AT. --json prints one\n"
	    "array of objects (disabled as a boolean).\n",
	    "SELECT u.id, u.email, u.username, u.full_name, u.disabled,"
	    " (SELECT count(*) FROM memberships m WHERE m.user_id = u.id)::int AS workspaces,"
	    " " CTL_SQL_TIME("u.created_at") " AS created_at"
	    " FROM users u ORDER BY u.email");
}

int auth_ctl_member_list(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[3] = { NULL, NULL, NULL };
	char user[37], err[512];
	struct db conn = { 0 }, *db = &conn;
	int disabled, rc = list_args("member list", argc, argv, CTL_USER | CTL_ORG | CTL_WS, 0, &a);

	if (rc >= 0)
		return rc;
	if (a.help) {
		printf("usage: worldsctl member list [--org ORG [--workspace WS]] [--user EMAIL|ID]\n"
		       "                            [--json]\n"
		       "Lists memberships by organization, workspace and e-mail: ORG, WORKSPACE,\n"
		       "USER (e-mail), USER_ID, ROLE, DISABLED (the user's), CREATED_AT; only\n"
		       "those of ORG, WS or the user when given. --json prints one array.\n");
		return 0;
	}
	if (a.ws != NULL && a.org == NULL) {
		fprintf(stderr, "worldsctl member list: --workspace needs --org\n");
		return 2;
	}
	if (!slugs_ok("member list", a.org, a.ws))
		return 2;
	if (auth_ctl_connect(c, "member list", db) != WS_OK)
		return 1;
	rc = 1;
	if (check_org_ws(db, "member list", a.org, a.ws) != WS_OK)
		goto out;
	if (a.user != NULL) {
		if (auth_ctl_find_user(db, a.user, user, &disabled, err, sizeof(err)) != WS_OK) {
			fprintf(stderr, "worldsctl member list: %s\n", err);
			goto out;
		}
		p[2] = user;
	}
	p[0] = a.org;
	p[1] = a.ws;
	rc = auth_ctl_list(db, "member list",
	    "SELECT o.slug AS org, w.slug AS workspace, u.email AS \"user\", u.id AS user_id,"
	    " m.role, u.disabled, " CTL_SQL_TIME("m.created_at") " AS created_at"
	    " FROM memberships m JOIN users u ON u.id = m.user_id"
	    " JOIN workspaces w ON w.id = m.workspace_id"
	    " JOIN organizations o ON o.id = w.organization_id"
	    " WHERE ($1::text IS NULL OR o.slug = $1) AND ($2::text IS NULL OR w.slug = $2)"
	    "   AND ($3::uuid IS NULL OR u.id = $3::uuid)"
	    " ORDER BY o.slug, w.slug, u.email", 3, p, a.json);
out:
	auth_ctl_close(db);
	return rc;
}
