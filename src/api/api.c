#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/internal.h"
#include "db/db.h"

enum { ROLE_NONE, ROLE_VIEWER, ROLE_EDITOR, ROLE_ADMIN };

/* Every route once: method, pattern, handler, the role it needs. */
static const struct http_route api_routes[] = {
	{ HTTP_GET, "/api/v1/healthz", api_healthz, ROLE_NONE },
	{ HTTP_GET, "/api/v1/readyz", api_readyz, ROLE_NONE },
};

static void *api_worker_init(const struct conf *c)
{
	struct api *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->conf = *c;
	wbuf_init(&a->scratch);
	return a;
}

static void api_worker_free(void *app)
{
	struct api *a = app;

	if (a == NULL)
		return;
	db_close(&a->db);
	wbuf_free(&a->scratch);
	free(a);
}

PGresult *api_exec(struct api *a, struct http_resp *resp, const char *sql, int nparams,
    const char *const *params, ExecStatusType want)
{
	PGresult *r;

	if (db_ensure(a->conf.database_url, &a->db) != WS_OK)
		goto fail;
	r = PQexecParams(a->db, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) == want)
		return r;
	PQclear(r);
	/* A connection that died since the last request: one fresh try is safe here
	 * because nothing reached the server. */
	if (db_conn_lost(a->db)) {
		db_close(&a->db);
		if (db_ensure(a->conf.database_url, &a->db) != WS_OK)
			goto fail;
		r = PQexecParams(a->db, sql, nparams, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) == want)
			return r;
		PQclear(r);
	}
	wlog("worlds-api: database: %s", a->db ? PQerrorMessage(a->db) : "not connected");
fail:
	http_error(resp, HTTP_E_DATABASE, NULL);
	return NULL;
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
	PGresult *r;

	(void)req;
	r = api_exec(app, resp, "SELECT 1", 0, NULL, PGRES_TUPLES_OK);
	if (r == NULL)
		return WS_EDB;
	PQclear(r);
	http_resp_json(resp, 200, body, sizeof(body) - 1);
	return WS_OK;
}

static void api_handle(void *app, struct http_req *req, struct http_resp *resp)
{
	const struct http_route *route;
	char allow[128];

	if (app == NULL) {
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
	route->handler(app, req, resp);
}

const struct http_app api_app = {
	.worker_init = api_worker_init,
	.worker_free = api_worker_free,
	.handle = api_handle,
	.tick = NULL,
	.tick_free = NULL,
};
