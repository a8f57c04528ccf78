/* POST /manifests (the seed): validation, then admission by the jobs module. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "api/internal.h"
#include "gen/gen.h"
#include "jobs/jobs.h"

struct create {
	struct gen_params p;
	char hash[65];
	const char *params_json;
};

/* Validation: every failing field at once, then the parameters' mutual consistency. */
static int validate_create(struct json_object *body, struct create *c, struct http_resp *resp)
{
	struct verrs v;
	struct gen_params resolved;

	verrs_init(&v);
	if (gen_params_from_json(body, &c->p, &v) != WS_OK) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		return WS_EINVAL;
	}
	resolved = c->p;
	if (gen_params_resolve(&resolved) != WS_OK) {
		verr_add(&v, "body", NULL, -1, "value_error",
		    "num_users and num_hosts must each be at least the number of domains");
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		return WS_EINVAL;
	}
	c->p.seed = resolved.seed;
	c->p.seed_set = 1;
	return WS_OK;
}

/* The Idempotency-Key header and the body (422 answered in resp when they fail). */
static int create_checks(struct http_req *req, struct http_resp *resp,
    struct json_object **body, struct create *c)
{
	if (!api_idempotency_header_ok(req, resp))
		return WS_EINVAL;
	*body = api_parse_body(req, resp);
	if (*body == NULL || validate_create(*body, c, resp) != WS_OK)
		return WS_EINVAL;
	return WS_OK;
}

/* The job's params: the body as sent, with the seed always set. */
static const char *job_params(struct json_object *body, const struct gen_params *p)
{
	json_object_object_add(body, "seed", json_object_new_int64(p->seed));
	return json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
}

static void new_job(struct api *a, const struct http_req *req, const struct create *c,
    const char *epoch, struct jobs_new *n)
{
	memset(n, 0, sizeof(*n));
	n->kind = JOBS_manifest_generation;
	n->organization_id = a->scope.organization_id;
	n->workspace_id = a->scope.workspace_id;
	n->project_id = c->p.project_id[0] ? c->p.project_id : a->scope.default_project_id;
	/* A project named in the body must be this workspace's, or become it (sql/014). */
	n->claim_project = strcmp(n->project_id, a->scope.default_project_id) != 0;
	n->created_by = a->scope.user_id;
	n->resource_type = "manifest";
	n->params = c->params_json;
	n->name = c->p.name[0] ? c->p.name : NULL;
	n->idempotency_key = req->idempotency_key;
	n->request_hash = c->hash;
	n->epoch = epoch;
}

/*
 * Without an Idempotency-Key, a kept tenancy is used unread: the admission statement
 * creates nothing unless the tenancy epoch still holds, and then the scope is resolved
 * anew and the job admitted again. A keyed create always resolves it first.
 */
static int admit(struct api *a, struct http_req *req, struct http_resp *resp,
    const struct create *c, int kept)
{
	struct jobs_admission adm;
	struct jobs_new n;
	int rc;

	if (req->idempotency_key != NULL && kept && api_scope(a, req, resp, 1, &kept) != WS_OK)
		return WS_EDENIED;
	new_job(a, req, c, kept && req->idempotency_key == NULL ? a->scope.epoch : NULL, &n);
	rc = jobs_admit(&a->db, &a->conf, &n, &adm);
	if (rc == WS_OK && adm.outcome == JOBS_EPOCH_MOVED) {
		/* The tenancy moved since the scope was kept: resolve it, then admit. */
		api_scope_forget(a, req);
		if (api_scope(a, req, resp, 1, &kept) != WS_OK)
			return WS_EDENIED;
		new_job(a, req, c, NULL, &n);
		rc = jobs_admit(&a->db, &a->conf, &n, &adm);
	}
	if (rc != WS_OK)
		return api_db_failed(a, resp, rc);
	return api_answer_admission(a, req, resp, &adm);
}

int api_manifest_create(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	struct json_object *body = NULL;
	struct create c;
	int rc, kept = 0;

	memset(&c, 0, sizeof(c));
	/* The token was checked before the handler; 404 and 403 come before 422 (api.md). */
	rc = api_scope(a, req, resp, 0, &kept);
	if (rc != WS_OK)
		goto out;
	rc = create_checks(req, resp, &body, &c);
	if (rc != WS_OK && kept) {
		/* A kept scope is no proof to answer 422 where 404 or 403 may now be due. */
		json_object_put(body);
		body = NULL;
		memset(&c, 0, sizeof(c));
		http_resp_reset(resp);
		rc = api_scope(a, req, resp, 1, &kept);
		if (rc == WS_OK)
			rc = create_checks(req, resp, &body, &c);
	}
	if (rc != WS_OK)
		goto out;
	api_body_hash(req, c.hash);
	c.params_json = job_params(body, &c.p);
	if (c.params_json == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		rc = WS_ENOMEM;
		goto out;
	}
	rc = admit(a, req, resp, &c, kept);
out:
	json_object_put(body);
	return rc;
}
