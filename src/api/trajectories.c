/*
 * Trajectories: POST /trajectories (a trajectory_generation job over a completed manifest),
 * the list, one trajectory with its steps, and a manifest's trajectories.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api/internal.h"
#include "gen/gen.h"
#include "jobs/jobs.h"
#include "traj/traj.h"

/* Without steps (lists); the single record adds them (column "steps"). */
#define TRAJ_COLUMNS                                                                        \
	"t.id, t.manifest_id, t.organization_id, t.workspace_id, t.project_id,"             \
	" t.source_job_id, t.batch_id, t.sequence_index, t.name, t.goal, t.strategy, t.mode," \
	" t.seed, t.foothold, t.success, t.termination_reason, t.step_count, t.created_by,"  \
	" t.created_at"
#define TRAJ_STEPS ", t.steps::text AS steps"
#define TRAJ_NCOLS 19
#define TRAJ_ORDER " ORDER BY t.created_at DESC, t.source_job_id, t.sequence_index"

static const char *const col_names[TRAJ_NCOLS + 1] = { "id", "manifest_id", "organization_id",
	"workspace_id", "project_id", "source_job_id", "batch_id", "sequence_index", "name", "goal",
	"strategy", "mode", "seed", "foothold", "success", "termination_reason", "step_count",
	"created_by", "created_at", "steps" };
/* 'n' number, 'b' boolean, 't' timestamp, else string */
static const char col_kind[TRAJ_NCOLS + 1] = "sssssssnssssnsbsnst";

/* cols: the result's column of each name (db_cols), then of "steps" when with_steps. */
static void write_traj(struct jw *w, const PGresult *r, int row, const int *cols,
    int with_steps)
{
	int c;

	jw_obj_begin(w);
	for (c = 0; c < TRAJ_NCOLS; c++) {
		const char *v = db_val(r, row, cols[c]);

		if (col_kind[c] == 't') {
			api_write_ts(w, col_names[c], v);
			continue;
		}
		jw_key(w, col_names[c]);
		if (v == NULL)
			jw_null(w);
		else if (col_kind[c] == 'n')
			jw_raw(w, v, strlen(v));
		else if (col_kind[c] == 'b')
			jw_bool(w, v[0] == 't');
		else
			jw_str(w, v);
	}
	if (with_steps) {
		const char *s = PQgetvalue(r, row, cols[TRAJ_NCOLS]);

		jw_key(w, "steps");
		jw_raw(w, s, strlen(s));
	}
	jw_obj_end(w);
}

/* ---- POST /trajectories ------------------------------------------------------------------- */

struct create {
	struct traj_params tp;
	struct gen_params gp;        /* name and project_id, validated by the manifest rules */
	char manifest_id[37];
	char project_id[37];         /* the manifest's */
	char hash[65];
	const char *params_json;
};

static int body_valid(struct json_object *body, struct create *c, struct verrs *v)
{
	struct json_object *common = json_object_new_object(), *x;
	const char *mid;
	int rc = WS_OK;

	if (common == NULL)
		return WS_ENOMEM;
	json_object_object_foreach(body, key, val) {
		if (strcmp(key, "name") == 0 || strcmp(key, "project_id") == 0)
			json_object_object_add(common, key, json_object_get(val));
		else if (strcmp(key, "manifest_id") != 0 && !traj_field_known(key))
			verr_add(v, "body", key, -1, "extra_forbidden", "Extra inputs are not permitted");
	}
	if (gen_params_from_json(common, &c->gp, v) != WS_OK)
		rc = WS_EINVAL;
	json_object_put(common);
	if (!json_object_object_get_ex(body, "manifest_id", &x) || x == NULL) {
		verr_add(v, "body", "manifest_id", -1, "missing", "Field required");
	} else if (!json_object_is_type(x, json_type_string) ||
	    uuid_version(mid = json_object_get_string(x)) < 0) {
		verr_add(v, "body", "manifest_id", -1, "uuid_parsing", "Input should be a valid UUID");
	} else {
		size_t i;

		snprintf(c->manifest_id, sizeof(c->manifest_id), "%s", mid);
		for (i = 0; c->manifest_id[i]; i++)
			if (c->manifest_id[i] >= 'A' && c->manifest_id[i] <= 'F')
				c->manifest_id[i] = (char)(c->manifest_id[i] - 'A' + 'a');
	}
	if (traj_params_from_json(body, &c->tp, v) != WS_OK)
		rc = WS_EINVAL;
	return v->n > 0 ? WS_EINVAL : rc;
}

/* 404 unknown or foreign; 422 when it names a manifest job not completed; else its project. */
static int manifest_usable(struct api *a, struct http_resp *resp, struct create *c)
{
	const char *p[2] = { c->manifest_id, a->scope.workspace_id };
	struct verrs v;
	PGresult *r;

	r = api_db(a, resp, db_run(&a->db, "SELECT project_id FROM manifests WHERE id = $1"
	    " AND workspace_id = $2", 2, p, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 1) {
		snprintf(c->project_id, sizeof(c->project_id), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		return WS_OK;
	}
	PQclear(r);
	r = api_db(a, resp, db_run(&a->db, "SELECT status FROM jobs WHERE id = $1"
	    " AND workspace_id = $2 AND kind = " JOBS_LIT(manifest_generation)
	    " AND status <> " JOBS_LIT(completed), 2, p, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 1) {
		verrs_init(&v);
		verr_add(&v, "body", "manifest_id", -1, "value_error",
		    "Manifest is not completed (its job is %s)", PQgetvalue(r, 0, 0));
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
	} else {
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
	}
	PQclear(r);
	return WS_ENOTFOUND;
}

static char *job_params(const struct create *c)
{
	struct wbuf b;
	struct jw w;
	char *s = NULL;

	wbuf_init(&b);
	jw_init(&w, &b, 0);
	jw_obj_begin(&w);
	jw_kstr(&w, "manifest_id", c->manifest_id);
	traj_params_write(&c->tp, &w);
	jw_obj_end(&w);
	if (jw_finish(&w) == WS_OK)
		s = strdup(wbuf_cstr(&b));
	wbuf_free(&b);
	return s;
}

int api_traj_create(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	struct json_object *body = NULL;
	struct jobs_admission adm;
	struct jobs_new n;
	struct create c;
	struct verrs v;
	char *params = NULL;
	int rc = WS_EINVAL;

	memset(&c, 0, sizeof(c));
	verrs_init(&v);
	if (!api_idempotency_header_ok(req, resp) || (body = api_parse_body(req, resp)) == NULL)
		goto out;
	if ((rc = body_valid(body, &c, &v)) != WS_OK) {
		if (rc == WS_ENOMEM)
			http_error(resp, HTTP_E_SERVER, "Out of memory");
		else
			http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		goto out;
	}
	if ((rc = manifest_usable(a, resp, &c)) != WS_OK)
		goto out;
	if (c.gp.project_id[0] && strcmp(c.gp.project_id, c.project_id) != 0) {
		verr_add(&v, "body", "project_id", -1, "value_error",
		    "project_id must be the manifest's project (%s)", c.project_id);
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		rc = WS_EINVAL;
		goto out;
	}
	api_body_hash(req, c.hash);
	if ((c.params_json = params = job_params(&c)) == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		rc = WS_ENOMEM;
		goto out;
	}
	memset(&n, 0, sizeof(n));
	n.kind = JOBS_trajectory_generation;
	n.organization_id = a->scope.organization_id;
	n.workspace_id = a->scope.workspace_id;
	n.project_id = c.project_id;
	n.created_by = a->scope.user_id;
	n.resource_type = c.tp.count == 1 ? "trajectory" : "trajectory_batch";
	n.params = c.params_json;
	n.name = c.gp.name[0] ? c.gp.name : NULL;
	n.idempotency_key = req->idempotency_key;
	n.request_hash = c.hash;
	rc = jobs_admit(&a->db, &a->conf, &n, &adm);
	rc = rc == WS_OK ? api_answer_admission(a, req, resp, &adm) : api_db_failed(a, resp, rc);
out:
	json_object_put(body);
	free(params);
	return rc;
}

/* ---- reads ------------------------------------------------------------------------------ */

/* A page of this workspace's trajectories; manifest (may be NULL) narrows it. */
static int list(struct api *a, struct http_req *req, struct http_resp *resp,
    const char *manifest)
{
	struct api_page pg;
	struct verrs v;
	char mid[64], project[64], creator[64], limit[24], offset[24], sql[1536];
	const char *p[6];
	int cols[TRAJ_NCOLS];
	const char *where = " WHERE t.workspace_id = $1 AND ($2::uuid IS NULL OR t.manifest_id = $2)"
			    " AND ($3::uuid IS NULL OR t.project_id = $3)"
			    " AND ($4::uuid IS NULL OR t.created_by = $4)";
	PGresult *count = NULL, *rows = NULL;
	struct jw w;
	int i;

	verrs_init(&v);
	api_page_parse(req, &pg, &v);
	p[0] = a->scope.workspace_id;
	p[1] = manifest;
	if (manifest == NULL && api_filter(req, "manifest_id", NULL, mid, sizeof(mid), &v) > 0)
		p[1] = mid;
	p[2] = api_filter(req, "project_id", NULL, project, sizeof(project), &v) > 0 ? project : NULL;
	p[3] = api_filter(req, "created_by", NULL, creator, sizeof(creator), &v) > 0 ? creator : NULL;
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		return WS_EINVAL;
	}
	snprintf(limit, sizeof(limit), "%ld", pg.page_size);
	snprintf(offset, sizeof(offset), "%ld", (pg.page - 1) * pg.page_size);
	p[4] = limit;
	p[5] = offset;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM trajectories t%s", where);
	if ((count = api_db(a, resp, db_run(&a->db, sql, 4, p, 0))) == NULL)
		goto out;
	snprintf(sql, sizeof(sql), "SELECT " TRAJ_COLUMNS " FROM trajectories t%s" TRAJ_ORDER
	    " LIMIT $5 OFFSET $6", where);
	if ((rows = api_db(a, resp, db_run(&a->db, sql, 6, p, 0))) == NULL)
		goto out;
	if (db_cols(&a->db, rows, col_names, cols, TRAJ_NCOLS) != WS_OK) {
		api_db_failed(a, resp, WS_EDB);
		goto out;
	}
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_write_page_head(&w);
	for (i = 0; i < PQntuples(rows); i++)
		write_traj(&w, rows, i, cols, 0);
	api_write_page_tail(&w, &pg, PQgetvalue(count, 0, 0));
	api_send(resp, 200, &w);
out:
	PQclear(count);
	PQclear(rows);
	return WS_OK;
}

int api_traj_list(void *app, struct http_req *req, struct http_resp *resp)
{
	return list(app, req, resp, NULL);
}

int api_manifest_trajectories(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const char *p[2] = { req->param[2], a->scope.workspace_id };
	PGresult *r;
	int found;

	if (api_path_uuid(req->param[2], "manifest_id", resp) != WS_OK)
		return WS_EINVAL;
	r = api_db(a, resp, db_run(&a->db, "SELECT 1 FROM manifests WHERE id = $1"
	    " AND workspace_id = $2", 2, p, 0));
	if (r == NULL)
		return WS_EDB;
	found = PQntuples(r) == 1;
	PQclear(r);
	if (!found) {
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
		return WS_ENOTFOUND;
	}
	return list(a, req, resp, req->param[2]);
}

int api_traj_get(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const char *p[2] = { req->param[2], a->scope.workspace_id };
	PGresult *r;
	struct jw w;
	int cols[TRAJ_NCOLS + 1];

	if (api_path_uuid(req->param[2], "trajectory_id", resp) != WS_OK)
		return WS_EINVAL;
	r = api_db(a, resp, db_run(&a->db, "SELECT " TRAJ_COLUMNS TRAJ_STEPS " FROM trajectories t"
	    " WHERE t.id = $1 AND t.workspace_id = $2", 2, p, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0) {
		http_error(resp, HTTP_E_NOT_FOUND, "Trajectory not found");
	} else if (db_cols(&a->db, r, col_names, cols, TRAJ_NCOLS + 1) != WS_OK) {
		api_db_failed(a, resp, WS_EDB);
	} else {
		wbuf_reset(&resp->body);
		jw_init(&w, &resp->body, 0);
		write_traj(&w, r, 0, cols, 1);
		api_send(resp, 200, &w);
	}
	PQclear(r);
	return WS_OK;
}
