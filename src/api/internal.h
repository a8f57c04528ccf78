/* Shared by the api module's files only. */
#ifndef WORLDS_API_INTERNAL_H
#define WORLDS_API_INTERNAL_H

#include <libpq-fe.h>

#include "auth/auth.h"
#include "conf/conf.h"
#include "db/db.h"
#include "http/http.h"

#define API_TOKEN_CACHE 64

/* A token this worker has verified: its hash and its claims (never the token itself). */
struct api_token {
	unsigned char hash[32];
	int used;
	struct auth_claims claims;
};

/* One worker's state: configuration, database connection, keys, the caller's scope. */
/* A tenancy this worker resolved (scope.c): for its token and URL, with its epoch. */
#define API_SCOPE_CACHE 64
struct api_scope_entry {
	unsigned char key[32];
	int used;
	struct auth_scope scope;
};

struct api {
	struct conf conf;
	struct db db;           /* reconnects by itself (db_run) */
	const struct auth_keyring *keys; /* the generation's ring (the master's), or no_keys */
	struct auth_keyring no_keys;
	struct auth_scope scope; /* valid inside a handler of an authenticated route */
	/* Inside the handler of an API_SCOPED route: the verified token's claims and the
	 * role the route needs, for api_scoped_read. */
	struct auth_claims claims;
	enum auth_role need;
	struct api_scope_entry scopes[API_SCOPE_CACHE];
	/* Signatures already checked, by token hash. The cache dies with the worker, and
	 * SIGHUP (new keys) replaces the workers, so a removed key's tokens never hit it. */
	struct api_token tokens[API_TOKEN_CACHE];
	struct wbuf scratch;
};

/* The route's pattern has {org} and {workspace} as its first two parameters. */
#define API_BASE "/api/v1/org/{}/ws/{}/worlds"

/*
 * Or'ed into a route's role: the handler resolves the tenancy itself, fused with its read
 * by api_scoped_read, so the request costs one database round trip instead of two. Only
 * the token is checked before the handler runs.
 */
#define API_SCOPED 0x100
#define API_SCOPED_MAXPARAMS 8

/*
 * For API_SCOPED handlers: the tenancy and the route's read in one statement. read is a
 * SELECT that may use s.scope_workspace_id (the caller's workspace) and its own parameters from
 * $5 (nparams of them, at most API_SCOPED_MAXPARAMS); it yields zero or one row. Answers
 * 401 / 404 / 403 / 500 itself (NULL), exactly as for other routes, and otherwise fills
 * a->scope and returns a one-row result whose first columns are read's, all NULL when
 * read found nothing.
 */
PGresult *api_scoped_read(struct api *a, struct http_req *req, struct http_resp *resp,
    const char *read, int nparams, const char *const *params);

/*
 * For API_SCOPED writers: fills a->scope and checks a->need (answering 401 / 404 / 403 /
 * 500 itself, non-zero). With fresh = 0 a kept scope is used without a query and *kept
 * is set: the caller's statement must then read the tenancy epoch and go ahead only if
 * it equals a->scope.epoch, else api_scope_forget and start again with fresh = 1.
 */
int api_scope(struct api *a, struct http_req *req, struct http_resp *resp, int fresh,
    int *kept);
void api_scope_forget(struct api *a, struct http_req *req);
/* The answers to a tenancy that did not resolve (auth_scope_from_row's codes), and to a
 * role below need (returns 1 after answering 403). */
int api_scope_refused(struct http_resp *resp, int rc);
int api_role_refused(struct api *a, struct http_resp *resp, enum auth_role need);

/*
 * Every statement goes through db_run(&a->db, ...); this turns its failure into the
 * answer: r itself when it is a result, else 500 database_error in resp (the reason logged,
 * never sent) and NULL.
 */
PGresult *api_db(struct api *a, struct http_resp *resp, PGresult *r);
/* The same for a failure reported as a return code (WS_EDB); returns rc. */
int api_db_failed(struct api *a, struct http_resp *resp, int rc);

/* Query parameters: paging and filters, reporting loc ["query", name]. */
struct api_page {
	long page;
	long page_size;
};
void api_page_parse(const struct http_req *req, struct api_page *pg, struct verrs *v);
/* http_query_get that records a malformed value (bad '%' escape, %00) as such in v. */
int api_query_get(const struct http_req *req, const char *name, char *out, size_t outlen,
    struct verrs *v);
/* An optional integer query parameter in [min, max] (dflt when absent). */
void api_query_int(const struct http_req *req, const char *name, long min, long max,
    long dflt, long *out, struct verrs *v);
/* Optional filter: 1 when present and valid (copied to out), 0 when absent, -1 when
 * invalid (error recorded). allowed NULL means "a UUID". */
int api_filter(const struct http_req *req, const char *name, const char *const *allowed,
    char *out, size_t outlen, struct verrs *v);
/* A path id that must be a UUID: 422 uuid_parsing with loc ["path", name] otherwise. */
int api_path_uuid(const char *value, const char *name, struct http_resp *resp);

/* JSON renderers over rows selected with JOBS_SELECT (jobs.h) / API_MANIFEST_SELECT, read
 * by column name. */
#define API_MANIFEST_SELECT                                                                 \
	"m.id, m.organization_id, m.workspace_id, m.project_id, m.source_job_id, m.name,"   \
	" m.manifest_kind, m.preset, m.seed, m.generator_version, m.sha256, m.size_bytes,"  \
	" m.stats::text AS stats, m.created_by, u.id AS creator_id, u.email AS creator_email," \
	" u.username AS creator_username, u.full_name AS creator_full_name, m.created_at"
#define API_MANIFEST_FROM " FROM manifests m LEFT JOIN users u ON u.id = m.created_by"
#define API_COLS_MAX 24
/* A renderer's columns, resolved by name once per result (api_*_cols). */
struct api_cols {
	int c[API_COLS_MAX];
};
void api_job_cols(const PGresult *r, struct api_cols *c);
void api_write_job(struct jw *w, const PGresult *r, int row, const struct api_cols *c);
void api_manifest_cols(const PGresult *r, struct api_cols *c);
void api_write_manifest(struct jw *w, const PGresult *r, int row, const struct api_cols *c,
    const char *base);
/* "key": a timestamptz column as RFC 3339 UTC with microseconds, null for NULL. */
void api_write_ts(struct jw *w, const char *key, const char *pg);
/* {"items": [...], "page", "page_size", "total"} */
void api_write_page_head(struct jw *w);
void api_write_page_tail(struct jw *w, const struct api_page *pg, const char *total);
/*
 * One page of a list route, newest first: the count of what the filters select, then that
 * page of rows, each written by item(ctx). from is "jobs j" and columns its select list
 * with the FROM clause (JOBS_SELECT JOBS_FROM); params holds nfilters values for $1..$n of
 * where and room for two more (limit and offset, filled here).
 */
struct api_list {
	const char *from;
	const char *alias;
	const char *columns;
	const char *where;
	int nfilters;
	void (*cols)(const PGresult *r, struct api_cols *c);
	void (*item)(struct jw *w, const PGresult *r, int row, const struct api_cols *c,
	    const void *ctx);
	const void *ctx;
};
int api_list_page(struct api *a, struct http_resp *resp, const struct api_page *pg,
    const struct api_list *l, const char **params);
/* Finishes w into resp with status; 500 if the writer failed. */
void api_send(struct http_resp *resp, int status, struct jw *w);

/* Request bodies and headers shared by the create routes (body.c). */
struct json_object;
/* Body -> JSON object, or NULL with a 400 invalid_error already in resp. */
struct json_object *api_parse_body(const struct http_req *req, struct http_resp *resp);
/* 0 with a 422 in resp when the Idempotency-Key header is malformed. */
int api_idempotency_header_ok(const struct http_req *req, struct http_resp *resp);
/* Hex sha256 of the body: "the same body" for idempotency is the same bytes. */
void api_body_hash(const struct http_req *req, char out[65]);
/*
 * The answer to an admission (jobs_admit): 202 with the job and its Location for a new or
 * replayed job (then the generator is started), 409 for a key reused with another body,
 * 429 over the quota. Returns WS_OK once answered.
 */
struct jobs_admission;
int api_answer_admission(struct api *a, struct http_req *req, struct http_resp *resp,
    struct jobs_admission *adm);

/* Route handlers. */
int api_healthz(void *app, struct http_req *req, struct http_resp *resp);
int api_readyz(void *app, struct http_req *req, struct http_resp *resp);
int api_me(void *app, struct http_req *req, struct http_resp *resp); /* me.c */
int api_manifest_create(void *app, struct http_req *req, struct http_resp *resp);
int api_job_list(void *app, struct http_req *req, struct http_resp *resp);
int api_job_get(void *app, struct http_req *req, struct http_resp *resp);
int api_job_cancel(void *app, struct http_req *req, struct http_resp *resp);
int api_manifest_list(void *app, struct http_req *req, struct http_resp *resp);
int api_manifest_get(void *app, struct http_req *req, struct http_resp *resp);
int api_manifest_document(void *app, struct http_req *req, struct http_resp *resp);
int api_manifest_delete(void *app, struct http_req *req, struct http_resp *resp);
/* Manifest inspection (inspect*.c). */
int api_graph_nodes(void *app, struct http_req *req, struct http_resp *resp);
int api_graph_edges(void *app, struct http_req *req, struct http_resp *resp);
int api_graph_subgraph(void *app, struct http_req *req, struct http_resp *resp);
int api_graph_overview(void *app, struct http_req *req, struct http_resp *resp);
int api_host_get(void *app, struct http_req *req, struct http_resp *resp);
int api_host_details(void *app, struct http_req *req, struct http_resp *resp);
int api_principal_search(void *app, struct http_req *req, struct http_resp *resp);
int api_principal_get(void *app, struct http_req *req, struct http_resp *resp);
int api_principal_details(void *app, struct http_req *req, struct http_resp *resp);
int api_commands(void *app, struct http_req *req, struct http_resp *resp);
/* Trajectories (trajectories.c). */
int api_traj_create(void *app, struct http_req *req, struct http_resp *resp);
int api_traj_list(void *app, struct http_req *req, struct http_resp *resp);
int api_traj_get(void *app, struct http_req *req, struct http_resp *resp);
int api_manifest_trajectories(void *app, struct http_req *req, struct http_resp *resp);

#endif
