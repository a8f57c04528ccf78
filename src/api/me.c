/*
 * GET /api/v1/me: who the token's user is and every workspace they are a member of, so a
 * client (worlds whoami, the console) can offer the caller's tenants without knowing a
 * slug first. Organizations and their workspaces sorted by slug.
 */
#include <string.h>

#include "api/internal.h"
#include "db/db.h"

static const char memberships_sql[] =
    "SELECT o.id AS org_id, o.slug AS org_slug, o.name AS org_name, w.id AS ws_id,"
    " w.slug AS ws_slug, w.name AS ws_name, m.role, w.default_project_id"
    "  FROM memberships m"
    "  JOIN workspaces w ON w.id = m.workspace_id"
    "  JOIN organizations o ON o.id = w.organization_id"
    " WHERE m.user_id = $1"
    " ORDER BY o.slug, w.slug";

/*
 * The user behind the verified token: revoked, unknown and disabled answered as on every
 * other route. No slug is given, so a usable user resolves to WS_ENOTFOUND (no workspace
 * named), which is the success here.
 */
static int me_user(struct api *a, struct http_resp *resp, struct auth_scope *s)
{
	int rc = auth_resolve_token(&a->db, &a->claims, NULL, NULL, s);

	if (rc == WS_EDB)
		wlog("worlds-api: %s", a->db.err);
	if (rc == WS_ENOTFOUND)
		return WS_OK;
	if (rc == WS_OK) /* "" is never a slug: unreachable, but never a success by accident */
		rc = WS_EDB;
	return api_scope_refused(resp, rc);
}

static void write_user(struct jw *w, const struct auth_scope *s)
{
	jw_key(w, "user");
	jw_obj_begin(w);
	jw_kstr(w, "id", s->user_id);
	jw_kstr(w, "email", s->email);
	jw_kstr(w, "username", s->username);
	jw_kstr(w, "full_name", s->has_full_name ? s->full_name : NULL);
	jw_obj_end(w);
}

enum { ORG_ID, ORG_SLUG, ORG_NAME, WS_ID, WS_SLUG, WS_NAME, ROLE, PROJECT, NCOLS };
static const char *const cols[NCOLS] = { "org_id", "org_slug", "org_name", "ws_id", "ws_slug",
	"ws_name", "role", "default_project_id" };

/* Rows sorted by organization slug: a new organization opens where the id changes. */
static void write_organizations(struct jw *w, const PGresult *r, const int *c)
{
	int i, n = PQntuples(r);

	jw_key(w, "organizations");
	jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		if (i == 0 ||
		    strcmp(PQgetvalue(r, i, c[ORG_ID]), PQgetvalue(r, i - 1, c[ORG_ID])) != 0) {
			if (i > 0) {
				jw_arr_end(w);
				jw_obj_end(w);
			}
			jw_obj_begin(w);
			jw_kstr(w, "id", PQgetvalue(r, i, c[ORG_ID]));
			jw_kstr(w, "slug", PQgetvalue(r, i, c[ORG_SLUG]));
			jw_kstr(w, "name", PQgetvalue(r, i, c[ORG_NAME]));
			jw_key(w, "workspaces");
			jw_arr_begin(w);
		}
		jw_obj_begin(w);
		jw_kstr(w, "id", PQgetvalue(r, i, c[WS_ID]));
		jw_kstr(w, "slug", PQgetvalue(r, i, c[WS_SLUG]));
		jw_kstr(w, "name", PQgetvalue(r, i, c[WS_NAME]));
		jw_kstr(w, "role", PQgetvalue(r, i, c[ROLE]));
		jw_kstr(w, "default_project_id", PQgetvalue(r, i, c[PROJECT]));
		jw_obj_end(w);
	}
	if (n > 0) {
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

int api_me(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	struct auth_scope s;
	const char *params[1];
	PGresult *r;
	struct jw w;
	int c[NCOLS];

	(void)req;
	if (me_user(a, resp, &s) != WS_OK)
		return WS_EDENIED;
	params[0] = s.user_id;
	r = api_db(a, resp, db_run(&a->db, memberships_sql, 1, params, 0));
	if (r == NULL)
		return WS_EDB;
	if (db_cols(&a->db, r, cols, c, NCOLS) != WS_OK) {
		PQclear(r);
		return api_db_failed(a, resp, WS_EDB);
	}
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	jw_obj_begin(&w);
	write_user(&w, &s);
	write_organizations(&w, r, c);
	jw_obj_end(&w);
	api_send(resp, 200, &w);
	PQclear(r);
	return WS_OK;
}
