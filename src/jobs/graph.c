/*
 * Where a world's graph rows go in the completion transaction, and their COPY: the shared
 * tables for a small world, tables of its own for a big one (sql/012_own_tables.sql):
 * created empty, filled, then indexed and attached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen.h"
#include "jobs/internal.h"

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

/* BEGIN, and the threshold above. */
static int begin_tx(struct db *db, size_t *own_rows)
{
	PGresult *r;
	const char *v;
	char *end;
	unsigned long long n;

	*own_rows = JOBS_OWN_TABLES_ROWS;
	if (db_begin(db) != WS_OK)
		return WS_EDB;
	r = db_run(db, "SELECT current_setting('worlds.own_tables_rows', true)", 0, NULL, 0);
	if (r == NULL)
		return WS_EDB;
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

void jobs_graph_rows(const struct gen_world *w, size_t rows[JOBS_GRAPH_TABLES])
{
	rows[0] = gen_world_node_count(w);
	rows[1] = gen_world_edge_count(w);
	rows[2] = gen_world_host_count(w);
	rows[3] = gen_world_principal_count(w);
	rows[4] = gen_world_cred_count(w);
	rows[5] = gen_world_artifact_count(w);
}

static size_t world_rows(const struct gen_world *w)
{
	size_t rows[JOBS_GRAPH_TABLES], n = 0, i;

	jobs_graph_rows(w, rows);
	for (i = 0; i < JOBS_GRAPH_TABLES; i++)
		n += rows[i];
	return n;
}

static int tables_open(struct db *db, const char *mid, struct jobs_graph *t)
{
	const char *p[1] = { mid };
	PGresult *r;
	size_t i;
	int rc = WS_OK;

	if (!t->own) {
		for (i = 0; i < JOBS_GRAPH_TABLES; i++)
			snprintf(t->name[i], sizeof(t->name[i]), "%s", copies[i].shared);
		return WS_OK;
	}
	r = db_run(db, "SELECT unnest(worlds_graph_open($1))", 1, p, 0);
	if (r == NULL)
		return WS_EDB;
	if ((size_t)PQntuples(r) != JOBS_GRAPH_TABLES) {
		snprintf(db->err, sizeof(db->err), "database: worlds_graph_open gave %d tables, not %zu",
		    PQntuples(r), (size_t)JOBS_GRAPH_TABLES);
		rc = WS_EDB;
	}
	for (i = 0; rc == WS_OK && i < JOBS_GRAPH_TABLES; i++)
		snprintf(t->name[i], sizeof(t->name[i]), "%s", PQgetvalue(r, (int)i, 0));
	PQclear(r);
	return rc;
}

/*
 * Step 2 for own tables: their indexes, one statement each with a look for a cancel before
 * it (an index of an enterprise world takes a few hundred ms to sort; the watcher
 * interrupts one that runs), then the attach.
 */
int jobs_graph_close(struct db *db, const struct jobs_done *d, const char *mid,
    const struct jobs_graph *t)
{
	char step[24];
	const char *p[2] = { mid, step };
	long left = 1, i;
	int64_t tc = time_mono_ms();

	if (!t->own)
		return WS_OK;
	for (i = 0; left > 0; i++) {
		PGresult *r;

		if (jobs_watch_seen(d->watch))
			return WS_ECANCEL;
		snprintf(step, sizeof(step), "%ld", i);
		r = db_run(db, "SELECT worlds_graph_close($1, $2::integer)", 2, p, 0);
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

int jobs_graph_begin(struct db *db, const struct gen_world *w, const char *mid,
    struct jobs_graph *g)
{
	size_t own_rows;
	int rc = begin_tx(db, &own_rows);

	if (rc != WS_OK)
		return rc;
	g->own = world_rows(w) >= own_rows;
	return tables_open(db, mid, g);
}

int jobs_graph_copy(struct db *db, const struct jobs_done *d, const char *mid,
    const struct jobs_graph *g)
{
	struct jobs_copy c;
	struct wbuf json;
	char sql[512];
	int64_t tc;
	size_t i;
	int rc = WS_OK;

	memset(&c, 0, sizeof(c));
	wbuf_init(&c.b);
	wbuf_init(&json);
	for (i = 0; i < JOBS_GRAPH_TABLES && rc == WS_OK; i++) {
		if (jobs_watch_seen(d->watch)) {
			rc = WS_ECANCEL;
			break;
		}
		tc = time_mono_ms();
		c.stop = d->watch != NULL && d->watch->started ? &d->watch->seen : NULL;
		snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN WITH (FORMAT binary)",
		    g->name[i], copies[i].cols);
		rc = jobs_copy_begin(&c, db, mid, sql);
		if (rc != WS_OK)
			break;
		rc = copies[i].fill(&c, d->world, &json);
		if (rc != WS_OK)
			c.failed = 1;
		if (jobs_copy_end(&c) != WS_OK && rc == WS_OK)
			rc = WS_EDB;
		if (rc == WS_EINVAL)
			snprintf(db->err, sizeof(db->err), "more than 32 element types in one table");
		if (rc == WS_OK && d->verbose)
			wlog("worlds-gen: job %s: %s: %lld ms", d->job_id, g->name[i],
			    (long long)(time_mono_ms() - tc));
	}
	wbuf_free(&c.b);
	wbuf_free(&json);
	return rc;
}
