/*
 * The completion transaction: the manifest record, its document, its graph rows and the
 * job's move to `completed`, committed together or not at all. The job row is updated
 * last, conditionally on `running` and no cancel asked, so a cancel that lands while the
 * rows are being copied wins and nothing is kept.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gen/gen.h"
#include "jobs/internal.h"

/* Dense ordinals per type: the types are a handful of short names. */
struct type_pos {
	const char *name[32];
	long next[32];
	size_t n;
};

static long type_pos_next(struct type_pos *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], name) == 0)
			return t->next[i]++;
	if (t->n == W_ARRAY_LEN(t->name))
		return -1;
	t->name[t->n] = name;
	t->next[t->n] = 1;
	t->n++;
	return 0;
}

static int copy_nodes(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_node_row row;
	struct type_pos tp = { { NULL }, { 0 }, 0 };
	size_t i, n = gen_world_node_count(w);

	for (i = 0; i < n && !c->failed; i++) {
		long k;

		memset(&row, 0, sizeof(row));
		wbuf_reset(json);
		row.json = json;
		gen_world_node(w, i, &row);
		k = type_pos_next(&tp, row.node_type);
		if (k < 0)
			return WS_EINVAL;
		jobs_copy_row(c, i, k);
		jobs_copy_str(c, row.id);
		jobs_copy_str(c, row.node_type);
		jobs_copy_str(c, row.label ? row.label : "");
		jobs_copy_str(c, row.domain ? row.domain : "");
		jobs_copy_json(c, json);
		jobs_copy_row_end(c);
	}
	return WS_OK;
}

static int copy_edges(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_edge_row row;
	struct type_pos tp = { { NULL }, { 0 }, 0 };
	size_t i, n = gen_world_edge_count(w);

	for (i = 0; i < n && !c->failed; i++) {
		long k;

		memset(&row, 0, sizeof(row));
		wbuf_reset(json);
		row.json = json;
		gen_world_edge(w, i, &row);
		k = type_pos_next(&tp, row.edge_type);
		if (k < 0)
			return WS_EINVAL;
		jobs_copy_row(c, i, k);
		jobs_copy_str(c, row.id);
		jobs_copy_str(c, row.source);
		jobs_copy_str(c, row.target);
		jobs_copy_str(c, row.edge_type);
		jobs_copy_str(c, row.severity);
		jobs_copy_json(c, json);
		jobs_copy_row_end(c);
	}
	return WS_OK;
}

static int copy_hosts(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_host_row row;
	size_t i, n = gen_world_host_count(w);

	for (i = 0; i < n && !c->failed; i++) {
		memset(&row, 0, sizeof(row));
		wbuf_reset(json);
		row.json = json;
		gen_world_host(w, i, &row);
		jobs_copy_row(c, i, -1);
		jobs_copy_str(c, row.id);
		jobs_copy_str(c, row.hostname);
		jobs_copy_str(c, row.fqdn);
		jobs_copy_str(c, row.domain);
		jobs_copy_str(c, row.ip);
		jobs_copy_str(c, row.role);
		jobs_copy_json(c, json);
		jobs_copy_row_end(c);
	}
	return WS_OK;
}

static int copy_principals(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_principal_row row;
	struct type_pos tp = { { NULL }, { 0 }, 0 };
	size_t i, n = gen_world_principal_count(w);

	for (i = 0; i < n && !c->failed; i++) {
		long k;

		memset(&row, 0, sizeof(row));
		wbuf_reset(json);
		row.json = json;
		gen_world_principal(w, i, &row);
		k = type_pos_next(&tp, row.principal_type);
		if (k < 0)
			return WS_EINVAL;
		jobs_copy_row(c, i, k);
		jobs_copy_str(c, row.id);
		jobs_copy_str(c, row.principal_type);
		jobs_copy_str(c, row.sam);
		jobs_copy_str(c, row.upn);
		jobs_copy_str(c, row.display_name ? row.display_name : "");
		jobs_copy_str(c, row.email);
		jobs_copy_str(c, row.domain);
		jobs_copy_json(c, json);
		jobs_copy_row_end(c);
	}
	return WS_OK;
}

static int copy_creds(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_cred_row row;
	size_t i, n = gen_world_cred_count(w);

	for (i = 0; i < n && !c->failed; i++) {
		memset(&row, 0, sizeof(row));
		wbuf_reset(json);
		row.json = json;
		gen_world_cred(w, i, &row);
		jobs_copy_row(c, i, -1);
		jobs_copy_str(c, row.id);
		jobs_copy_str(c, row.principal_id);
		jobs_copy_str(c, row.host_id);
		jobs_copy_json(c, json);
		jobs_copy_row_end(c);
	}
	return WS_OK;
}

static int copy_artifacts(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_artifact_row row;
	size_t i, n = gen_world_artifact_count(w);

	for (i = 0; i < n && !c->failed; i++) {
		memset(&row, 0, sizeof(row));
		wbuf_reset(json);
		row.json = json;
		gen_world_artifact(w, i, &row);
		jobs_copy_row(c, i, -1);
		jobs_copy_str(c, row.id);
		jobs_copy_str(c, row.host_id);
		jobs_copy_json(c, json);
		jobs_copy_row_end(c);
	}
	return WS_OK;
}

/* The tables in the order they are filled; one line each. */
static const struct {
	const char *sql;
	int (*fill)(struct jobs_copy *, const struct gen_world *, struct wbuf *);
} copies[] = {
	{ "COPY manifest_nodes (manifest_id, pos, type_pos, id, node_type, label, domain, data)"
	  " FROM STDIN", copy_nodes },
	{ "COPY manifest_edges (manifest_id, pos, type_pos, id, source, target, edge_type,"
	  " severity, data) FROM STDIN", copy_edges },
	{ "COPY manifest_hosts (manifest_id, pos, id, hostname, fqdn, domain, ip, role, data)"
	  " FROM STDIN", copy_hosts },
	{ "COPY manifest_principals (manifest_id, pos, type_pos, id, principal_type, sam, upn,"
	  " display_name, email, domain, data) FROM STDIN", copy_principals },
	{ "COPY manifest_credentials (manifest_id, pos, id, principal_id, host_id, data)"
	  " FROM STDIN", copy_creds },
	{ "COPY manifest_artifacts (manifest_id, pos, id, host_id, data) FROM STDIN",
	  copy_artifacts },
};

/* The job's result and the manifest's stats, as JSON text. */
static void write_result(struct wbuf *result, struct wbuf *stats, const struct jobs_done *d,
    const char *mid)
{
	struct jw w;

	jw_init(&w, stats, 0);
	gen_world_stats(d->world, &w);
	jw_finish(&w);
	jw_init(&w, result, 0);
	jw_obj_begin(&w);
	jw_kstr(&w, "manifest_id", mid);
	jw_kstr(&w, "sha256", d->sha256);
	jw_kint(&w, "size_bytes", (int64_t)d->size);
	jw_kint(&w, "seed", gen_world_params(d->world)->seed);
	jw_key(&w, "stats");
	jw_raw(&w, stats->p ? stats->p : "{}", stats->len);
	jw_obj_end(&w);
	jw_finish(&w);
}

static int exec_ok(PGconn *db, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(db, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		snprintf(err, errlen, "database: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? WS_OK : WS_EDB;
}

int jobs_store(PGconn *db, const struct jobs_done *d, char *err, size_t errlen)
{
	const struct gen_params *gp = gen_world_params(d->world);
	struct wbuf result, stats, json;
	struct jobs_copy c;
	char mid[37], seed[32], size[32];
	const char *mp[8];
	int lens[2] = { 0, 0 }, fmts[2] = { 0, 1 }, rc, in_tx = 0;
	PGresult *r = NULL;
	size_t i;

	wbuf_init(&result);
	wbuf_init(&stats);
	wbuf_init(&json);
	wbuf_init(&c.b);
	uuid_v4(mid);
	snprintf(seed, sizeof(seed), "%" PRId64, gp->seed);
	snprintf(size, sizeof(size), "%zu", d->size);
	write_result(&result, &stats, d, mid);
	if (result.err || stats.err) {
		rc = WS_ENOMEM;
		goto out;
	}
	rc = exec_ok(db, "BEGIN", err, errlen);
	if (rc != WS_OK)
		goto out;
	in_tx = 1;
	mp[0] = mid;
	mp[1] = d->job_id;
	mp[2] = gp->preset[0] ? gp->preset : NULL;
	mp[3] = seed;
	mp[4] = gen_version();
	mp[5] = d->sha256;
	mp[6] = size;
	mp[7] = wbuf_cstr(&stats);
	r = jobs_q(db,
	    "INSERT INTO manifests (id, organization_id, workspace_id, project_id, source_job_id,"
	    " name, preset, seed, generator_version, sha256, size_bytes, stats, created_by)"
	    " SELECT $1, j.organization_id, j.workspace_id,"
	    " COALESCE(j.project_id, w.default_project_id), j.id, j.name, $3, $4::bigint, $5, $6,"
	    " $7::bigint, $8::jsonb, j.created_by"
	    " FROM jobs j JOIN workspaces w ON w.id = j.workspace_id"
	    " WHERE j.id = $2 AND j.status = 'running'",
	    8, mp, err, errlen);
	if (r == NULL || strcmp(PQcmdTuples(r), "1") != 0) {
		rc = r == NULL ? WS_EDB : WS_ECANCEL;
		goto out;
	}
	PQclear(r);
	/* The exact bytes, sent binary: no escaping pass over a document of many MB. */
	mp[1] = d->document;
	lens[1] = (int)d->size;
	r = PQexecParams(db, "INSERT INTO manifest_documents (manifest_id, document) VALUES ($1, $2)",
	    2, NULL, mp, lens, fmts, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "database: %s", PQresultErrorMessage(r));
		rc = WS_EDB;
		goto out;
	}
	for (i = 0; i < W_ARRAY_LEN(copies); i++) {
		if (d->cancelled && d->cancelled(d->ctx)) {
			rc = WS_ECANCEL;
			goto out;
		}
		int64_t tc = time_mono_ms();

		rc = jobs_copy_begin(&c, db, mid, copies[i].sql, err, errlen);
		if (rc != WS_OK)
			goto out;
		rc = copies[i].fill(&c, d->world, &json);
		if (rc != WS_OK) {
			c.failed = 1;
			snprintf(err, errlen, "more than 32 element types in one table");
		}
		if (jobs_copy_end(&c, err, errlen) != WS_OK)
			rc = WS_EDB;
		if (rc != WS_OK)
			goto out;
		if (d->verbose)
			wlog("worlds-gen: job %s: %.*s: %lld ms", d->job_id,
			    (int)strcspn(copies[i].sql + 5, " "), copies[i].sql + 5,
			    (long long)(time_mono_ms() - tc));
	}
	PQclear(r);
	/* Statistics and the inspection overview over the rows just stored (sql/005_inspect.sql). */
	mp[0] = mid;
	r = jobs_q(db, "SELECT worlds_graph_stored($1)", 1, mp, err, errlen);
	if (r == NULL) {
		rc = WS_EDB;
		goto out;
	}
	PQclear(r);
	mp[1] = wbuf_cstr(&result);
	mp[0] = d->job_id;
	mp[2] = mid;
	r = jobs_q(db,
	    "UPDATE jobs SET status = 'completed', progress = 1, completed_at = now(),"
	    " resource_id = $3, result = $2::jsonb"
	    " WHERE id = $1 AND status = 'running' AND cancel_requested_at IS NULL",
	    3, mp, err, errlen);
	if (r == NULL) {
		rc = WS_EDB;
		goto out;
	}
	if (strcmp(PQcmdTuples(r), "1") != 0) {
		rc = WS_ECANCEL;
		goto out;
	}
	rc = exec_ok(db, "COMMIT", err, errlen);
	in_tx = 0;
out:
	PQclear(r);
	if (in_tx) {
		char ignored[128];

		exec_ok(db, "ROLLBACK", ignored, sizeof(ignored));
	}
	wbuf_free(&result);
	wbuf_free(&stats);
	wbuf_free(&json);
	wbuf_free(&c.b);
	return rc;
}
