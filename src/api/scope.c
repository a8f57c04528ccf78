/*
 * The tenancy of API_SCOPED routes: resolved in the same statement as the route's own
 * read or write, and kept per worker between requests. A kept scope is only ever used by
 * a statement that also reads the tenancy epoch (sql/011) and finds it where the scope
 * was read: any change to users, organizations, workspaces, memberships or revoked
 * tokens moves the epoch, so a revocation, a removed member or a disabled user is seen by
 * the very next statement, as if nothing were kept. What is saved is the five-table
 * lookup on every request, not a check.
 */
#include <string.h>

#include <sodium.h>

#include "api/internal.h"
#include "db/db.h"

int api_scope_refused(struct http_resp *resp, int rc)
{
	switch (rc) {
	case WS_EDENIED:
		http_error(resp, HTTP_E_FORBIDDEN, "User is disabled");
		return rc;
	case WS_ENOTFOUND:
		http_error(resp, HTTP_E_NOT_FOUND, "Organization or workspace not found");
		return rc;
	case WS_EINVAL:
		http_error(resp, HTTP_E_TOKEN, "Invalid token");
		return rc;
	default:
		http_error(resp, HTTP_E_DATABASE, NULL);
		return WS_EDB;
	}
}

int api_role_refused(struct api *a, struct http_resp *resp, enum auth_role need)
{
	if (auth_role_allows(a->scope.role, need))
		return 0;
	http_error(resp, HTTP_E_FORBIDDEN, "Your role in this workspace does not allow this");
	return 1;
}

/* The cache slot of this token and URL scope; *hit when it holds them. */
static struct api_scope_entry *scope_entry(struct api *a, const struct http_req *req, int *hit)
{
	const char *parts[4] = { a->claims.sub, a->claims.jti, req->param[0], req->param[1] };
	crypto_generichash_state st;
	unsigned char key[32];
	struct api_scope_entry *e;
	size_t i;

	crypto_generichash_init(&st, NULL, 0, sizeof(key));
	for (i = 0; i < W_ARRAY_LEN(parts); i++) {
		const char *v = parts[i] ? parts[i] : "";

		/* With its terminator, so that no two splits of the same bytes collide. */
		crypto_generichash_update(&st, (const unsigned char *)v, strlen(v) + 1);
	}
	crypto_generichash_final(&st, key, sizeof(key));
	e = &a->scopes[key[0] % API_SCOPE_CACHE];
	*hit = e->used && sodium_memcmp(e->key, key, sizeof(key)) == 0;
	if (!*hit) {
		memcpy(e->key, key, sizeof(key));
		e->used = 0;
	}
	return e;
}

static void scope_keep(struct api_scope_entry *e, const struct auth_scope *s)
{
	e->scope = *s;
	e->used = 1;
}

void api_scope_forget(struct api *a, struct http_req *req)
{
	int hit;
	struct api_scope_entry *e = scope_entry(a, req, &hit);

	e->used = 0;
}

/* "SELECT r.*, <tail> FROM (<s>) s LEFT JOIN LATERAL (<read>) r ON true" in a's scratch. */
static const char *fuse(struct api *a, const char *tail, const char *s, const char *read)
{
	wbuf_reset(&a->scratch);
	wbuf_printf(&a->scratch, "SELECT r.*, %s FROM (%s) s LEFT JOIN LATERAL (%s) r ON true",
	    tail, s, read);
	return a->scratch.err ? NULL : wbuf_cstr(&a->scratch);
}

/*
 * The kept scope's statement: the workspace as a parameter, the epoch read alongside
 * ($2..$4 are unused here but keep the read's own numbering from $5).
 */
static const char kept_scope[] =
    "SELECT n AS scope_epoch, $1::uuid AS scope_workspace_id, $2::text AS p2, $3::text AS p3,"
    " $4::text AS p4 FROM tenancy_epoch WHERE id = 1";

PGresult *api_scoped_read(struct api *a, struct http_req *req, struct http_resp *resp,
    const char *read, int nparams, const char *const *params)
{
	const char *p[AUTH_SCOPE_NPARAMS + API_SCOPED_MAXPARAMS], *sql;
	struct api_scope_entry *e;
	PGresult *r;
	int rc, hit;

	if (nparams < 0 || nparams > API_SCOPED_MAXPARAMS) {
		http_error(resp, HTTP_E_SERVER, NULL);
		return NULL;
	}
	memcpy(p + AUTH_SCOPE_NPARAMS, params, (size_t)nparams * sizeof(*p));
	e = scope_entry(a, req, &hit);
	if (hit) {
		sql = fuse(a, "s.scope_epoch", kept_scope, read);
		if (sql == NULL)
			goto oom;
		p[0] = e->scope.workspace_id;
		p[1] = p[2] = p[3] = NULL;
		r = api_db(a, resp, db_run(&a->db, sql, AUTH_SCOPE_NPARAMS + nparams, p, 0));
		if (r == NULL)
			return NULL;
		if (PQntuples(r) == 1 &&
		    strcmp(PQgetvalue(r, 0, PQfnumber(r, "scope_epoch")), e->scope.epoch) == 0) {
			a->scope = e->scope;
			if (!api_role_refused(a, resp, a->need))
				return r;
			PQclear(r);
			return NULL;
		}
		/* The tenancy moved since: resolve it anew, in the same statement as the read. */
		PQclear(r);
		e->used = 0;
	}
	sql = fuse(a, "s.*", AUTH_SCOPE_SQL, read);
	if (sql == NULL)
		goto oom;
	auth_scope_params(a->claims.sub, a->claims.jti, req->param[0], req->param[1], p);
	r = api_db(a, resp, db_run(&a->db, sql, AUTH_SCOPE_NPARAMS + nparams, p, 0));
	if (r == NULL)
		return NULL;
	rc = auth_scope_from_row(&a->db, r, a->claims.sub, &a->scope);
	if (rc == WS_EDB)
		wlog("worlds-api: %s", a->db.err);
	if (rc != WS_OK) {
		api_scope_refused(resp, rc);
		PQclear(r);
		return NULL;
	}
	scope_keep(e, &a->scope);
	if (api_role_refused(a, resp, a->need)) {
		PQclear(r);
		return NULL;
	}
	return r;
oom:
	http_error(resp, HTTP_E_SERVER, "Out of memory");
	return NULL;
}

int api_scope(struct api *a, struct http_req *req, struct http_resp *resp, int fresh,
    int *kept)
{
	struct api_scope_entry *e;
	int rc, hit;

	*kept = 0;
	e = scope_entry(a, req, &hit);
	/*
	 * Only a scope that serves is used unread: no statement follows a refusal to check
	 * the epoch, so a 403 (or the 401 / 404 a change since may call for) is always said
	 * from a fresh resolution.
	 */
	if (hit && !fresh && auth_role_allows(e->scope.role, a->need)) {
		a->scope = e->scope;
		*kept = 1;
	} else {
		rc = auth_resolve_token(&a->db, &a->claims, req->param[0], req->param[1], &a->scope);
		if (rc == WS_EDB)
			wlog("worlds-api: %s", a->db.err);
		if (rc != WS_OK) {
			e->used = 0;
			return api_scope_refused(resp, rc);
		}
		scope_keep(e, &a->scope);
	}
	return api_role_refused(a, resp, a->need) ? WS_EDENIED : WS_OK;
}
