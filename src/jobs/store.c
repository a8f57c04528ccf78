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
static int store_overview(struct db *db, const struct jobs_done *d, const char *mid,
    struct wbuf *buf)
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
	r = db_run(db,
	    "INSERT INTO manifest_overviews (manifest_id, data)"
	    " SELECT $1, jsonb_build_object("
	    "'manifest_id', $1::uuid, 'nodes', o -> 'nodes', 'edges', o -> 'edges',"
	    " 'nodes_by_type', o -> 'nodes_by_type', 'edges_by_type', o -> 'edges_by_type',"
	    " 'domains', (SELECT coalesce(jsonb_agg(x ORDER BY x ->> 'domain'), '[]')"
	    "  FROM jsonb_array_elements(o -> 'domains') x),"
	    " 'subnets', o -> 'subnets', 'attack_paths', coalesce($3::jsonb, '[]'))::text"
	    " FROM (SELECT $2::jsonb AS o) t",
	    3, p, DB_ONCE);
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
static void after_commit(struct db *db, const struct jobs_done *d, const struct jobs_graph *t)
{
	size_t rows[JOBS_GRAPH_TABLES];
	char sql[192];
	const char *p[1];
	PGresult *r;
	size_t i;
	int64_t t0 = time_mono_ms();

	jobs_graph_rows(d->world, rows);
	r = db_run(db, t->own ? "SELECT worlds_graph_search_indexes()" :
	    "SELECT gin_clean_pending_list('manifest_principals_search'::regclass)", 0, NULL, 0);
	if (r == NULL)
		wlog("worlds-gen: job %s: %s", d->job_id, db->err);
	PQclear(r);
	if (d->verbose)
		wlog("worlds-gen: job %s: search index %s after commit: %lld ms", d->job_id,
		    t->own ? "built" : "merged", (long long)(time_mono_ms() - t0));
	for (i = 0; i < JOBS_GRAPH_TABLES; i++) {
		double have;

		if (rows[i] < 1000)
			continue;
		/* An own table is new: analyzed whatever its size. A shared one only if this
		 * world grew it by a tenth. */
		if (!t->own) {
			p[0] = t->name[i];
			r = db_run(db, "SELECT reltuples FROM pg_class WHERE oid = $1::regclass", 1,
			    p, 0);
			have = r != NULL && PQntuples(r) == 1 ? strtod(PQgetvalue(r, 0, 0), NULL) : 0;
			PQclear(r);
			if (have > 0 && (double)rows[i] * 10 < have)
				continue;
		}
		snprintf(sql, sizeof(sql), "ANALYZE %s", t->name[i]);
		if (db_script(db, sql) != WS_OK)
			wlog("worlds-gen: job %s: %s", d->job_id, db->err);
	}
	if (d->verbose)
		wlog("worlds-gen: job %s: after commit: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - t0));
}

/* The manifest record and its document (the record first: it checks the job is still ours). */
static int store_manifest(struct db *db, const struct jobs_done *d, const char *mid,
    const char *stats)
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
	r = db_run(db,
	    "INSERT INTO manifests (id, organization_id, workspace_id, project_id, source_job_id,"
	    " name, preset, seed, generator_version, sha256, size_bytes, stats, created_by)"
	    " SELECT $1, j.organization_id, j.workspace_id,"
	    " COALESCE(j.project_id, w.default_project_id), j.id, j.name, $3, $4::bigint, $5, $6,"
	    " $7::bigint, $8::jsonb, j.created_by"
	    " FROM jobs j JOIN workspaces w ON w.id = j.workspace_id"
	    " WHERE j.id = $2 AND j.status = " JOBS_LIT(running),
	    8, mp, 0);
	if (r == NULL || strcmp(PQcmdTuples(r), "1") != 0) {
		PQclear(r);
		return r == NULL ? WS_EDB : WS_ECANCEL;
	}
	PQclear(r);
	/* The exact bytes, sent binary: no escaping pass over a document of many MB. */
	mp[1] = d->document;
	lens[1] = (int)d->size;
	r = db_run_lens(db, "INSERT INTO manifest_documents (manifest_id, document)"
	    " VALUES ($1, $2)", 2, mp, lens, fmts);
	if (r == NULL)
		rc = WS_EDB;
	PQclear(r);
	if (rc == WS_OK && d->verbose)
		wlog("worlds-gen: job %s: manifest and document: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	return rc;
}

/* A failed statement of the store: a cancel when the watcher had seen one (it interrupts
 * whatever runs: "canceling statement due to user request"), else the failure itself. */
static int failed(const struct jobs_done *d, int rc)
{
	if (rc != WS_OK && rc != WS_ECANCEL && jobs_watch_seen(d->watch))
		return WS_ECANCEL;
	return rc;
}

/*
 * Order: the graph rows first (the document may still be being written meanwhile, see
 * jobs_done.document_ready), then the manifest, its document and overview, then the job.
 * The graph rows have no foreign key (sql/004), so they may precede their manifest inside
 * the transaction; nothing is visible before the commit. The store runs under the cancel
 * watcher (watch.c); its last update refuses to complete a job whose cancel was asked
 * whatever the watcher saw.
 */
int jobs_store(struct db *db, struct jobs_done *d)
{
	struct wbuf result, stats, json;
	struct jobs_graph tables;
	struct jobs_watch watch;
	char mid[37];
	int rc;
	int64_t tc;

	memset(&watch, 0, sizeof(watch));
	wbuf_init(&result);
	wbuf_init(&stats);
	wbuf_init(&json);
	uuid_v4(mid);
	d->watch = NULL;
	memset(&tables, 0, sizeof(tables));
	if (d->watch_db != NULL) {
		if (jobs_watch_start(&watch, d->watch_db, db, d->job_id, d->on_cancel, d->ctx) ==
		    WS_OK)
			d->watch = &watch;
		else
			wlog("worlds-gen: job %s: no cancel watcher; a cancel waits for the "
			    "store's next step", d->job_id);
	}
	rc = failed(d, jobs_graph_begin(db, d->world, mid, &tables));
	if (rc != WS_OK)
		goto out;
	/*
	 * The document's writing takes a core for a while (half a second for an enterprise
	 * world). During the COPYs both cores are busy already (this thread makes rows, the
	 * server takes them); while own tables are indexed only the server works. So a big
	 * world's document is written then, a small world's right away.
	 */
	if (!tables.own && d->document_start != NULL)
		d->document_start(d->ctx);
	rc = failed(d, jobs_graph_copy(db, d, mid, &tables));
	if (rc != WS_OK)
		goto out;
	if (tables.own && d->document_start != NULL)
		d->document_start(d->ctx);
	rc = failed(d, jobs_graph_close(db, d, mid, &tables));
	if (rc != WS_OK)
		goto out;
	tc = time_mono_ms();
	if (d->document_ready != NULL) {
		rc = failed(d, d->document_ready(d->ctx, d));
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
	if (jobs_watch_seen(d->watch)) {
		rc = WS_ECANCEL;
		goto out;
	}
	rc = failed(d, store_manifest(db, d, mid, wbuf_cstr(&stats)));
	if (rc != WS_OK)
		goto out;
	if (jobs_watch_seen(d->watch)) {
		rc = WS_ECANCEL;
		goto out;
	}
	tc = time_mono_ms();
	rc = failed(d, store_overview(db, d, mid, &json));
	if (rc != WS_OK)
		goto out;
	if (d->verbose)
		wlog("worlds-gen: job %s: overview: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	rc = failed(d, jobs_complete(db, d->job_id, mid, wbuf_cstr(&result),
	    JOBS_COMPLETE_OR_NOTHING));
	if (rc != WS_OK)
		goto out;
	/* From here on a cancel can no longer be asked (the job's row is ours until the
	 * commit): the watcher has nothing left to do, and must not interrupt the commit. */
	jobs_watch_stop(&watch);
	d->watch = NULL;
	tc = time_mono_ms();
	rc = db_commit(db);
	if (d->verbose)
		wlog("worlds-gen: job %s: commit: %lld ms", d->job_id,
		    (long long)(time_mono_ms() - tc));
	if (rc == WS_OK)
		after_commit(db, d, &tables);
out:
	/* Stopped before anything that follows: an interruption meant for the store must never
	 * reach the rollback or the job's update to cancelled. */
	jobs_watch_stop(&watch);
	d->watch = NULL;
	db_rollback(db);
	wbuf_free(&result);
	wbuf_free(&stats);
	wbuf_free(&json);
	return rc;
}

int jobs_manifest_delete(struct db *db, const char *id, const char *workspace_id)
{
	const char *p[2] = { id, workspace_id };
	PGresult *r = db_run(db, "DELETE FROM manifests WHERE id = $1 AND workspace_id = $2", 2, p,
	    0);
	int gone;

	if (r == NULL)
		return WS_EDB;
	gone = atoi(PQcmdTuples(r)) > 0;
	PQclear(r);
	return gone ? WS_OK : WS_ENOTFOUND;
}
