#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "api/api.h"
#include "api/internal.h"
#include "db/db.h"
#include "jobs/jobs.h"

/* Every route once: method, pattern, handler, the role it needs. */
static const struct http_route api_routes[] = {
	{ HTTP_GET, "/api/v1/healthz", api_healthz, AUTH_ROLE_NONE },
	{ HTTP_GET, "/api/v1/readyz", api_readyz, AUTH_ROLE_NONE },
	{ HTTP_GET, "/api/v1/me", api_me, AUTH_ROLE_VIEWER | API_SCOPED },
	{ HTTP_POST, API_BASE "/manifests", api_manifest_create, AUTH_ROLE_EDITOR | API_SCOPED },
	{ HTTP_GET, API_BASE "/manifests", api_manifest_list, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}", api_manifest_get, AUTH_ROLE_VIEWER },
	{ HTTP_DELETE, API_BASE "/manifests/{}", api_manifest_delete, AUTH_ROLE_ADMIN },
	{ HTTP_GET, API_BASE "/manifests/{}/document", api_manifest_document, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/jobs", api_job_list, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/jobs/{}", api_job_get, AUTH_ROLE_VIEWER | API_SCOPED },
	{ HTTP_POST, API_BASE "/jobs/{}/cancel", api_job_cancel, AUTH_ROLE_EDITOR },
	/* Manifest inspection (inspect*.c). */
	{ HTTP_GET, API_BASE "/manifests/{}/graph/nodes", api_graph_nodes, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/graph/edges", api_graph_edges, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/graph/subgraph", api_graph_subgraph, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/graph/overview", api_graph_overview, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/hosts/{}", api_host_get, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/hosts/{}/details", api_host_details, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/principals", api_principal_search, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/principals/{}", api_principal_get, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/principals/{}/details", api_principal_details,
	  AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/commands", api_commands, AUTH_ROLE_VIEWER },
	/* Trajectories (traj.c). */
	{ HTTP_POST, API_BASE "/trajectories", api_traj_create, AUTH_ROLE_EDITOR },
	{ HTTP_GET, API_BASE "/trajectories", api_traj_list, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/trajectories/{}", api_traj_get, AUTH_ROLE_VIEWER },
	{ HTTP_GET, API_BASE "/manifests/{}/trajectories", api_manifest_trajectories,
	  AUTH_ROLE_VIEWER },
};

/* http_app.master_load: the key ring, loaded once per generation by the master. */
static int api_master_load(const struct conf *c, void **shared, char *err, size_t errlen)
{
	struct auth_keyring *kr = malloc(sizeof(*kr));
	char msg[1024];

	*shared = NULL;
	if (kr == NULL) {
		snprintf(err, errlen, "keys: out of memory");
		return -1;
	}
	auth_keyring_init(kr);
	if (auth_keyring_load_dir(kr, c->keys_dir, msg, sizeof(msg)) != WS_OK) {
		snprintf(err, errlen, "keys: %s", msg);
		auth_keyring_free(kr);
		free(kr);
		return -1;
	}
	*shared = kr;
	return 0;
}

static void api_master_free(void *shared)
{
	auth_keyring_free(shared);
	free(shared);
}

/* shared: the generation's key ring, or NULL when it did not load (every token refused). */
static void *api_worker_init(const struct conf *c, void *shared)
{
	struct api *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->conf = *c;
	/* A worker that lost its connection reconnects on the next statement (db_run). */
	db_init(&a->db, a->conf.database_url, 1);
	wbuf_init(&a->scratch);
	auth_keyring_init(&a->no_keys);
	a->keys = shared != NULL ? shared : &a->no_keys;
	return a;
}

static void api_worker_free(void *app)
{
	struct api *a = app;

	if (a == NULL)
		return;
	db_close(&a->db);
	auth_keyring_free(&a->no_keys); /* the shared ring is the master's */
	wbuf_free(&a->scratch);
	free(a);
}

PGresult *api_db(struct api *a, struct http_resp *resp, PGresult *r)
{
	if (r == NULL)
		api_db_failed(a, resp, WS_EDB);
	return r;
}

int api_db_failed(struct api *a, struct http_resp *resp, int rc)
{
	wlog("worlds-api: %s", a->db.err);
	http_error(resp, HTTP_E_DATABASE, NULL);
	return rc;
}

int api_healthz(void *app, struct http_req *req, struct http_resp *resp)
{
	static const char body[] = "{\"status\":\"ok\",\"version\":\"" PACKAGE_VERSION "\"}";

	(void)app;
	(void)req;
	http_resp_json(resp, 200, body, sizeof(body) - 1);
	return WS_OK;
}

int api_readyz(void *app, struct http_req *req, struct http_resp *resp)
{
	static const char body[] = "{\"status\":\"ready\"}";
	struct api *a = app;
	PGresult *r;

	(void)req;
	r = api_db(a, resp, db_run(&a->db, "SELECT 1", 0, NULL, 0));
	if (r == NULL)
		return WS_EDB;
	PQclear(r);
	http_resp_json(resp, 200, body, sizeof(body) - 1);
	return WS_OK;
}

/* The bearer token of the Authorization header, or NULL when there is none. */
static const char *bearer(const char *h, size_t *len)
{
	const char *t;

	if (h == NULL || strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
		return NULL;
	t = h + 7;
	while (*t == ' ' || *t == '\t')
		t++;
	*len = strcspn(t, " \t");
	if (*len == 0 || t[*len] != '\0')
		return NULL;
	return t;
}

/*
 * A token seen before skips the signature and JSON work: the same bytes verified under
 * the same keys give the same claims. The time window and revocation are checked anew.
 */
static int cached_claims(struct api *a, const char *token, size_t len, int64_t now,
    struct auth_claims *out, struct api_token **slot)
{
	unsigned char h[32];
	struct api_token *t;

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, len, NULL, 0);
	t = &a->tokens[h[0] % API_TOKEN_CACHE];
	*slot = t;
	if (!t->used || sodium_memcmp(t->hash, h, sizeof(h)) != 0) {
		memcpy(t->hash, h, sizeof(h));
		t->used = 0;
		return 0;
	}
	if (now >= t->claims.exp + AUTH_SKEW || now + AUTH_SKEW < t->claims.nbf ||
	    now + AUTH_SKEW < t->claims.iat)
		return 0;
	*out = t->claims;
	return 1;
}

/* Signature and claims; the revocation is looked up with the tenancy (one query). */
static int check_token(struct api *a, const char *token, size_t len, struct auth_claims *claims,
    char *err, size_t errlen)
{
	struct auth_policy pol;
	struct api_token *slot;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (cached_claims(a, token, len, now, claims, &slot))
		return WS_OK;
	auth_policy_from_conf(&pol, &a->conf);
	rc = auth_token_verify(a->keys, token, len, &pol, now, claims, err, errlen);
	if (rc == WS_OK) {
		slot->claims = *claims;
		slot->used = 1;
	}
	return rc;
}

/* The Authorization header's token, verified (401 answered here when it is not). */
static int verify_token(struct api *a, struct http_req *req, struct http_resp *resp,
    struct auth_claims *claims)
{
	const char *token;
	size_t len = 0;
	char err[256];
	int rc;

	token = bearer(req->authorization, &len);
	if (token == NULL) {
		http_error(resp, HTTP_E_AUTHN, "Missing or malformed Authorization: Bearer header");
		return WS_EDENIED;
	}
	memset(claims, 0, sizeof(*claims));
	rc = check_token(a, token, len, claims, err, sizeof(err));
	if (rc == WS_EDB || rc == WS_ENOMEM) {
		http_error(resp, rc == WS_EDB ? HTTP_E_DATABASE : HTTP_E_SERVER, NULL);
		return rc;
	}
	if (rc != WS_OK || uuid_version(claims->sub) < 0) {
		if (a->conf.log_level >= CONF_LOG_INFO)
			wlog("worlds-api: token refused: %s", rc != WS_OK ? err : "subject is no UUID");
		http_error(resp, claims->fail == AUTH_FAIL_EXPIRED ? HTTP_E_EXPIRED : HTTP_E_TOKEN,
		    claims->fail == AUTH_FAIL_EXPIRED ? "Token expired" : "Invalid token");
		return WS_EDENIED;
	}
	return WS_OK;
}

/* Token, then tenancy, then role: the api.md table's order of 401, 404, 403. */
static int verify_and_resolve(struct api *a, struct http_req *req, struct http_resp *resp)
{
	struct auth_claims claims;
	int rc = verify_token(a, req, resp, &claims);

	if (rc != WS_OK)
		return rc;
	/* Malformed slugs match nothing there: 404, after the revocation check. */
	rc = auth_resolve_token(&a->db, &claims, req->param[0], req->param[1], &a->scope);
	if (rc == WS_EDB)
		wlog("worlds-api: %s", a->db.err);
	return rc == WS_OK ? WS_OK : api_scope_refused(resp, rc);
}

static int authorize(struct api *a, struct http_req *req, struct http_resp *resp,
    enum auth_role need)
{
	int rc = verify_and_resolve(a, req, resp);

	if (rc != WS_OK)
		return rc;
	return api_role_refused(a, resp, need) ? WS_EDENIED : WS_OK;
}

static void api_handle(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const struct http_route *route;
	char allow[128];

	if (a == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		return;
	}
	switch (http_route_find(api_routes, W_ARRAY_LEN(api_routes), req, &route, allow,
	    sizeof(allow))) {
	case HTTP_MATCH_NONE:
		http_error(resp, HTTP_E_NOT_FOUND, "No such route");
		return;
	case HTTP_MATCH_METHOD:
		http_error(resp, HTTP_E_METHOD, "Method not allowed on this route");
		http_resp_header(resp, "Allow", allow);
		return;
	case HTTP_MATCH_OK:
		break;
	}
	a->need = (enum auth_role)(route->role & ~API_SCOPED);
	if (route->role & API_SCOPED) {
		if (verify_token(a, req, resp, &a->claims) != WS_OK)
			return;
	} else if (a->need != AUTH_ROLE_NONE && authorize(a, req, resp, a->need) != WS_OK) {
		return;
	}
	route->handler(a, req, resp);
}

const struct http_app api_app = {
	.master_load = api_master_load,
	.master_free = api_master_free,
	.worker_init = api_worker_init,
	.worker_free = api_worker_free,
	.handle = api_handle,
	.tick = jobs_tick,
	.tick_free = jobs_tick_free,
};
