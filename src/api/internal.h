/* Shared by the api module's files only. */
#ifndef WORLDS_API_INTERNAL_H
#define WORLDS_API_INTERNAL_H

#include <libpq-fe.h>

#include "conf/conf.h"
#include "http/http.h"

/* One worker's state: its configuration, its database connection, scratch space. */
struct api {
	struct conf conf;
	PGconn *db;
	struct wbuf scratch;
};

/*
 * Runs a parameterised statement, reconnecting first when the connection is gone.
 * Returns the result (PQclear it) or NULL after answering 500 database_error in resp.
 */
PGresult *api_exec(struct api *a, struct http_resp *resp, const char *sql, int nparams,
    const char *const *params, ExecStatusType want);

int api_healthz(void *app, struct http_req *req, struct http_resp *resp);
int api_readyz(void *app, struct http_req *req, struct http_resp *resp);

#endif
