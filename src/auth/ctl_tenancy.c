/*
 * worldsctl org add, workspace add, user add|disable|enable, member add|remove. The database's
 * constraints are the last word; the checks here only turn bad input into a clear message
 * before it gets there. Ids go to stdout (one line), everything else to stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/ctl_internal.h"
#include "db/db.h"

/* Display names: 1 to 200 characters of UTF-8, no control characters. */
static int display_name_ok(const char *s)
{
	size_t n = strlen(s), chars = 0, k;

	if (n == 0 || !utf8_valid(s, n))
		return 0;
	for (k = 0; k < n; k++) {
		if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
			return 0;
		chars += ((unsigned char)s[k] & 0xc0) != 0x80;
	}
	return chars <= 200;
}

static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s), k;

	if (n > 254 || at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strchr(at + 1, '.') == NULL || at[1] == '.' || s[n - 1] == '.')
		return 0;
	for (k = 0; k < n; k++)
		if ((unsigned char)s[k] <= 0x20 || s[k] == 0x7f)
			return 0;
	return utf8_valid(s, n);
}

static int username_ok(const char *s)
{
	size_t k;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	    (s[0] >= '0' && s[0] <= '9')) || strlen(s) > 64)
		return 0;
	for (k = 1; s[k] != '\0'; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
		    (s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == '_' || s[k] == '-'))
			return 0;
	return 1;
}

/* The statement just run broke a uniqueness constraint (the caller says which, in words). */
static int is_unique_violation(const struct db *db, const PGresult *r)
{
	return r == NULL && db_failed_with(db, "23505");
}

/* One-row INSERT/UPDATE/DELETE … RETURNING; prints the failure, returns the result or NULL. */
static PGresult *run(struct db *db, const char *cmd, const char *sql, int n, const char *const *p)
{
	PGresult *r = db_run(db, sql, n, p, 0);

	if (r == NULL && !is_unique_violation(db, r))
		fprintf(stderr, "worldsctl %s: %s\n", cmd, db->primary);
	return r;
}

int auth_ctl_org_add(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[2];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("org add", argc, argv, CTL_NAME, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl org add SLUG [--name NAME]\n"
		       "Creates an organization and prints its id. SLUG: [a-z0-9][a-z0-9-]{0,62};\n"
		       "NAME (display only, 1-200 characters) defaults to SLUG.\n");
		return 0;
	}
	if (a.npos != 1 || !auth_slug_valid(a.pos[0]) || (a.name && !display_name_ok(a.name))) {
		fprintf(stderr, "worldsctl org add: %s\n", a.npos != 1 ? "one SLUG is needed" :
		    !auth_slug_valid(a.pos[0]) ? "SLUG must match [a-z0-9][a-z0-9-]{0,62}" :
		    "--name must be 1-200 characters without control characters");
		return 2;
	}
	if (auth_ctl_connect(c, "org add", db) != WS_OK)
		return 1;
	p[0] = a.pos[0];
	p[1] = a.name != NULL ? a.name : a.pos[0];
	r = run(db, "org add", "INSERT INTO organizations (slug, name) VALUES ($1, $2) RETURNING id",
	    2, p);
	if (is_unique_violation(db, r))
		fprintf(stderr, "worldsctl org add: organization '%s' already exists\n", a.pos[0]);
	if (r == NULL)
		goto out;
	printf("%s\n", PQgetvalue(r, 0, 0));
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_workspace_add(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[3];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("workspace add", argc, argv, CTL_NAME, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl workspace add ORG SLUG [--name NAME]\n"
		       "Creates workspace SLUG in organization ORG (both slugs) with its default\n"
		       "project, and prints the workspace id. NAME defaults to SLUG.\n");
		return 0;
	}
	if (a.npos != 2 || !auth_slug_valid(a.pos[0]) || !auth_slug_valid(a.pos[1]) ||
	    (a.name && !display_name_ok(a.name))) {
		fprintf(stderr, "worldsctl workspace add: %s\n",
		    a.npos != 2 ? "ORG and SLUG are needed" :
		    a.name && !display_name_ok(a.name) ?
				  "--name must be 1-200 characters without control characters" :
				  "slugs must match [a-z0-9][a-z0-9-]{0,62}");
		return 2;
	}
	if (auth_ctl_connect(c, "workspace add", db) != WS_OK)
		return 1;
	p[0] = a.pos[0];
	p[1] = a.pos[1];
	p[2] = a.name != NULL ? a.name : a.pos[1];
	r = run(db, "workspace add",
	    "INSERT INTO workspaces (organization_id, slug, name)"
	    " SELECT id, $2, $3 FROM organizations WHERE slug = $1 RETURNING id, default_project_id",
	    3, p);
	if (is_unique_violation(db, r))
		fprintf(stderr, "worldsctl workspace add: workspace '%s' already exists in '%s'\n",
		    a.pos[1], a.pos[0]);
	if (r == NULL)
		goto out;
	if (PQntuples(r) != 1) {
		fprintf(stderr, "worldsctl workspace add: no organization '%s'\n", a.pos[0]);
		goto out;
	}
	printf("%s\n", PQgetvalue(r, 0, 0));
	fprintf(stderr, "worldsctl workspace add: default project %s\n", PQgetvalue(r, 0, 1));
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_user_add(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[3];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("user add", argc, argv, CTL_EMAIL | CTL_USERNAME | CTL_FULL_NAME, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl user add --email EMAIL --username NAME [--full-name TEXT]\n"
		       "Creates a user and prints the id (the sub of their tokens). E-mail is\n"
		       "stored lower-case; e-mail and username are unique, case-insensitively.\n"
		       "Username: a letter or digit, then up to 63 of [A-Za-z0-9._-].\n");
		return 0;
	}
	if (a.npos != 0 || a.email == NULL || a.username == NULL) {
		fprintf(stderr, "worldsctl user add: --email and --username are needed\n");
		return 2;
	}
	if (!email_ok(a.email)) {
		fprintf(stderr, "worldsctl user add: '%s' is not an e-mail address\n", a.email);
		return 2;
	}
	if (!username_ok(a.username)) {
		fprintf(stderr, "worldsctl user add: username must be a letter or digit, then up "
				"to 63 of [A-Za-z0-9._-]\n");
		return 2;
	}
	if (a.full_name != NULL && !display_name_ok(a.full_name)) {
		fprintf(stderr, "worldsctl user add: --full-name must be 1-200 characters without "
				"control characters\n");
		return 2;
	}
	if (auth_ctl_connect(c, "user add", db) != WS_OK)
		return 1;
	p[0] = a.email;
	p[1] = a.username;
	p[2] = a.full_name;
	r = run(db, "user add",
	    "INSERT INTO users (email, username, full_name) VALUES (lower($1), $2, $3) RETURNING id",
	    3, p);
	if (is_unique_violation(db, r))
		fprintf(stderr, "worldsctl user add: a user with this %s already exists\n",
		    strstr(db->constraint, "email") != NULL ? "e-mail" : "username");
	if (r == NULL)
		goto out;
	printf("%s\n", PQgetvalue(r, 0, 0));
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}

/* user disable (off = 1) and user enable (off = 0): the same switch, either way. */
static int set_disabled(const struct conf *c, const char *cmd, int off, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[2];
	char id[37], err[512];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1, disabled = 0;

	if (auth_ctl_parse(cmd, argc, argv, 0, &a) != WS_OK)
		return 2;
	if (a.help && off) {
		printf("usage: worldsctl user disable EMAIL|ID\n"
		       "Disables a user: every request with their tokens gets 403 from now on,\n"
		       "and token issue refuses them. Their memberships and jobs stay; user\n"
		       "enable undoes it. Disabling a disabled user changes nothing.\n");
		return 0;
	}
	if (a.help) {
		printf("usage: worldsctl user enable EMAIL|ID\n"
		       "Enables a disabled user again: their tokens that are still valid (not\n"
		       "expired, not revoked) are accepted from the next request on, and token\n"
		       "issue serves them. Enabling an enabled user changes nothing.\n");
		return 0;
	}
	if (a.npos != 1) {
		fprintf(stderr, "worldsctl %s: one EMAIL or ID is needed\n", cmd);
		return 2;
	}
	if (auth_ctl_connect(c, cmd, db) != WS_OK)
		return 1;
	if (auth_ctl_find_user(db, a.pos[0], id, &disabled, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl %s: %s\n", cmd, err);
		goto out;
	}
	rc = 0;
	if (disabled == off) {
		fprintf(stderr, "worldsctl %s: user %s was already %s: nothing changed\n", cmd, id,
		    off ? "disabled" : "enabled");
		goto out;
	}
	p[0] = id;
	p[1] = off ? "true" : "false";
	r = run(db, cmd, "UPDATE users SET disabled = $2::boolean WHERE id = $1", 2, p);
	if (r == NULL) {
		rc = 1;
		goto out;
	}
	fprintf(stderr, "worldsctl %s: user %s %s\n", cmd, id, off ? "disabled" : "enabled");
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_user_disable(const struct conf *c, int argc, char **argv)
{
	return set_disabled(c, "user disable", 1, argc, argv);
}

int auth_ctl_user_enable(const struct conf *c, int argc, char **argv)
{
	return set_disabled(c, "user enable", 0, argc, argv);
}

/* Resolves --user, --org and --workspace, printing what is missing. */
static int member_refs(struct db *db, const char *cmd, const struct ctl_args *a, char user[37],
    char ws[37])
{
	const char *p[2] = { a->org, a->ws };
	char err[512];
	PGresult *r;
	int disabled, rc = WS_ENOTFOUND;

	if (auth_ctl_find_user(db, a->user, user, &disabled, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl %s: %s\n", cmd, err);
		return WS_ENOTFOUND;
	}
	r = db_run(db,
	    "SELECT o.id, w.id FROM organizations o"
	    " LEFT JOIN workspaces w ON w.organization_id = o.id AND w.slug = $2 WHERE o.slug = $1",
	    2, p, 0);
	if (r == NULL)
		fprintf(stderr, "worldsctl %s: %s\n", cmd, db->primary);
	else if (PQntuples(r) != 1)
		fprintf(stderr, "worldsctl %s: no organization '%s'\n", cmd, a->org);
	else if (PQgetisnull(r, 0, 1))
		fprintf(stderr, "worldsctl %s: no workspace '%s' in '%s'\n", cmd, a->ws, a->org);
	else {
		snprintf(ws, 37, "%s", PQgetvalue(r, 0, 1));
		rc = WS_OK;
	}
	PQclear(r);
	return rc;
}

static int member_args(const char *cmd, const struct ctl_args *a, int with_role)
{
	enum auth_role role;

	if (a->npos != 0 || a->user == NULL || a->org == NULL || a->ws == NULL) {
		fprintf(stderr, "worldsctl %s: --user, --org and --workspace are needed\n", cmd);
		return WS_EINVAL;
	}
	if (!auth_slug_valid(a->org) || !auth_slug_valid(a->ws)) {
		fprintf(stderr, "worldsctl %s: slugs must match [a-z0-9][a-z0-9-]{0,62}\n", cmd);
		return WS_EINVAL;
	}
	if (with_role && a->role != NULL && auth_role_parse(a->role, &role) != WS_OK) {
		fprintf(stderr, "worldsctl %s: --role is viewer, editor or admin\n", cmd);
		return WS_EINVAL;
	}
	return WS_OK;
}

int auth_ctl_member_add(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[3];
	char user[37], ws[37];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("member add", argc, argv, CTL_USER | CTL_ORG | CTL_WS | CTL_ROLE, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl member add --user EMAIL|ID --org ORG --workspace WS\n"
		       "                            [--role viewer|editor|admin]\n"
		       "Gives the user a role in one workspace (default viewer). viewer reads,\n"
		       "editor also creates and cancels, admin also deletes. Membership is per\n"
		       "workspace; to change a role, remove the member and add them again.\n");
		return 0;
	}
	if (member_args("member add", &a, 1) != WS_OK)
		return 2;
	if (auth_ctl_connect(c, "member add", db) != WS_OK)
		return 1;
	if (member_refs(db, "member add", &a, user, ws) != WS_OK)
		goto out;
	p[0] = user;
	p[1] = ws;
	p[2] = a.role != NULL ? a.role : "viewer";
	r = run(db, "member add",
	    "INSERT INTO memberships (user_id, workspace_id, role) VALUES ($1, $2, $3)", 3, p);
	if (is_unique_violation(db, r))
		fprintf(stderr, "worldsctl member add: '%s' is already a member of %s/%s\n", a.user,
		    a.org, a.ws);
	if (r == NULL)
		goto out;
	fprintf(stderr, "worldsctl member add: %s is %s in %s/%s\n", a.user, p[2], a.org, a.ws);
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_member_remove(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	const char *p[2];
	char user[37], ws[37];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("member remove", argc, argv, CTL_USER | CTL_ORG | CTL_WS, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl member remove --user EMAIL|ID --org ORG --workspace WS\n"
		       "Takes the user out of the workspace: from the next request on they get\n"
		       "404 there, as if it did not exist.\n");
		return 0;
	}
	if (member_args("member remove", &a, 0) != WS_OK)
		return 2;
	if (auth_ctl_connect(c, "member remove", db) != WS_OK)
		return 1;
	if (member_refs(db, "member remove", &a, user, ws) != WS_OK)
		goto out;
	p[0] = user;
	p[1] = ws;
	r = run(db, "member remove",
	    "DELETE FROM memberships WHERE user_id = $1 AND workspace_id = $2", 2, p);
	if (r == NULL)
		goto out;
	if (strcmp(PQcmdTuples(r), "1") != 0) {
		fprintf(stderr, "worldsctl member remove: '%s' is not a member of %s/%s\n", a.user,
		    a.org, a.ws);
		goto out;
	}
	fprintf(stderr, "worldsctl member remove: %s removed from %s/%s\n", a.user, a.org, a.ws);
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}
