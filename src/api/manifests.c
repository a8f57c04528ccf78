/* The manifest routes: list, get, the document (ETag / 304), delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "jobs/jobs.h"

static void base_path(const struct http_req *req, struct wbuf *b)
{
	wbuf_printf(b, "/api/v1/org/%s/ws/%s/worlds", req->param[0], req->param[1]);
}

static void manifest_item(struct jw *w, const PGresult *r, int row, const struct api_cols *c,
    const void *ctx)
{
	api_write_manifest(w, r, row, c, ctx);
}

int api_manifest_list(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	struct api_page pg;
	struct verrs v;
	char project[64], creator[64];
	const char *params[5];
	struct wbuf base;
	struct api_list list = {
		"manifests m", "m", API_MANIFEST_SELECT API_MANIFEST_FROM,
		" WHERE m.workspace_id = $1 AND ($2::uuid IS NULL OR m.project_id = $2)"
		" AND ($3::uuid IS NULL OR m.created_by = $3)",
		3, api_manifest_cols, manifest_item, NULL
	};
	int rc = WS_EINVAL;

	wbuf_init(&base);
	verrs_init(&v);
	api_page_parse(req, &pg, &v);
	params[0] = a->scope.workspace_id;
	params[1] = api_filter(req, "project_id", NULL, project, sizeof(project), &v) > 0 ?
	    project : NULL;
	params[2] = api_filter(req, "created_by", NULL, creator, sizeof(creator), &v) > 0 ?
	    creator : NULL;
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		goto out;
	}
	base_path(req, &base);
	list.ctx = wbuf_cstr(&base);
	rc = api_list_page(a, resp, &pg, &list, params);
out:
	wbuf_free(&base);
	return rc;
}

int api_manifest_get(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const char *params[2] = { req->param[2], a->scope.workspace_id };
	char sql[1024];
	PGresult *r;
	struct api_cols c;
	struct wbuf base;
	struct jw w;

	if (api_path_uuid(req->param[2], "manifest_id", resp) != WS_OK)
		return WS_EINVAL;
	snprintf(sql, sizeof(sql), "SELECT %s%s WHERE m.id = $1 AND m.workspace_id = $2",
	    API_MANIFEST_SELECT, API_MANIFEST_FROM);
	r = api_db(a, resp, db_run(&a->db, sql, 2, params, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0) {
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
		PQclear(r);
		return WS_ENOTFOUND;
	}
	wbuf_init(&base);
	base_path(req, &base);
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_manifest_cols(r, &c);
	api_write_manifest(&w, r, 0, &c, wbuf_cstr(&base));
	api_send(resp, 200, &w);
	wbuf_free(&base);
	PQclear(r);
	return WS_OK;
}

/* True when an If-None-Match list names etag (or is "*"); weak tags compare too. */
static int etag_matches(const char *header, const char *etag)
{
	const char *p = header;
	size_t n = strlen(etag);

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

int api_manifest_document(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const char *params[2] = { req->param[2], a->scope.workspace_id };
	char etag[80];
	PGresult *r;

	if (api_path_uuid(req->param[2], "manifest_id", resp) != WS_OK)
		return WS_EINVAL;
	r = api_db(a, resp, db_run(&a->db, "SELECT sha256 FROM manifests WHERE id = $1 AND workspace_id = $2",
	    2, params, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0) {
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
		PQclear(r);
		return WS_ENOTFOUND;
	}
	snprintf(etag, sizeof(etag), "\"%s\"", PQgetvalue(r, 0, 0));
	PQclear(r);
	http_resp_header(resp, "ETag", etag);
	if (req->if_none_match != NULL && etag_matches(req->if_none_match, etag)) {
		resp->status = 304;
		return WS_OK;
	}
	/* Binary results: the stored bytes as they are, no hex round trip. */
	r = api_db(a, resp, db_run(&a->db, "SELECT d.document FROM manifest_documents d"
	    " JOIN manifests m ON m.id = d.manifest_id WHERE m.id = $1 AND m.workspace_id = $2",
	    2, params, DB_BINARY));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0) {
		http_resp_reset(resp);
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
	} else {
		http_resp_json(resp, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
	}
	PQclear(r);
	return WS_OK;
}

int api_manifest_delete(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	int rc;

	if (api_path_uuid(req->param[2], "manifest_id", resp) != WS_OK)
		return WS_EINVAL;
	rc = jobs_manifest_delete(&a->db, req->param[2], a->scope.workspace_id);
	if (rc == WS_EDB)
		return api_db_failed(a, resp, rc);
	if (rc == WS_ENOTFOUND) {
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
		return WS_ENOTFOUND;
	}
	resp->status = 204;
	return WS_OK;
}
