/*
 * Tenancy on the request path: who the token's subject is, and what role they hold in the
 * workspace the URL names. One query per request, parameters only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "db/db.h"

static const char *const role_names[] = { NULL, "viewer", "editor", "admin" };

int auth_role_allows(enum auth_role have, enum auth_role need)
{
	return have > AUTH_ROLE_NONE && have <= AUTH_ROLE_ADMIN && need > AUTH_ROLE_NONE &&
	    have >= need;
}

const char *auth_role_name(enum auth_role r)
{
	return r > AUTH_ROLE_NONE && r <= AUTH_ROLE_ADMIN ? role_names[r] : "none";
}

int auth_role_parse(const char *s, enum auth_role *out)
{
	int r;

	for (r = AUTH_ROLE_VIEWER; r <= AUTH_ROLE_ADMIN; r++) {
		if (s != NULL && strcmp(s, role_names[r]) == 0) {
			*out = (enum auth_role)r;
			return WS_OK;
		}
	}
	*out = AUTH_ROLE_NONE;
	return WS_EINVAL;
}

int auth_slug_valid(const char *s)
{
	size_t k;

	if (s == NULL || s[0] == '\0' || s[0] == '-')
		return 0;
	for (k = 0; s[k] != '\0'; k++) {
		if (k >= 63)
			return 0;
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9') || s[k] == '-'))
			return 0;
	}
	return 1;
}

static void copy_field(char *dst, size_t size, const PGresult *r, int row, int col)
{
	snprintf(dst, size, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

/*
 * The user row always comes back when the user exists; the scope columns are NULL unless
 * the org, the workspace and the membership all match. So one answer covers the unknown
 * org, the unknown workspace and the non-member alike. Then the token's revocation ($4;
 * false when there is no jti), checked in the same round trip, and the tenancy epoch
 * (sql/011) this answer was read at. The columns carry a prefix of their own, so that a
 * statement fusing this with its own read (api's scoped reads) has no two of one name.
 */
const char AUTH_SCOPE_SQL[] =
    "SELECT u.email AS scope_email, u.username AS scope_username,"
    "       u.full_name AS scope_full_name, u.disabled AS scope_disabled,"
    "       s.organization_id AS scope_organization_id, s.workspace_id AS scope_workspace_id,"
    "       s.default_project_id AS scope_default_project_id, s.role AS scope_role,"
    "       EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $4) AS scope_revoked,"
    "       (SELECT n FROM tenancy_epoch WHERE id = 1) AS scope_epoch"
    "  FROM users u"
    "  LEFT JOIN LATERAL ("
    "    SELECT o.id AS organization_id, w.id AS workspace_id, w.default_project_id,"
    "           m.role"
    "      FROM organizations o"
    "      JOIN workspaces w ON w.organization_id = o.id"
    "      JOIN memberships m ON m.workspace_id = w.id"
    "     WHERE o.slug = $2 AND w.slug = $3 AND m.user_id = u.id) s ON true"
    " WHERE u.id = $1::uuid";

void auth_scope_params(const char *user_id, const char *jti, const char *org_slug,
    const char *ws_slug, const char *params[AUTH_SCOPE_NPARAMS])
{
	params[0] = user_id;
	/* Malformed slugs match nothing: "" is never a slug. */
	params[1] = auth_slug_valid(org_slug) ? org_slug : "";
	params[2] = auth_slug_valid(ws_slug) ? ws_slug : "";
	params[3] = jti;
}

enum { SC_EMAIL, SC_USERNAME, SC_FULL_NAME, SC_DISABLED, SC_ORG, SC_WS, SC_PROJECT, SC_ROLE,
	SC_REVOKED, SC_EPOCH, SC_COUNT };
static const char *const scope_cols[SC_COUNT] = { "scope_email", "scope_username",
	"scope_full_name", "scope_disabled", "scope_organization_id", "scope_workspace_id",
	"scope_default_project_id", "scope_role", "scope_revoked", "scope_epoch" };

int auth_scope_from_row(struct db *d, const PGresult *r, const char *user_id,
    struct auth_scope *out)
{
	int c[SC_COUNT];

	memset(out, 0, sizeof(*out));
	snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
	if (PQntuples(r) != 1)
		return WS_EINVAL;
	if (db_cols(d, r, scope_cols, c, SC_COUNT) != WS_OK)
		return WS_EDB;
	/* A revoked token is refused before anything is said about the user or the org. */
	if (strcmp(PQgetvalue(r, 0, c[SC_REVOKED]), "t") == 0) {
		out->revoked = 1;
		return WS_EINVAL;
	}
	copy_field(out->email, sizeof(out->email), r, 0, c[SC_EMAIL]);
	copy_field(out->username, sizeof(out->username), r, 0, c[SC_USERNAME]);
	copy_field(out->full_name, sizeof(out->full_name), r, 0, c[SC_FULL_NAME]);
	out->has_full_name = !PQgetisnull(r, 0, c[SC_FULL_NAME]);
	out->disabled = strcmp(PQgetvalue(r, 0, c[SC_DISABLED]), "t") == 0;
	if (out->disabled)
		return WS_EDENIED;
	if (PQgetisnull(r, 0, c[SC_ORG]))
		return WS_ENOTFOUND;
	copy_field(out->organization_id, sizeof(out->organization_id), r, 0, c[SC_ORG]);
	copy_field(out->workspace_id, sizeof(out->workspace_id), r, 0, c[SC_WS]);
	copy_field(out->default_project_id, sizeof(out->default_project_id), r, 0, c[SC_PROJECT]);
	copy_field(out->epoch, sizeof(out->epoch), r, 0, c[SC_EPOCH]);
	/* The CHECK constraint on memberships.role makes a failure here unreachable. */
	return auth_role_parse(PQgetvalue(r, 0, c[SC_ROLE]), &out->role) == WS_OK ? WS_OK : WS_EDB;
}

static int resolve(struct db *db, const char *user_id, const char *jti, const char *org_slug,
    const char *ws_slug, struct auth_scope *out)
{
	const char *params[AUTH_SCOPE_NPARAMS];
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Checked here so that junk never reaches the ::uuid cast and reads as a db error. */
	if (user_id == NULL || uuid_version(user_id) < 0)
		return WS_EINVAL;
	snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
	auth_scope_params(user_id, jti, org_slug, ws_slug, params);
	r = db_run(db, AUTH_SCOPE_SQL, AUTH_SCOPE_NPARAMS, params, 0);
	rc = r != NULL ? auth_scope_from_row(db, r, user_id, out) : WS_EDB;
	PQclear(r);
	return rc;
}

int auth_resolve(struct db *db, const char *user_id, const char *org_slug, const char *ws_slug,
    struct auth_scope *out)
{
	return resolve(db, user_id, NULL, org_slug, ws_slug, out);
}

int auth_resolve_token(struct db *db, const struct auth_claims *claims, const char *org_slug,
    const char *ws_slug, struct auth_scope *out)
{
	return resolve(db, claims->sub, claims->jti, org_slug, ws_slug, out);
}

int auth_jti_revoked(struct db *db, const char *jti, int *revoked)
{
	const char *params[1] = { jti };
	PGresult *r;

	*revoked = 0;
	r = db_run(db, "SELECT 1 FROM revoked_tokens WHERE jti = $1", 1, params, 0);
	if (r == NULL)
		return WS_EDB;
	*revoked = PQntuples(r) > 0;
	PQclear(r);
	return WS_OK;
}

int auth_jti_revoked_cb(void *ctx, const char *jti, int *revoked)
{
	return auth_jti_revoked(ctx, jti, revoked);
}
