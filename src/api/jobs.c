/* POST /manifests (the seed) and the job routes: list, get, cancel. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <sodium.h>

#include "api/internal.h"
#include "gen/gen.h"
#include "jobs/jobs.h"

#define JSON_MAX_DEPTH 32

static const char *const job_kinds[] = { "manifest_generation", "trajectory_generation", NULL };
static const char *const job_statuses[] = { "queued", "running", "completed", "failed",
	"cancelled", NULL };

/* The base path of this workspace's routes: /api/v1/org/{org}/ws/{ws}/worlds. */
static void base_path(const struct http_req *req, struct wbuf *b)
{
	wbuf_printf(b, "/api/v1/org/%s/ws/%s/worlds", req->param[0], req->param[1]);
}

static int is_json_type(const char *ct)
{
	size_t n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, ";");
	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

static void invalid_body(struct http_resp *resp, const char *type, const char *msg)
{
	struct verrs v;

	verrs_init(&v);
	verr_add(&v, "body", NULL, -1, type, "%s", msg);
	http_error_fields(resp, HTTP_E_INVALID, msg, &v);
}

static int only_blanks(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	return 1;
}

/* Skips a JSON string starting at p (on its opening quote); returns the byte after it. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++)
		if (*p == '\\')
			p++;
	return p < end ? p + 1 : end;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * json-c saturates an integer below INT64_MIN to INT64_MIN, so the parsed object cannot
 * tell "-9223372036854775809" from the real minimum. The raw text can: every top-level
 * member whose value is an integer literal outside int64 becomes a double in obj, which
 * validation then refuses as "not an integer", exactly as it refuses 1e3. The body has
 * already parsed as a JSON object, so this scan may assume it is well formed.
 */
static void mark_overflowing_integers(struct json_object *obj, const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else if (*p == '"' && depth == 1) {
			const char *key = p + 1, *v;
			char name[64], num[32];
			size_t klen, vlen;
			int64_t ignored;

			p = skip_string(p, end);
			klen = (size_t)(p - key - 1);
			v = skip_blanks(skip_blanks(p, end) + 1, end); /* past the ':' */
			vlen = strspn(v, "-0123456789");
			if (v + vlen > end)
				vlen = (size_t)(end - v);
			/* A string value must not be taken for the next key. */
			p = *v == '"' ? skip_string(v, end) : v + vlen;
			if (vlen == 0 || klen >= sizeof(name) || memchr(key, '\\', klen) != NULL)
				continue;
			if (vlen >= sizeof(num) ||
			    (memcpy(num, v, vlen), num[vlen] = '\0', parse_i64(num, &ignored) != WS_OK)) {
				if (v[vlen] == '.' || v[vlen] == 'e' || v[vlen] == 'E')
					continue; /* a real number already: json-c made it a double */
				memcpy(name, key, klen);
				name[klen] = '\0';
				json_object_object_add(obj, name, json_object_new_double(0.5));
			}
		} else if (*p == '"') {
			p = skip_string(p, end);
		} else {
			p++;
		}
	}
}

/* Body → JSON object, or a 400 invalid_error already written to resp. */
struct json_object *api_parse_body(const struct http_req *req, struct http_resp *resp)
{
	struct json_tokener *tok;
	struct json_object *obj = NULL;
	enum json_tokener_error err;

	if (!is_json_type(req->content_type)) {
		invalid_body(resp, "model_type", "Content-Type must be application/json");
		return NULL;
	}
	if (!utf8_valid(req->body, req->body_len)) {
		invalid_body(resp, "json_invalid", "Invalid JSON: body is not UTF-8");
		return NULL;
	}
	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (tok == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The terminating NUL (the body is NUL-terminated) tells json-c the input ends, so
	 * that a bare number at the very end is complete rather than "continue". */
	obj = json_tokener_parse_ex(tok, req->body, (int)req->body_len + 1);
	err = json_tokener_get_error(tok);
	if (err != json_tokener_success || !only_blanks(req->body + json_tokener_get_parse_end(tok),
	    req->body + req->body_len)) {
		char msg[160];

		if (err == json_tokener_success)
			snprintf(msg, sizeof(msg), "Invalid JSON: trailing characters after the value");
		else if (err == json_tokener_continue || json_tokener_get_parse_end(tok) >= req->body_len)
			snprintf(msg, sizeof(msg), "Invalid JSON: EOF while parsing a value");
		else
			snprintf(msg, sizeof(msg), "Invalid JSON: %s", json_tokener_error_desc(err));
		json_object_put(obj);
		obj = NULL;
		invalid_body(resp, "json_invalid", msg);
	} else if (!json_object_is_type(obj, json_type_object)) {
		/* A JSON null parses to no object at all: it is still not an object. */
		json_object_put(obj);
		obj = NULL;
		invalid_body(resp, "model_type", "Input should be an object");
	} else {
		mark_overflowing_integers(obj, req->body, req->body + req->body_len);
	}
	json_tokener_free(tok);
	return obj;
}

static int idempotency_key_valid(const char *k)
{
	size_t n = strlen(k), i;

	if (n < 1 || n > 255)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] < '!' || k[i] > '~')
			return 0;
	return 1;
}

/* Hex sha256 of the body: "the same body" for idempotency is the same bytes. */
void api_body_hash(const struct http_req *req, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)req->body, req->body_len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static void write_job_answer(struct http_resp *resp, int status, const PGresult *r)
{
	struct jw w;

	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_write_job(&w, r, 0);
	api_send(resp, status, &w);
}

/* Reads one job of this workspace and answers it with status. */
int api_answer_job(struct api *a, struct http_resp *resp, const char *id, int status)
{
	char sql[1024];
	const char *params[2] = { id, a->scope.workspace_id };
	PGresult *r;

	snprintf(sql, sizeof(sql), "SELECT %s WHERE j.id = $1 AND j.workspace_id = $2",
	    API_JOB_COLUMNS);
	r = api_exec(a, resp, sql, 2, params, PGRES_TUPLES_OK);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0)
		http_error(resp, HTTP_E_NOT_FOUND, "Job not found");
	else
		write_job_answer(resp, status, r);
	PQclear(r);
	return WS_OK;
}

/* Validated request → the job's params: the body as sent, with the seed always set. */
static const char *job_params(struct json_object *body, const struct gen_params *p)
{
	json_object_object_add(body, "seed", json_object_new_int64(p->seed));
	return json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
}

struct create {
	struct gen_params p;
	char job_id[37];
	char hash[65];
	const char *params_json;
	char seed[24];
};

enum replay { REPLAY_NONE, REPLAY_SAME, REPLAY_OTHER };

/* An earlier job of this workspace under the same key (keys free up after 24 hours). */
static int find_replay(struct api *a, struct http_req *req, struct http_resp *resp,
    struct create *c, enum replay *out)
{
	const char *params[2] = { a->scope.workspace_id, req->idempotency_key };
	PGresult *r;

	*out = REPLAY_NONE;
	r = api_exec_tx(a, resp, "UPDATE jobs SET idempotency_key = NULL WHERE workspace_id = $1"
	    " AND idempotency_key = $2 AND created_at < now() - interval '24 hours'", 2, params,
	    PGRES_COMMAND_OK);
	if (r == NULL)
		return WS_EDB;
	PQclear(r);
	r = api_exec_tx(a, resp, "SELECT id, request_hash FROM jobs WHERE workspace_id = $1"
	    " AND idempotency_key = $2", 2, params, PGRES_TUPLES_OK);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) > 0) {
		snprintf(c->job_id, sizeof(c->job_id), "%s", PQgetvalue(r, 0, 0));
		*out = strcmp(PQgetvalue(r, 0, 1), c->hash) == 0 ? REPLAY_SAME : REPLAY_OTHER;
	}
	PQclear(r);
	return WS_OK;
}

/*
 * Creates serialise per workspace on its row of workspace_active_jobs (sql/008), so the
 * quota and idempotency keys hold under races; the row's count is what the quota is
 * checked against.
 */
static int lock_workspace(struct api *a, struct http_resp *resp, long *active)
{
	const char *params[1] = { a->scope.workspace_id };
	PGresult *r;

	r = api_exec_tx(a, resp, "SELECT active FROM workspace_active_jobs WHERE workspace_id = $1"
	    " FOR UPDATE", 1, params, PGRES_TUPLES_OK);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) != 1) {
		wlog("worlds-api: workspace %s has no workspace_active_jobs row (migration 008?)",
		    a->scope.workspace_id);
		http_error(resp, HTTP_E_DATABASE, NULL);
		PQclear(r);
		return WS_EDB;
	}
	*active = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return WS_OK;
}

/* The new job row's values, $1..$9 of JOB_INSERT's column list. */
#define JOB_INSERT_COLUMNS                                                                  \
	"id, organization_id, workspace_id, project_id, kind, params, name,"                \
	" idempotency_key, request_hash, created_by, resource_type"
#define JOB_INSERT_VALUES "$1, $2, $3, $4, 'manifest_generation', $5, $6, $7, $8, $9, 'manifest'"
static void job_row_params(struct api *a, const struct http_req *req, struct create *c,
    const char *params[9])
{
	uuid_v4(c->job_id);
	params[0] = c->job_id;
	params[1] = a->scope.organization_id;
	params[2] = a->scope.workspace_id;
	params[3] = c->p.project_id[0] ? c->p.project_id : a->scope.default_project_id;
	params[4] = c->params_json;
	params[5] = c->p.name[0] ? c->p.name : NULL;
	params[6] = req->idempotency_key;
	params[7] = req->idempotency_key ? c->hash : NULL;
	params[8] = a->scope.user_id;
}

static int insert_job(struct api *a, struct http_req *req, struct http_resp *resp,
    struct create *c)
{
	const char *params[9];
	PGresult *r;

	job_row_params(a, req, c, params);
	r = api_exec_tx(a, resp, "INSERT INTO jobs (" JOB_INSERT_COLUMNS ") VALUES ("
	    JOB_INSERT_VALUES ")", 9, params, PGRES_COMMAND_OK);
	if (r == NULL)
		return WS_EDB;
	PQclear(r);
	return WS_OK;
}

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

int api_job_admit(struct api *a, struct http_req *req, struct http_resp *resp,
    const char *hash, char job_id[37], int *replayed)
{
	struct create c;
	enum replay replay = REPLAY_NONE;
	long active = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	snprintf(c.hash, sizeof(c.hash), "%s", hash);
	*replayed = 0;
	rc = lock_workspace(a, resp, &active);
	if (rc == WS_OK && req->idempotency_key != NULL)
		rc = find_replay(a, req, resp, &c, &replay);
	if (rc != WS_OK)
		return rc;
	if (replay == REPLAY_OTHER) {
		http_error(resp, HTTP_E_CONFLICT,
		    "Idempotency-Key was already used with a different body");
		return WS_ECONFLICT;
	}
	if (replay == REPLAY_SAME) {
		snprintf(job_id, 37, "%s", c.job_id);
		*replayed = 1;
		return WS_OK;
	}
	if (active >= a->conf.max_active_jobs_per_workspace) {
		http_error(resp, HTTP_E_USAGE, "Too many active jobs in this workspace");
		http_resp_header(resp, "Retry-After", "5");
		return WS_EAGAIN;
	}
	return WS_OK;
}

/*
 * Without an Idempotency-Key, admission and insert are one statement in its own
 * transaction: lock the workspace's counter row, insert only under the quota, and return
 * the new job for the answer. The lock is held only for that statement, so creators of
 * one workspace queue for microseconds, not for a chain of round trips. With epoch (a
 * kept scope, see api_scope) nothing happens unless the tenancy epoch is still that one.
 * Columns: the job (all NULL when not inserted), jobs_spawn's first look at the free
 * slots, whether the counter row was there, the epoch.
 */
#define CREATE_COL_SLOTS 20
#define CREATE_COL_LOCKED 21
#define CREATE_COL_EPOCH 22
static PGresult *create_direct(struct api *a, struct http_req *req, struct http_resp *resp,
    struct create *c, const char *epoch)
{
	char max[16], slots[16], host[JOBS_HOST_MAX];
	const char *params[13];

	job_row_params(a, req, c, params);
	snprintf(max, sizeof(max), "%d", a->conf.max_active_jobs_per_workspace);
	snprintf(slots, sizeof(slots), "%d", a->conf.max_generators);
	jobs_hostname(host);
	params[9] = max;
	params[10] = host;
	params[11] = slots;
	params[12] = epoch;
	return api_exec(a, resp,
	    "WITH e AS (SELECT n FROM tenancy_epoch WHERE id = 1),"
	    " lk AS (SELECT active FROM workspace_active_jobs WHERE workspace_id = $3"
	    "        AND ($13::bigint IS NULL OR $13::bigint = (SELECT n FROM e)) FOR UPDATE),"
	    " ins AS (INSERT INTO jobs (" JOB_INSERT_COLUMNS ")"
	    "         SELECT " JOB_INSERT_VALUES " FROM lk WHERE lk.active < $10::int"
	    "         RETURNING *)"
	    " SELECT " API_JOB_SELECT ", " JOBS_LOOK_SLOTS_SQL("$11", "$12") ","
	    "        lk.active IS NOT NULL, e.n"
	    "   FROM e LEFT JOIN lk ON true LEFT JOIN ins j ON true"
	    "   LEFT JOIN users u ON u.id = j.created_by",
	    13, params, PGRES_TUPLES_OK);
}

static void location(struct http_req *req, struct http_resp *resp, const char *job_id)
{
	struct wbuf loc;

	wbuf_init(&loc);
	base_path(req, &loc);
	wbuf_printf(&loc, "/jobs/%s", job_id);
	http_resp_header(resp, "Location", wbuf_cstr(&loc));
	wbuf_free(&loc);
}

/*
 * POST without an Idempotency-Key: create_direct, the answer, then the generator.
 * WS_ECONFLICT (nothing answered) when the kept scope's epoch has moved.
 */
static int create_fast(struct api *a, struct http_req *req, struct http_resp *resp,
    struct create *c, const char *epoch)
{
	PGresult *r = create_direct(a, req, resp, c, epoch);
	long free_slots;

	if (r == NULL)
		return WS_EDB;
	if (epoch != NULL && strcmp(PQgetvalue(r, 0, CREATE_COL_EPOCH), epoch) != 0) {
		PQclear(r);
		return WS_ECONFLICT;
	}
	if (strcmp(PQgetvalue(r, 0, CREATE_COL_LOCKED), "t") != 0) {
		wlog("worlds-api: workspace %s has no workspace_active_jobs row (migration 008?)",
		    a->scope.workspace_id);
		http_error(resp, HTTP_E_DATABASE, NULL);
		PQclear(r);
		return WS_EDB;
	}
	if (PQgetisnull(r, 0, 0)) {
		PQclear(r);
		http_error(resp, HTTP_E_USAGE, "Too many active jobs in this workspace");
		http_resp_header(resp, "Retry-After", "5");
		return WS_EAGAIN;
	}
	location(req, resp, c->job_id);
	write_job_answer(resp, 202, r);
	free_slots = atol(PQgetvalue(r, 0, CREATE_COL_SLOTS));
	PQclear(r);
	/* Committed with the statement: the generator can find its job. */
	if (jobs_spawn_free(&a->conf, a->db, c->job_id, free_slots) != WS_OK)
		wlog("worlds-api: job %s: no generator started now; the tick will", c->job_id);
	return WS_OK;
}

/* Admission, then the insert; *created tells the caller to start a generator. */
static int create_in_tx(struct api *a, struct http_req *req, struct http_resp *resp,
    struct create *c, int *created)
{
	int replayed = 0, rc;

	*created = 0;
	rc = api_job_admit(a, req, resp, c->hash, c->job_id, &replayed);
	if (rc != WS_OK || replayed)
		return rc;
	rc = insert_job(a, req, resp, c);
	*created = rc == WS_OK;
	return rc;
}

int api_idempotency_header_ok(const struct http_req *req, struct http_resp *resp)
{
	struct verrs v;

	if (req->idempotency_key == NULL || idempotency_key_valid(req->idempotency_key))
		return 1;
	verrs_init(&v);
	verr_add(&v, "header", "Idempotency-Key", -1, "string_pattern_mismatch",
	    "Idempotency-Key must be 1 to 255 visible ASCII characters");
	http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
	return 0;
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

/* The keyed create: admission, replay lookup and insert in one transaction, then start. */
static int create_keyed(struct api *a, struct http_req *req, struct http_resp *resp,
    struct create *c)
{
	PGresult *r;
	int rc, created = 0;

	/* BEGIN through api_exec so that a connection lost since the last request is renewed. */
	r = api_exec(a, resp, "BEGIN", 0, NULL, PGRES_COMMAND_OK);
	if (r == NULL)
		return WS_EDB;
	PQclear(r);
	rc = create_in_tx(a, req, resp, c, &created);
	if (api_tx_end(a, resp, rc == WS_OK) != WS_OK || rc != WS_OK)
		return rc != WS_OK ? rc : WS_EDB;
	http_resp_reset(resp);
	location(req, resp, c->job_id);
	/* The answer is read before the start: a generator that claims the job at once would
	 * otherwise make a new job's 202 say running. */
	rc = api_answer_job(a, resp, c->job_id, 202);
	/* Only after the commit can the generator find its job. */
	if (created && jobs_spawn(&a->conf, a->db, c->job_id) != WS_OK)
		wlog("worlds-api: job %s: no generator started now; the tick will", c->job_id);
	return rc;
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
	if (req->idempotency_key != NULL) {
		if (!kept || (rc = api_scope(a, req, resp, 1, &kept)) == WS_OK)
			rc = create_keyed(a, req, resp, &c);
		goto out;
	}
	rc = create_fast(a, req, resp, &c, kept ? a->scope.epoch : NULL);
	if (rc == WS_ECONFLICT) {
		/* The tenancy moved since the scope was kept: resolve it, then create. */
		api_scope_forget(a, req);
		rc = api_scope(a, req, resp, 1, &kept);
		if (rc == WS_OK)
			rc = create_fast(a, req, resp, &c, NULL);
	}
out:
	json_object_put(body);
	return rc;
}

int api_job_get(void *app, struct http_req *req, struct http_resp *resp)
{
	static const char read[] = "SELECT " API_JOB_COLUMNS_TEXT
				   " WHERE j.id = $5 AND j.workspace_id = s.workspace_id";
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

static void job_item(struct jw *w, const PGresult *r, int row, const void *ctx)
{
	(void)ctx;
	api_write_job(w, r, row);
}

int api_job_list(void *app, struct http_req *req, struct http_resp *resp)
{
	static const struct api_list list = {
		"jobs j", "j", API_JOB_COLUMNS,
		" WHERE j.workspace_id = $1 AND ($2::text IS NULL OR j.kind = $2)"
		" AND ($3::text IS NULL OR j.status = $3)"
		" AND ($4::uuid IS NULL OR j.project_id = $4)"
		" AND ($5::uuid IS NULL OR j.created_by = $5)",
		5, job_item, NULL
	};
	struct api *a = app;
	struct api_page pg;
	struct verrs v;
	char kind[32], status[32], project[64], creator[64];
	const char *params[7];

	verrs_init(&v);
	api_page_parse(req, &pg, &v);
	params[0] = a->scope.workspace_id;
	params[1] = api_filter(req, "kind", job_kinds, kind, sizeof(kind), &v) > 0 ? kind : NULL;
	params[2] = api_filter(req, "status", job_statuses, status, sizeof(status), &v) > 0 ?
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

/*
 * Queued → cancelled at once; running → cancel requested (the generator stops within a
 * second); cancelled → unchanged; completed or failed → 409. Each step is a conditional
 * update, so a job that moves on between them is judged by its new status.
 */
int api_job_cancel(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const char *params[2] = { req->param[2], a->scope.workspace_id };
	PGresult *r;
	int done;

	if (api_path_uuid(req->param[2], "job_id", resp) != WS_OK)
		return WS_EINVAL;
	r = api_exec(a, resp, "UPDATE jobs SET status = 'cancelled', cancel_requested_at = now(),"
	    " completed_at = now() WHERE id = $1 AND workspace_id = $2 AND status = 'queued'",
	    2, params, PGRES_COMMAND_OK);
	if (r == NULL)
		return WS_EDB;
	done = atoi(PQcmdTuples(r)) > 0;
	PQclear(r);
	if (!done) {
		r = api_exec(a, resp, "UPDATE jobs SET cancel_requested_at ="
		    " coalesce(cancel_requested_at, now()) WHERE id = $1 AND workspace_id = $2"
		    " AND status = 'running'", 2, params, PGRES_COMMAND_OK);
		if (r == NULL)
			return WS_EDB;
		done = atoi(PQcmdTuples(r)) > 0;
		PQclear(r);
	}
	if (!done) {
		r = api_exec(a, resp, "SELECT status FROM jobs WHERE id = $1 AND workspace_id = $2",
		    2, params, PGRES_TUPLES_OK);
		if (r == NULL)
			return WS_EDB;
		if (PQntuples(r) == 0) {
			http_error(resp, HTTP_E_NOT_FOUND, "Job not found");
			PQclear(r);
			return WS_ENOTFOUND;
		}
		if (strcmp(PQgetvalue(r, 0, 0), "cancelled") != 0) {
			char msg[96];

			snprintf(msg, sizeof(msg), "Job is already %s", PQgetvalue(r, 0, 0));
			http_error(resp, HTTP_E_CONFLICT, msg);
			PQclear(r);
			return WS_ECONFLICT;
		}
		PQclear(r);
	}
	return api_answer_job(a, resp, req->param[2], 200);
}

