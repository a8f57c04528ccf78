/* The job routes: list, get, cancel, and the answer to an admission. */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"
#include "jobs/jobs.h"

static void write_job_answer(struct http_resp *resp, int status, const PGresult *r)
{
	struct api_cols c;
	struct jw w;

	api_job_cols(r, &c);
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_write_job(&w, r, 0, &c);
	api_send(resp, status, &w);
}

/* Reads one job of this workspace and answers it with status. */
static int answer_job(struct api *a, struct http_resp *resp, const char *id, int status)
{
	const char *params[2] = { id, a->scope.workspace_id };
	PGresult *r;

	r = api_db(a, resp, db_run(&a->db, "SELECT " JOBS_SELECT JOBS_FROM
	    " WHERE j.id = $1 AND j.workspace_id = $2", 2, params, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0)
		http_error(resp, HTTP_E_NOT_FOUND, "Job not found");
	else
		write_job_answer(resp, status, r);
	PQclear(r);
	return WS_OK;
}

int api_answer_admission(struct api *a, struct http_req *req, struct http_resp *resp,
    struct jobs_admission *adm)
{
	struct wbuf loc;

	switch (adm->outcome) {
	case JOBS_KEY_REUSED:
		http_error(resp, HTTP_E_CONFLICT,
		    "Idempotency-Key was already used with a different body");
		return WS_ECONFLICT;
	case JOBS_FOREIGN_PROJECT: {
		struct verrs v;

		verrs_init(&v);
		verr_add(&v, "body", "project_id", -1, "value_error",
		    "project_id belongs to another workspace: name a project of this one, a new one, or none (the default project)");
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		return WS_EINVAL;
	}
	case JOBS_OVER_QUOTA:
		http_error(resp, HTTP_E_USAGE, "Too many active jobs in this workspace");
		http_resp_header(resp, "Retry-After", "5");
		return WS_EAGAIN;
	case JOBS_CREATED:
	case JOBS_REPLAYED:
		break;
	default:
		http_error(resp, HTTP_E_SERVER, NULL);
		return WS_ERR;
	}
	wbuf_init(&loc);
	wbuf_printf(&loc, "/api/v1/org/%s/ws/%s/worlds/jobs/%s", req->param[0], req->param[1],
	    adm->id);
	http_resp_reset(resp);
	http_resp_header(resp, "Location", wbuf_cstr(&loc));
	wbuf_free(&loc);
	write_job_answer(resp, 202, adm->job);
	PQclear(adm->job);
	adm->job = NULL;
	/* Committed, and the answer read: the generator can find its job, and a claim now
	 * cannot make this 202 say running. */
	if (jobs_start(&a->conf, &a->db, adm) != WS_OK)
		wlog("worlds-api: job %s: no generator started now; the tick will", adm->id);
	return WS_OK;
}

int api_job_get(void *app, struct http_req *req, struct http_resp *resp)
{
	static const char read[] = "SELECT " JOBS_SELECT JOBS_FROM
				   " WHERE j.id = $5 AND j.workspace_id = s.scope_workspace_id";
	const char *params[1] = { req->param[2] };
	PGresult *r;
	int kept;

	if (uuid_version(req->param[2]) <= 0) {
		/* 401, 404 and 403 before the path's 422, as on the routes resolved up front. */
		if (api_scope(app, req, resp, 1, &kept) != WS_OK)
			return WS_EDENIED;
		return api_path_uuid(req->param[2], "job_id", resp);
	}
	r = api_scoped_read(app, req, resp, read, 1, params);
	if (r == NULL)
		return WS_EDENIED;
	if (PQgetisnull(r, 0, 0))
		http_error(resp, HTTP_E_NOT_FOUND, "Job not found");
	else
		write_job_answer(resp, 200, r);
	PQclear(r);
	return WS_OK;
}

static void job_item(struct jw *w, const PGresult *r, int row, const struct api_cols *c,
    const void *ctx)
{
	(void)ctx;
	api_write_job(w, r, row, c);
}

int api_job_list(void *app, struct http_req *req, struct http_resp *resp)
{
	static const struct api_list list = {
		"jobs j", "j", JOBS_SELECT JOBS_FROM,
		" WHERE j.workspace_id = $1 AND ($2::text IS NULL OR j.kind = $2)"
		" AND ($3::text IS NULL OR j.status = $3)"
		" AND ($4::uuid IS NULL OR j.project_id = $4)"
		" AND ($5::uuid IS NULL OR j.created_by = $5)",
		5, api_job_cols, job_item, NULL
	};
	struct api *a = app;
	struct api_page pg;
	struct verrs v;
	char kind[32], status[32], project[64], creator[64];
	const char *params[7];

	verrs_init(&v);
	api_page_parse(req, &pg, &v);
	params[0] = a->scope.workspace_id;
	params[1] = api_filter(req, "kind", jobs_kind_names, kind, sizeof(kind), &v) > 0 ? kind :
	    NULL;
	params[2] = api_filter(req, "status", jobs_status_names, status, sizeof(status), &v) > 0 ?
	    status : NULL;
	params[3] = api_filter(req, "project_id", NULL, project, sizeof(project), &v) > 0 ?
	    project : NULL;
	params[4] = api_filter(req, "created_by", NULL, creator, sizeof(creator), &v) > 0 ?
	    creator : NULL;
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		return WS_EINVAL;
	}
	return api_list_page(a, resp, &pg, &list, params);
}

int api_job_cancel(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	char status[16], msg[96];
	int rc;

	if (api_path_uuid(req->param[2], "job_id", resp) != WS_OK)
		return WS_EINVAL;
	rc = jobs_cancel(&a->db, req->param[2], a->scope.workspace_id, status);
	switch (rc) {
	case WS_OK:
		return answer_job(a, resp, req->param[2], 200);
	case WS_ENOTFOUND:
		http_error(resp, HTTP_E_NOT_FOUND, "Job not found");
		return rc;
	case WS_ECONFLICT:
		snprintf(msg, sizeof(msg), "Job is already %s", status);
		http_error(resp, HTTP_E_CONFLICT, msg);
		return rc;
	default:
		return api_db_failed(a, resp, rc);
	}
}
