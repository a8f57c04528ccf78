/* Job and manifest JSON, every field of the seed's objects, null where empty. */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"

const char API_JOB_COLUMNS[] = API_JOB_COLUMNS_TEXT;

const char API_MANIFEST_COLUMNS[] =
    "m.id, m.organization_id, m.workspace_id, m.project_id, m.source_job_id, m.name,"
    " m.manifest_kind, m.preset, m.seed, m.generator_version, m.sha256, m.size_bytes,"
    " m.stats::text, m.created_by, u.id, u.email, u.username, u.full_name,"
    " m.created_at"
    " FROM manifests m LEFT JOIN users u ON u.id = m.created_by";

static const char *col(const PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
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

/* created_by_user: {id, email, username, full_name} or null, from four columns. */
static void write_user(struct jw *w, const PGresult *r, int row, int first)
{
	jw_key(w, "created_by_user");
	if (col(r, row, first) == NULL) {
		jw_null(w);
		return;
	}
	jw_obj_begin(w);
	jw_kstr(w, "id", col(r, row, first));
	jw_kstr(w, "email", col(r, row, first + 1));
	jw_kstr(w, "username", col(r, row, first + 2));
	jw_kstr(w, "full_name", col(r, row, first + 3));
	jw_obj_end(w);
}

void api_write_job(struct jw *w, const PGresult *r, int row)
{
	jw_obj_begin(w);
	jw_kstr(w, "id", col(r, row, 0));
	jw_kstr(w, "organization_id", col(r, row, 1));
	jw_kstr(w, "workspace_id", col(r, row, 2));
	jw_kstr(w, "project_id", col(r, row, 3));
	jw_kstr(w, "kind", col(r, row, 4));
	jw_kstr(w, "status", col(r, row, 5));
	jw_key(w, "progress");
	jw_double(w, strtod(col(r, row, 6), NULL));
	jw_kstr(w, "resource_type", col(r, row, 7));
	jw_kstr(w, "resource_id", col(r, row, 8));
	/* The seed types result as an object, never null: {} until the job has one. */
	kraw(w, "result", col(r, row, 9) ? col(r, row, 9) : "{}");
	jw_kstr(w, "error", col(r, row, 10));
	jw_kstr(w, "created_by", col(r, row, 11));
	write_user(w, r, row, 12);
	api_write_ts(w, "created_at", col(r, row, 16));
	api_write_ts(w, "started_at", col(r, row, 17));
	api_write_ts(w, "completed_at", col(r, row, 18));
	api_write_ts(w, "cancel_requested_at", col(r, row, 19));
	jw_obj_end(w);
}

void api_write_manifest(struct jw *w, const PGresult *r, int row, const char *base)
{
	const char *id = col(r, row, 0);
	struct wbuf path;

	wbuf_init(&path);
	wbuf_printf(&path, "%s/manifests/%s/document", base, id);
	jw_obj_begin(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "organization_id", col(r, row, 1));
	jw_kstr(w, "workspace_id", col(r, row, 2));
	jw_kstr(w, "project_id", col(r, row, 3));
	jw_kstr(w, "source_job_id", col(r, row, 4));
	jw_kstr(w, "name", col(r, row, 5));
	jw_kstr(w, "manifest_kind", col(r, row, 6));
	jw_kstr(w, "preset", col(r, row, 7));
	kraw(w, "seed", col(r, row, 8));
	jw_kstr(w, "generator_version", col(r, row, 9));
	jw_kstr(w, "sha256", col(r, row, 10));
	kraw(w, "size_bytes", col(r, row, 11));
	kraw(w, "stats", col(r, row, 12));
	jw_key(w, "artifact_refs");
	jw_obj_begin(w);
	jw_kstr(w, "document", wbuf_cstr(&path));
	jw_obj_end(w);
	jw_kstr(w, "created_by", col(r, row, 13));
	write_user(w, r, row, 14);
	api_write_ts(w, "created_at", col(r, row, 18));
	jw_obj_end(w);
	wbuf_free(&path);
}

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
	struct jw w;
	int i, rc = WS_EDB;

	snprintf(limit, sizeof(limit), "%ld", pg->page_size);
	snprintf(offset, sizeof(offset), "%ld", (pg->page - 1) * pg->page_size);
	params[l->nfilters] = limit;
	params[l->nfilters + 1] = offset;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s%s", l->from, l->where);
	count = api_exec(a, resp, sql, l->nfilters, params, PGRES_TUPLES_OK);
	if (count == NULL)
		goto out;
	snprintf(sql, sizeof(sql), "SELECT %s%s ORDER BY %s.created_at DESC, %s.id DESC"
	    " LIMIT $%d OFFSET $%d", l->columns, l->where, l->alias, l->alias, l->nfilters + 1,
	    l->nfilters + 2);
	rows = api_exec(a, resp, sql, l->nfilters + 2, params, PGRES_TUPLES_OK);
	if (rows == NULL)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_write_page_head(&w);
	for (i = 0; i < PQntuples(rows); i++)
		l->item(&w, rows, i, l->ctx);
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
