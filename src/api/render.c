/* Job and manifest JSON, every field of the seed's objects, null where empty. */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "jobs/jobs.h"

static const char *col(const PGresult *r, int row, int c)
{
	return c < 0 || PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

/* A timestamp column (UTC session, see db_connect) as RFC 3339 with microseconds. */
void api_write_ts(struct jw *w, const char *key, const char *pg)
{
	char ts[32];

	if (pg != NULL && time_pg_to_rfc3339(pg, ts) == WS_OK)
		jw_kstr(w, key, ts);
	else
		jw_kstr(w, key, pg);
}

static void kraw(struct jw *w, const char *key, const char *json)
{
	jw_key(w, key);
	if (json == NULL)
		jw_null(w);
	else
		jw_raw(w, json, strlen(json));
}

/* The columns each renderer reads, by name, in one table each. */
#define JOB_COLS(X)                                                                          \
	X(ID, "id") X(ORG, "organization_id") X(WS, "workspace_id") X(PROJECT, "project_id")    \
	X(KIND, "kind") X(STATUS, "status") X(PROGRESS, "progress")                             \
	X(RTYPE, "resource_type") X(RID, "resource_id") X(RESULT, "result") X(ERROR, "error")   \
	X(BY, "created_by") X(UID, "creator_id") X(UEMAIL, "creator_email")                     \
	X(UNAME, "creator_username") X(UFULL, "creator_full_name") X(CREATED, "created_at")     \
	X(STARTED, "started_at") X(COMPLETED, "completed_at") X(CANCEL, "cancel_requested_at")
#define MANIFEST_COLS(X)                                                                     \
	X(ID, "id") X(ORG, "organization_id") X(WS, "workspace_id") X(PROJECT, "project_id")    \
	X(JOB, "source_job_id") X(NAME, "name") X(MKIND, "manifest_kind") X(PRESET, "preset")   \
	X(SEED, "seed") X(GENV, "generator_version") X(SHA, "sha256") X(SIZE, "size_bytes")     \
	X(STATS, "stats") X(BY, "created_by") X(UID, "creator_id") X(UEMAIL, "creator_email")   \
	X(UNAME, "creator_username") X(UFULL, "creator_full_name") X(CREATED, "created_at")
#define COL_ENUM(k, name) k,
#define COL_NAME(k, name) name,
enum { JOB_COLS(COL_ENUM) NJOB_COLS };
static const char *const job_cols[NJOB_COLS] = { JOB_COLS(COL_NAME) };
#define M(k) M_##k
#define M_ENUM(k, name) M_##k,
enum { MANIFEST_COLS(M_ENUM) NMANIFEST_COLS };
static const char *const manifest_cols[NMANIFEST_COLS] = { MANIFEST_COLS(COL_NAME) };

_Static_assert(NJOB_COLS <= API_COLS_MAX && NMANIFEST_COLS <= API_COLS_MAX,
    "api_cols is too small");

static void resolve(const PGresult *r, const char *const *names, size_t n, struct api_cols *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		c->c[i] = PQfnumber(r, names[i]);
}

void api_job_cols(const PGresult *r, struct api_cols *c)
{
	resolve(r, job_cols, NJOB_COLS, c);
}

void api_manifest_cols(const PGresult *r, struct api_cols *c)
{
	resolve(r, manifest_cols, NMANIFEST_COLS, c);
}

/* created_by_user: {id, email, username, full_name} or null. */
static void write_user(struct jw *w, const char *id, const char *email, const char *username,
    const char *full_name)
{
	jw_key(w, "created_by_user");
	if (id == NULL) {
		jw_null(w);
		return;
	}
	jw_obj_begin(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "email", email);
	jw_kstr(w, "username", username);
	jw_kstr(w, "full_name", full_name);
	jw_obj_end(w);
}

/* A column resolved by api_*_cols; a name the statement lacks reads as null, never as a
 * neighbour's value. */
#define V(k) col(r, row, c->c[k])

void api_write_job(struct jw *w, const PGresult *r, int row, const struct api_cols *c)
{
	const char *result = V(RESULT), *progress = V(PROGRESS);

	jw_obj_begin(w);
	jw_kstr(w, "id", V(ID));
	jw_kstr(w, "organization_id", V(ORG));
	jw_kstr(w, "workspace_id", V(WS));
	jw_kstr(w, "project_id", V(PROJECT));
	jw_kstr(w, "kind", V(KIND));
	jw_kstr(w, "status", V(STATUS));
	jw_key(w, "progress");
	jw_double(w, progress != NULL ? strtod(progress, NULL) : 0);
	jw_kstr(w, "resource_type", V(RTYPE));
	jw_kstr(w, "resource_id", V(RID));
	/* The seed types result as an object, never null: {} until the job has one. */
	kraw(w, "result", result ? result : "{}");
	jw_kstr(w, "error", V(ERROR));
	jw_kstr(w, "created_by", V(BY));
	write_user(w, V(UID), V(UEMAIL), V(UNAME), V(UFULL));
	api_write_ts(w, "created_at", V(CREATED));
	api_write_ts(w, "started_at", V(STARTED));
	api_write_ts(w, "completed_at", V(COMPLETED));
	api_write_ts(w, "cancel_requested_at", V(CANCEL));
	jw_obj_end(w);
}

void api_write_manifest(struct jw *w, const PGresult *r, int row, const struct api_cols *c,
    const char *base)
{
	const char *id = V(M(ID));
	struct wbuf path;

	wbuf_init(&path);
	wbuf_printf(&path, "%s/manifests/%s/document", base, id);
	jw_obj_begin(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "organization_id", V(M(ORG)));
	jw_kstr(w, "workspace_id", V(M(WS)));
	jw_kstr(w, "project_id", V(M(PROJECT)));
	jw_kstr(w, "source_job_id", V(M(JOB)));
	jw_kstr(w, "name", V(M(NAME)));
	jw_kstr(w, "manifest_kind", V(M(MKIND)));
	jw_kstr(w, "preset", V(M(PRESET)));
	kraw(w, "seed", V(M(SEED)));
	jw_kstr(w, "generator_version", V(M(GENV)));
	jw_kstr(w, "sha256", V(M(SHA)));
	kraw(w, "size_bytes", V(M(SIZE)));
	kraw(w, "stats", V(M(STATS)));
	jw_key(w, "artifact_refs");
	jw_obj_begin(w);
	jw_kstr(w, "document", wbuf_cstr(&path));
	jw_obj_end(w);
	jw_kstr(w, "created_by", V(M(BY)));
	write_user(w, V(M(UID)), V(M(UEMAIL)), V(M(UNAME)), V(M(UFULL)));
	api_write_ts(w, "created_at", V(M(CREATED)));
	jw_obj_end(w);
	wbuf_free(&path);
}

#undef V

void api_write_page_head(struct jw *w)
{
	jw_obj_begin(w);
	jw_key(w, "items");
	jw_arr_begin(w);
}

void api_write_page_tail(struct jw *w, const struct api_page *pg, const char *total)
{
	jw_arr_end(w);
	jw_kint(w, "page", pg->page);
	jw_kint(w, "page_size", pg->page_size);
	kraw(w, "total", total);
	jw_obj_end(w);
}

int api_list_page(struct api *a, struct http_resp *resp, const struct api_page *pg,
    const struct api_list *l, const char **params)
{
	char limit[24], offset[24], sql[2048];
	PGresult *count = NULL, *rows = NULL;
	struct api_cols cols;
	struct jw w;
	int i, rc = WS_EDB;

	snprintf(limit, sizeof(limit), "%ld", pg->page_size);
	snprintf(offset, sizeof(offset), "%ld", (pg->page - 1) * pg->page_size);
	params[l->nfilters] = limit;
	params[l->nfilters + 1] = offset;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s%s", l->from, l->where);
	count = api_db(a, resp, db_run(&a->db, sql, l->nfilters, params, 0));
	if (count == NULL)
		goto out;
	snprintf(sql, sizeof(sql), "SELECT %s%s ORDER BY %s.created_at DESC, %s.id DESC"
	    " LIMIT $%d OFFSET $%d", l->columns, l->where, l->alias, l->alias, l->nfilters + 1,
	    l->nfilters + 2);
	rows = api_db(a, resp, db_run(&a->db, sql, l->nfilters + 2, params, 0));
	if (rows == NULL)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_write_page_head(&w);
	l->cols(rows, &cols);
	for (i = 0; i < PQntuples(rows); i++)
		l->item(&w, rows, i, &cols, l->ctx);
	api_write_page_tail(&w, pg, PQgetvalue(count, 0, 0));
	api_send(resp, 200, &w);
	rc = WS_OK;
out:
	PQclear(count);
	PQclear(rows);
	return rc;
}

void api_send(struct http_resp *resp, int status, struct jw *w)
{
	if (jw_finish(w) != WS_OK) {
		http_error(resp, HTTP_E_SERVER, "Could not write the answer");
		return;
	}
	resp->status = status;
}
