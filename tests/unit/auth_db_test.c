/*
 * auth_resolve and auth_jti_revoked against a real, migrated PostgreSQL (run by
 * tests/auth/db.sh, which starts one and exports WORLDS_DATABASE_URL). Two orgs, three
 * workspaces, four users: every answer of the tenancy matrix, and no existence leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "db/db.h"
#include "tap.h"

static const char fixture[] =
    "INSERT INTO organizations (id, slug, name) VALUES"
    " ('00000000-0000-4000-8000-00000000000a', 'org-a', 'A'),"
    " ('00000000-0000-4000-8000-00000000000b', 'org-b', 'B');"
    "INSERT INTO workspaces (id, organization_id, slug, name) VALUES"
    " ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'a1', 'A1'),"
    " ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-00000000000a', 'a2', 'A2'),"
    " ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-00000000000b', 'a1', 'B1');"
    "INSERT INTO users (id, email, username, full_name, disabled) VALUES"
    " ('00000000-0000-4000-8000-000000000001', 'viewer@a.test', 'viewer', NULL, false),"
    " ('00000000-0000-4000-8000-000000000002', 'editor@a.test', 'editor', 'Ed Itor', false),"
    " ('00000000-0000-4000-8000-000000000003', 'admin@b.test', 'admin', NULL, false),"
    " ('00000000-0000-4000-8000-000000000004', 'gone@a.test', 'gone', NULL, true);"
    "INSERT INTO memberships (user_id, workspace_id, role) VALUES"
    " ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'viewer'),"
    " ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-0000000000a2', 'editor'),"
    " ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-0000000000b1', 'admin'),"
    " ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-0000000000a1', 'admin');"
    "INSERT INTO revoked_tokens (jti) VALUES ('revoked-1');";

#define U(n) "00000000-0000-4000-8000-00000000000" #n

static void check(struct tap *t, struct db *db, const char *user, const char *org, const char *ws,
    int want, enum auth_role want_role, const char *what)
{
	struct auth_scope s;
	int rc = auth_resolve(db, user, org, ws, &s);
	char line[256];

	snprintf(line, sizeof(line), "%s: %s/%s", what, org ? org : "(null)", ws ? ws : "(null)");
	if (!tap_ok(t, rc == want && (rc != WS_OK || s.role == want_role), line))
		printf("#   expected rc %d role %d, got rc %d role %d\n", want, want_role, rc, s.role);
}

/* Constraints the schema itself must enforce. */
static void refused(struct tap *t, struct db *db, const char *sql, const char *what)
{
	tap_ok(t, db_script(db, sql) == WS_EDB, what);
}

int main(void)
{
	struct tap t = { 0, 0 };
	const char *url = getenv("WORLDS_DATABASE_URL");
	struct auth_scope s;
	struct db conn, *db = &conn;
	int revoked = -1;

	if (url == NULL || url[0] == '\0') {
		tap_skip_all("WORLDS_DATABASE_URL unset (tests/auth/db.sh sets up a database)");
		return 0;
	}
	db_init(db, url, 0);
	if (db_open(db) != WS_OK) {
		tap_ok(&t, 0, db->err);
		return tap_done(&t);
	}
	tap_int(&t, db_script(db, fixture), WS_OK, "fixture loads");

	check(&t, db, U(1), "org-a", "a1", WS_OK, AUTH_ROLE_VIEWER, "viewer in own workspace");
	check(&t, db, U(1), "org-a", "a2", WS_ENOTFOUND, 0, "viewer in sibling workspace");
	check(&t, db, U(1), "org-b", "a1", WS_ENOTFOUND, 0, "same ws slug in another org");
	check(&t, db, U(1), "org-a", "zz", WS_ENOTFOUND, 0, "unknown workspace");
	check(&t, db, U(1), "org-z", "a1", WS_ENOTFOUND, 0, "unknown org");
	check(&t, db, U(1), "ORG-A", "a1", WS_ENOTFOUND, 0, "slugs are exact (no case folding)");
	check(&t, db, U(1), "org-a'--", "a1", WS_ENOTFOUND, 0, "quote in slug is just not found");
	check(&t, db, U(2), "org-a", "a2", WS_OK, AUTH_ROLE_EDITOR, "editor in own workspace");
	check(&t, db, U(2), "org-a", "a1", WS_ENOTFOUND, 0, "A2 member in A1");
	check(&t, db, U(3), "org-b", "a1", WS_OK, AUTH_ROLE_ADMIN, "admin of org B");
	check(&t, db, U(3), "org-a", "a1", WS_ENOTFOUND, 0, "org B admin in org A");
	check(&t, db, U(4), "org-a", "a1", WS_EDENIED, 0, "disabled member");
	check(&t, db, U(4), "org-z", "zz", WS_EDENIED, 0, "disabled user, unknown place");
	check(&t, db, U(5), "org-a", "a1", WS_EINVAL, 0, "unknown user");
	check(&t, db, "not-a-uuid", "org-a", "a1", WS_EINVAL, 0, "sub not a UUID");

	tap_int(&t, auth_resolve(db, U(2), "org-a", "a2", &s), WS_OK, "editor resolves");
	tap_str(&t, s.organization_id, "00000000-0000-4000-8000-00000000000a", "organization_id");
	tap_str(&t, s.workspace_id, "00000000-0000-4000-8000-0000000000a2", "workspace_id");
	tap_ok(&t, uuid_version(s.default_project_id) == 4, "default_project_id is a v4 UUID");
	tap_str(&t, s.email, "editor@a.test", "email");
	tap_str(&t, s.username, "editor", "username");
	tap_str(&t, s.full_name, "Ed Itor", "full_name");
	tap_ok(&t, s.has_full_name && !s.disabled, "has a full name, enabled");
	auth_resolve(db, U(1), "org-a", "a1", &s);
	tap_ok(&t, !s.has_full_name && s.full_name[0] == '\0', "no full name: has_full_name 0");

	tap_int(&t, auth_jti_revoked(db, "revoked-1", &revoked), WS_OK, "revocation lookup");
	tap_int(&t, revoked, 1, "revoked jti is revoked");
	auth_jti_revoked(db, "fresh", &revoked);
	tap_int(&t, revoked, 0, "unknown jti is not revoked");

	refused(&t, db, "INSERT INTO organizations (slug, name) VALUES ('Bad', 'x')",
	    "upper-case org slug refused by the schema");
	refused(&t, db, "INSERT INTO organizations (slug, name) VALUES ('-x', 'x')",
	    "org slug starting with '-' refused");
	refused(&t, db, "INSERT INTO workspaces (organization_id, slug, name) VALUES"
			" ('00000000-0000-4000-8000-00000000000a', 'a1', 'again')",
	    "workspace slug unique per org");
	refused(&t, db, "INSERT INTO users (email, username) VALUES ('EDITOR@a.test', 'e2')",
	    "e-mail stored lower-case only");
	refused(&t, db, "INSERT INTO users (email, username) VALUES ('x@a.test', 'EDITOR')",
	    "username unique case-insensitively");
	refused(&t, db, "INSERT INTO users (email, username) VALUES ('no-at-sign', 'nobody')",
	    "e-mail without @ refused");
	refused(&t, db, "INSERT INTO memberships (user_id, workspace_id, role) VALUES"
			" ('" U(1) "', '00000000-0000-4000-8000-0000000000a2', 'owner')",
	    "unknown role refused");
	refused(&t, db, "INSERT INTO memberships (user_id, workspace_id, role) VALUES"
			" ('" U(1) "', '00000000-0000-4000-8000-0000000000a1', 'admin')",
	    "one membership per user and workspace");

	/* A dead connection is a database error, not a "not found". */
	db_close(db);
	db_init(db, "host=/nonexistent-dir port=1", 1);
	check(&t, db, U(1), "org-a", "a1", WS_EDB, 0, "broken connection");
	tap_int(&t, auth_jti_revoked(db, "x", &revoked), WS_EDB, "revocation on a broken connection");
	db_close(db);
	return tap_done(&t);
}
