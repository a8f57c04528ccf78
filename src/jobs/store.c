/*
 * The completion transaction: the manifest record, its document, its graph rows and the
 * job's move to `completed`, committed together or not at all. The job row is updated
 * last, conditionally on `running` and no cancel asked, so a cancel that lands while the
 * rows are being copied wins and nothing is kept.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Edges: the columns only; id and data are built at read time (sql/010_bulk_store.sql). */
static int copy_edges(struct jobs_copy *c, const struct gen_world *w, struct wbuf *json)
{
	struct gen_edge_row row;
	struct type_pos tp = { { NULL }, { 0 }, 0 };
	size_t i, n = gen_world_edge_count(w);

	(void)json;
	for (i = 0; i < n && !c->failed; i++) {
		long k;

		memset(&row, 0, sizeof(row));
		gen_world_edge(w, i, &row);
		k = type_pos_next(&tp, row.edge_type);
		if (k < 0)
			return WS_EINVAL;
		jobs_copy_row(c, i, k);
		jobs_copy_str(c, row.source);
		jobs_copy_str(c, row.target);
		jobs_copy_str(c, row.edge_type);
		jobs_copy_str(c, row.severity);
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

/*
 * The tables in the order they are filled (sql/012_own_tables.sql's worlds_graph_kinds):
 * the shared table small worlds go to, and the columns every COPY names.
 */
static const struct {
	const char *shared;
	const char *cols;
	int (*fill)(struct jobs_copy *, const struct gen_world *, struct wbuf *);
} copies[] = {
	{ "manifest_nodes_shared", "manifest_id, pos, type_pos, id, node_type, label, domain, data",
	  copy_nodes },
	{ "manifest_edge_rows_shared", "manifest_id, pos, type_pos, source, target, edge_type,"
	  " severity", copy_edges },
	{ "manifest_hosts_shared", "manifest_id, pos, id, hostname, fqdn, domain, ip, role, data",
	  copy_hosts },
	{ "manifest_principals_shared", "manifest_id, pos, type_pos, id, principal_type, sam, upn,"
	  " display_name, email, domain, data", copy_principals },
	{ "manifest_credentials_shared", "manifest_id, pos, id, principal_id, host_id, data",
	  copy_creds },
	{ "manifest_artifacts_shared", "manifest_id, pos, id, host_id, data", copy_artifacts },
};

#define JOBS_NTABLES W_ARRAY_LEN(copies)

/*
 * From this many graph rows on, a world gets tables of its own, indexed after they are
 * filled (sql/012_own_tables.sql). Measured side by side: at about 12000 rows both ways
 * store in the same time, at 18000 (the large preset) own tables take a quarter less, an
 * enterprise world less than half the database's CPU. Below, own tables would gain little
 * and add six tables and 18 indexes to the catalog per small world. The small and medium
 * presets stay below; the inspection tests' world (about 12000 rows) is above. The
 * database setting worlds.own_tables_rows, when set, replaces it (docs/operations.md).
 */
#define JOBS_OWN_TABLES_ROWS 10000

/* BEGIN, and the threshold above, in one round trip. */
static int tx_begin(PGconn *db, size_t *own_rows, char *err, size_t errlen)
{
	PGresult *r = PQexec(db, "BEGIN; SELECT current_setting('worlds.own_tables_rows', true)");
	const char *v;
	char *end;
	unsigned long long n;

	*own_rows = JOBS_OWN_TABLES_ROWS;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		snprintf(err, errlen, "database: %s", PQresultErrorMessage(r));
		PQclear(r);
		return WS_EDB;
	}
	v = PQgetvalue(r, 0, 0);
	if (!PQgetisnull(r, 0, 0) && v[0] != '\0') {
		n = strtoull(v, &end, 10);
		if (*end == '\0' && v[0] >= '0' && v[0] <= '9')
			*own_rows = (size_t)n;
		else
			wlog("worlds-gen: worlds.own_tables_rows = '%.40s' is not a row count;"
			    " using %d", v, JOBS_OWN_TABLES_ROWS);
	}
	PQclear(r);
	return WS_OK;
}

static size_t world_rows(const struct gen_world *w)
{
	return gen_world_node_count(w) + gen_world_edge_count(w) + gen_world_host_count(w) +
	    gen_world_principal_count(w) + gen_world_cred_count(w) + gen_world_artifact_count(w);
}

/* Where one world's rows go: the shared tables, or the own tables step 1 made. */
struct store_tables {
	int own;
	char name[JOBS_NTABLES][128];
};

static int tables_open(PGconn *db, const char *mid, struct store_tables *t, char *err,
    size_t errlen)
{
	const char *p[1] = { mid };
	PGresult *r;
	size_t i;
	int rc = WS_OK;

	if (!t->own) {
		for (i = 0; i < JOBS_NTABLES; i++)
			snprintf(t->name[i], sizeof(t->name[i]), "%s", copies[i].shared);
		return WS_OK;
	}
	r = jobs_q(db, "SELECT unnest(worlds_graph_open($1))", 1, p, err, errlen);
	if (r == NULL)
		return WS_EDB;
	if ((size_t)PQntuples(r) != JOBS_NTABLES) {
		snprintf(err, errlen, "database: worlds_graph_open gave %d tables, not %zu",
		    PQntuples(r), (size_t)JOBS_NTABLES);
		rc = WS_EDB;
	}
	for (i = 0; rc == WS_OK && i < JOBS_NTABLES; i++)
		snprintf(t->name[i], sizeof(t->name[i]), "%s", PQgetvalue(r, (int)i, 0));
	PQclear(r);
	return rc;
}

/*
 * Step 2 for own tables: their indexes, one statement each with a look for a cancel before
 * it (an index of an enterprise world takes a few hundred ms to sort), then the attach.
 */
static int tables_close(PGconn *db, const struct jobs_done *d, const char *mid, char *err,
    size_t errlen)
{
	char step[24];
	const char *p[2] = { mid, step };
	long left = 1, i;
	int64_t tc = time_mono_ms();

	for (i = 0; left > 0; i++) {
		PGresult *r;

		if (d->cancelled && d->cancelled(d->ctx))
			return WS_ECANCEL;
		snprintf(step, sizeof(step), "%ld", i);
		r = jobs_q(db, "SELECT worlds_graph_close($1, $2::integer)", 2, p, err, errlen);
		if (r == NULL)
			return WS_EDB;
		left = PQntuples(r) == 1 ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : 0;
		PQclear(r);
	}
	if (d->verbose)
		wlog("worlds-gen: job %s: own tables indexed and attached: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	return WS_OK;
}

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

/*
 * The value of the document's top-level "attack_paths" member, or NULL. In canonical JSON
 * the bytes "attack_paths": can only be that key (inside a string its quotes would be
 * escaped, and no nested object has such a key), and the value ends where its brackets
 * balance outside strings. The key is the document's last but one, so it is looked for
 * from the end: from the start, an enterprise world's 77 MB took about 100 ms to pass.
 */
static const char *doc_attack_paths(const char *doc, size_t n, size_t *len)
{
	static const char key[] = "\"attack_paths\":";
	const size_t klen = sizeof(key) - 1;
	const char *p, *end = doc + n, *v;
	int depth = 0, in_str = 0;

	if (n < klen)
		return NULL;
	for (p = end - klen; *p != '"' || memcmp(p, key, klen) != 0; p--)
		if (p == doc)
			return NULL;
	/* The writer always gives an array (gen's write_paths); anything else counts as absent. */
	v = p + klen;
	if (v >= end || *v != '[')
		return NULL;
	for (p = v; p < end; p++) {
		if (in_str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_str = 0;
		} else if (*p == '"') {
			in_str = 1;
		} else if (*p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ']' || *p == '}') && --depth == 0) {
			*len = (size_t)(p + 1 - v);
			return v;
		}
	}
	return NULL;
}

/*
 * The inspection overview (the text sql/005's worlds_overview() would compute from the
 * stored rows), from the world in memory: counting here takes milliseconds, the SQL over
 * an enterprise world's rows more than a second. PostgreSQL still makes the final text
 * (jsonb's key order and spacing, domains in the database's collation), so both paths
 * give identical answers.
 */
static int store_overview(PGconn *db, const struct jobs_done *d, const char *mid,
    struct wbuf *buf, char *err, size_t errlen)
{
	struct wbuf paths;
	struct jw w;
	const char *ap, *p[3];
	size_t aplen = 0;
	PGresult *r;
	int rc = WS_OK;

	wbuf_init(&paths);
	wbuf_reset(buf);
	jw_init(&w, buf, 0);
	if (gen_world_overview(d->world, &w) != WS_OK || jw_finish(&w) != WS_OK)
		rc = WS_ENOMEM;
	ap = doc_attack_paths(d->document, d->size, &aplen);
	if (ap != NULL)
		wbuf_put(&paths, ap, aplen);
	if (rc != WS_OK || buf->err || paths.err) {
		rc = WS_ENOMEM;
		goto out;
	}
	p[0] = mid;
	p[1] = wbuf_cstr(buf);
	p[2] = ap != NULL ? wbuf_cstr(&paths) : NULL;
	r = jobs_q(db,
	    "INSERT INTO manifest_overviews (manifest_id, data)"
	    " SELECT $1, jsonb_build_object("
	    "'manifest_id', $1::uuid, 'nodes', o -> 'nodes', 'edges', o -> 'edges',"
	    " 'nodes_by_type', o -> 'nodes_by_type', 'edges_by_type', o -> 'edges_by_type',"
	    " 'domains', (SELECT coalesce(jsonb_agg(x ORDER BY x ->> 'domain'), '[]')"
	    "  FROM jsonb_array_elements(o -> 'domains') x),"
	    " 'subnets', o -> 'subnets', 'attack_paths', coalesce($3::jsonb, '[]'))::text"
	    " FROM (SELECT $2::jsonb AS o) t",
	    3, p, err, errlen);
	if (r == NULL)
		rc = WS_EDB;
	PQclear(r);
out:
	wbuf_free(&paths);
	return rc;
}

/*
 * After the commit, the upkeep the completion transaction leaves out (the job is already
 * completed; nothing here holds it up):
 * - the principal search index: for the shared table, its pending list merged into its tree
 *   (sql/010); for own tables, built (sql/012's worlds_graph_search_indexes);
 * - fresh planner statistics for a world's own tables, and for the shared tables this world
 *   grew by a tenth or more (what autovacuum's default threshold would analyze a little
 *   later), so the first reads of a big world are planned on its real size. Small worlds
 *   leave that to autovacuum.
 * Failures are only logged: autovacuum does both eventually.
 */
static void after_commit(PGconn *db, const struct jobs_done *d, const struct store_tables *t)
{
	size_t rows[JOBS_NTABLES];
	char sql[192], err[256];
	const char *p[1];
	PGresult *r;
	size_t i;
	int64_t t0 = time_mono_ms();

	rows[0] = gen_world_node_count(d->world);
	rows[1] = gen_world_edge_count(d->world);
	rows[2] = gen_world_host_count(d->world);
	rows[3] = gen_world_principal_count(d->world);
	rows[4] = gen_world_cred_count(d->world);
	rows[5] = gen_world_artifact_count(d->world);
	r = jobs_q(db, t->own ? "SELECT worlds_graph_search_indexes()" :
	    "SELECT gin_clean_pending_list('manifest_principals_search'::regclass)", 0, NULL, err,
	    sizeof(err));
	if (r == NULL)
		wlog("worlds-gen: job %s: %s", d->job_id, err);
	PQclear(r);
	if (d->verbose)
		wlog("worlds-gen: job %s: search index %s after commit: %lld ms", d->job_id,
		    t->own ? "built" : "merged", (long long)(time_mono_ms() - t0));
	for (i = 0; i < JOBS_NTABLES; i++) {
		double have;

		if (rows[i] < 1000)
			continue;
		p[0] = t->name[i];
		r = jobs_q(db, "SELECT reltuples FROM pg_class WHERE oid = $1::regclass", 1, p, err,
		    sizeof(err));
		have = r != NULL && PQntuples(r) == 1 ? strtod(PQgetvalue(r, 0, 0), NULL) : 0;
		PQclear(r);
		if (!t->own && have > 0 && (double)rows[i] * 10 < have)
			continue;
		snprintf(sql, sizeof(sql), "ANALYZE %s", t->name[i]);
		if (exec_ok(db, sql, err, sizeof(err)) != WS_OK)
			wlog("worlds-gen: job %s: %s", d->job_id, err);
	}
	if (d->verbose)
		wlog("worlds-gen: job %s: after commit: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - t0));
}

/* The manifest record and its document (the record first: it checks the job is still ours). */
static int store_manifest(PGconn *db, const struct jobs_done *d, const char *mid,
    const char *stats, char *err, size_t errlen)
{
	const struct gen_params *gp = gen_world_params(d->world);
	char seed[32], size[32];
	const char *mp[8];
	int lens[2] = { 0, 0 }, fmts[2] = { 0, 1 }, rc = WS_OK;
	int64_t tc = time_mono_ms();
	PGresult *r;

	snprintf(seed, sizeof(seed), "%" PRId64, gp->seed);
	snprintf(size, sizeof(size), "%zu", d->size);
	mp[0] = mid;
	mp[1] = d->job_id;
	mp[2] = gp->preset[0] ? gp->preset : NULL;
	mp[3] = seed;
	mp[4] = gen_version();
	mp[5] = d->sha256;
	mp[6] = size;
	mp[7] = stats;
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
		PQclear(r);
		return r == NULL ? WS_EDB : WS_ECANCEL;
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
	}
	PQclear(r);
	if (rc == WS_OK && d->verbose)
		wlog("worlds-gen: job %s: manifest and document: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	return rc;
}

/*
 * Order: the graph rows first (the document may still be being written meanwhile, see
 * jobs_done.document_ready), then the manifest, its document and overview, then the job.
 * The graph rows have no foreign key (sql/004), so they may precede their manifest inside
 * the transaction; nothing is visible before the commit.
 */
int jobs_store(PGconn *db, struct jobs_done *d, char *err, size_t errlen)
{
	struct wbuf result, stats, json;
	struct jobs_copy c;
	struct store_tables tables;
	char mid[37], sql[512];
	size_t own_rows;
	const char *mp[3];
	int rc, in_tx = 0;
	PGresult *r = NULL;
	int64_t tc;
	size_t i;

	wbuf_init(&result);
	wbuf_init(&stats);
	wbuf_init(&json);
	memset(&c, 0, sizeof(c));
	wbuf_init(&c.b);
	uuid_v4(mid);
	rc = tx_begin(db, &own_rows, err, errlen);
	in_tx = 1; /* even when the SELECT failed after BEGIN: ROLLBACK is harmless */
	if (rc != WS_OK)
		goto out;
	tables.own = world_rows(d->world) >= own_rows;
	/*
	 * The document's writing takes a core for a while (half a second for an enterprise
	 * world). During the COPYs both cores are busy already (this thread makes rows, the
	 * server takes them); while own tables are indexed only the server works. So a big
	 * world's document is written then, a small world's right away.
	 */
	if (!tables.own && d->document_start != NULL)
		d->document_start(d->ctx);
	rc = tables_open(db, mid, &tables, err, errlen);
	if (rc != WS_OK)
		goto out;
	for (i = 0; i < JOBS_NTABLES; i++) {
		if (d->cancelled && d->cancelled(d->ctx)) {
			rc = WS_ECANCEL;
			goto out;
		}
		tc = time_mono_ms();
		c.cancelled = d->cancelled;
		c.ctx = d->ctx;
		snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN WITH (FORMAT binary)",
		    tables.name[i], copies[i].cols);
		rc = jobs_copy_begin(&c, db, mid, sql, err, errlen);
		if (rc != WS_OK)
			goto out;
		rc = copies[i].fill(&c, d->world, &json);
		if (rc != WS_OK) {
			c.failed = 1;
			snprintf(err, errlen, "more than 32 element types in one table");
		}
		if (jobs_copy_end(&c, err, errlen) != WS_OK)
			rc = WS_EDB;
		if (c.cancel)
			rc = WS_ECANCEL;
		if (rc != WS_OK)
			goto out;
		if (d->verbose)
			wlog("worlds-gen: job %s: %s: %lld ms", d->job_id, tables.name[i],
			    (long long)(time_mono_ms() - tc));
	}
	if (tables.own) {
		if (d->document_start != NULL)
			d->document_start(d->ctx);
		rc = tables_close(db, d, mid, err, errlen);
		if (rc != WS_OK)
			goto out;
	}
	tc = time_mono_ms();
	if (d->document_ready != NULL) {
		rc = d->document_ready(d->ctx, d);
		if (rc != WS_OK)
			goto out;
		if (d->verbose)
			wlog("worlds-gen: job %s: waited %lld ms for the document", d->job_id,
			    (long long)(time_mono_ms() - tc));
	}
	write_result(&result, &stats, d, mid);
	if (result.err || stats.err) {
		rc = WS_ENOMEM;
		goto out;
	}
	/* The document of a big world takes the server half a second to compress: one more
	 * look for a cancel before it, and one before the overview. */
	if (d->cancelled && d->cancelled(d->ctx)) {
		rc = WS_ECANCEL;
		goto out;
	}
	rc = store_manifest(db, d, mid, wbuf_cstr(&stats), err, errlen);
	if (rc != WS_OK)
		goto out;
	if (d->cancelled && d->cancelled(d->ctx)) {
		rc = WS_ECANCEL;
		goto out;
	}
	tc = time_mono_ms();
	rc = store_overview(db, d, mid, &json, err, errlen);
	if (rc != WS_OK)
		goto out;
	if (d->verbose)
		wlog("worlds-gen: job %s: overview: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	/* completed_at: the moment of this last step, not the transaction's start (now()),
	 * which for a big world is seconds earlier. */
	mp[1] = wbuf_cstr(&result);
	mp[0] = d->job_id;
	mp[2] = mid;
	r = jobs_q(db,
	    "UPDATE jobs SET status = 'completed', progress = 1, completed_at = clock_timestamp(),"
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
	tc = time_mono_ms();
	rc = exec_ok(db, "COMMIT", err, errlen);
	in_tx = 0;
	if (d->verbose)
		wlog("worlds-gen: job %s: commit: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	if (rc == WS_OK)
		after_commit(db, d, &tables);
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
