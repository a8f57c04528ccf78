/*
 * GET …/graph/subgraph?center=&depth=: breadth-first over edges in both directions, level
 * by level (one query per level for the frontier's edges, in edge order), so the answer is
 * the same on every call. Caps: SUB_MAX_NODES nodes, SUB_MAX_EDGES edges, at most
 * SUB_NODE_EDGES edges read per node and direction and SUB_LEVEL_EDGES per level (a group
 * of 50000 members must not cost a scan of all of them); reaching any cap sets truncated.
 * Edges are kept when both ends are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/inspect.h"

#define SUB_MAX_NODES 2000
#define SUB_MAX_EDGES 20000
#define SUB_LEVEL_EDGES 50000
#define SUB_NODE_EDGES 4000 /* per node and direction: twice the node cap */

/* Open addressing over the node ids kept so far (ids are short; SUB_MAX_NODES of them). */
#define SET_CAP 8192 /* power of two, > 2 * SUB_MAX_NODES */

/*
 * A kept edge: its position, and where its columns are (row of the level's result). The
 * level queries read each edge's columns with its ends, so the answer never fetches edges
 * again (fetching a few thousand scattered positions by `pos = ANY(...)` cost more than all
 * the rest of a depth-2 subgraph of an enterprise world).
 */
struct kept {
	int pos;
	int level;
	int row;
};

struct bfs {
	char *id[SET_CAP];  /* slot -> id (owned) */
	int order[SUB_MAX_NODES];
	size_t n;
	struct kept *edges;
	size_t nedges;
	PGresult *level[4]; /* rows of each expanded level (1..3), INSPECT_EDGE_COLS from 3 */
	int truncated;
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Slot of id: where it is, or the empty slot where it would go. */
static size_t slot_of(const struct bfs *b, const char *id)
{
	size_t i = hash_str(id) & (SET_CAP - 1);

	while (b->id[i] != NULL && strcmp(b->id[i], id) != 0)
		i = (i + 1) & (SET_CAP - 1);
	return i;
}

static int has(const struct bfs *b, const char *id)
{
	return b->id[slot_of(b, id)] != NULL;
}

/* 1 added, 0 present or the cap is reached (truncated then), -1 out of memory. */
static int add(struct bfs *b, const char *id)
{
	size_t i = slot_of(b, id);

	if (b->id[i] != NULL)
		return 0;
	if (b->n == SUB_MAX_NODES) {
		b->truncated = 1;
		return 0;
	}
	if ((b->id[i] = strdup(id)) == NULL)
		return -1;
	b->order[b->n++] = (int)i;
	return 1;
}

static void bfs_free(struct bfs *b)
{
	size_t i;

	for (i = 0; i < SET_CAP; i++)
		free(b->id[i]);
	for (i = 0; i < sizeof(b->level) / sizeof(b->level[0]); i++)
		PQclear(b->level[i]);
	free(b->edges);
	free(b);
}

static int cmp_kept(const void *x, const void *y)
{
	int a = ((const struct kept *)x)->pos, b = ((const struct kept *)y)->pos;

	return (a > b) - (a < b);
}

/*
 * Expands nodes [from, to) of the BFS order: reads their edges (both directions, edge
 * order), keeps new neighbours while there is room, and the edges whose ends are kept.
 * Each node gives at most SUB_NODE_EDGES edges per direction, read in edge order from the
 * index: a hub (Domain Users, an OU of thousands) costs what its first few thousand edges
 * cost, and having more than that means the answer is cut.
 */
static int expand(struct api *a, struct http_resp *resp, const char *mid, struct bfs *b,
    size_t from, size_t to, int level)
{
	static const char sql[] =
	    "SELECT e.pos, f.k, e.dir, e.id, e.source, e.target, e.edge_type, e.severity"
	    " FROM unnest($2::text[]) WITH ORDINALITY f(id, k) CROSS JOIN LATERAL ("
	    "  (SELECT pos, 0 AS dir, " INSPECT_EDGE_COLS " FROM manifest_edges"
	    "   WHERE manifest_id = $1 AND source = f.id ORDER BY pos LIMIT $3::int)"
	    "  UNION ALL"
	    "  (SELECT pos, 1 AS dir, " INSPECT_EDGE_COLS " FROM manifest_edges"
	    "   WHERE manifest_id = $1 AND target = f.id ORDER BY pos LIMIT $3::int)) e"
	    " LIMIT $4::int";
	struct wbuf arr;
	char lim[16], total[16];
	const char *params[4];
	PGresult *r = NULL;
	size_t i;
	int rc = WS_EDB, n, j, k, last = -1;
	unsigned *count = NULL;
	struct kept *rows = NULL;

	wbuf_init(&arr);
	wbuf_putc(&arr, '{');
	for (i = from; i < to; i++)
		inspect_array_add(&arr, b->id[b->order[i]], i == from);
	wbuf_putc(&arr, '}');
	count = calloc(2 * (to - from) + 2, sizeof(*count));
	if (arr.err || count == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		rc = WS_ENOMEM;
		goto out;
	}
	snprintf(lim, sizeof(lim), "%d", SUB_NODE_EDGES + 1);
	snprintf(total, sizeof(total), "%d", SUB_LEVEL_EDGES + 1);
	params[0] = mid;
	params[1] = wbuf_cstr(&arr);
	params[2] = lim;
	params[3] = total;
	r = api_db(a, resp, db_run(&a->db, sql, 4, params, 0));
	if (r == NULL)
		goto out;
	n = PQntuples(r);
	if (n > SUB_LEVEL_EDGES) {
		b->truncated = 1;
		n = SUB_LEVEL_EDGES;
	}
	/*
	 * The rows come node by node, each node's edges in edge order; the level is taken in
	 * edge order across its nodes, sorted here: sorting in the query (the edge JSON with
	 * each row) cost half of its time. Only past SUB_LEVEL_EDGES, where the answer is cut
	 * anyway, do the rows read depend on the frontier's order.
	 */
	rows = malloc((size_t)(n > 0 ? n : 1) * sizeof(*rows));
	if (rows == NULL) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		rc = WS_ENOMEM;
		goto out;
	}
	for (j = 0; j < n; j++) {
		rows[j].pos = atoi(PQgetvalue(r, j, 0));
		rows[j].row = j;
	}
	qsort(rows, (size_t)n, sizeof(*rows), cmp_kept);
	for (j = 0; j < n; j++) {
		const char *s, *t;
		int pos = rows[j].pos;
		size_t f;

		k = rows[j].row;
		s = PQgetvalue(r, k, 4);
		t = PQgetvalue(r, k, 5);
		f = (size_t)atol(PQgetvalue(r, k, 1)) - 1;

		if (f < to - from &&
		    ++count[2 * f + (PQgetvalue(r, k, 2)[0] == '1')] > SUB_NODE_EDGES) {
			b->truncated = 1;
			continue;
		}
		/* An edge between two frontier nodes comes once from each end. */
		if (pos == last)
			continue;
		last = pos;
		/* One end is in the frontier; the other joins if there is room. */
		if (add(b, s) < 0 || add(b, t) < 0) {
			http_error(resp, HTTP_E_SERVER, "Out of memory");
			rc = WS_ENOMEM;
			goto out;
		}
		if (!has(b, s) || !has(b, t))
			continue;
		if (b->nedges == SUB_MAX_EDGES) {
			b->truncated = 1;
			continue;
		}
		b->edges[b->nedges].pos = pos;
		b->edges[b->nedges].level = level;
		b->edges[b->nedges].row = k;
		b->nedges++;
	}
	b->level[level] = r;
	r = NULL;
	rc = WS_OK;
out:
	PQclear(r);
	free(count);
	free(rows);
	wbuf_free(&arr);
	return rc;
}

/*
 * Edges found at an earlier level that join two nodes of a later one appear again when the
 * later level is expanded: the kept list is sorted and made unique at the end.
 */
static size_t unique_sorted(struct kept *v, size_t n)
{
	size_t i, o = 0;

	qsort(v, n, sizeof(*v), cmp_kept);
	for (i = 0; i < n; i++)
		if (o == 0 || v[o - 1].pos != v[i].pos)
			v[o++] = v[i];
	return o;
}

static int write_answer(struct api *a, struct http_resp *resp, const char *mid,
    const char *center, long depth, struct bfs *b)
{
	struct wbuf ids;
	const char *params[2];
	PGresult *nodes = NULL;
	size_t i;
	struct jw w;

	wbuf_init(&ids);
	wbuf_putc(&ids, '{');
	for (i = 0; i < b->n; i++)
		inspect_array_add(&ids, b->id[b->order[i]], i == 0);
	wbuf_putc(&ids, '}');
	b->nedges = unique_sorted(b->edges, b->nedges);
	if (ids.err) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		goto out;
	}
	params[0] = mid;
	params[1] = wbuf_cstr(&ids);
	nodes = api_db(a, resp, db_run(&a->db, "SELECT n.data FROM unnest($2::text[])"
	    " WITH ORDINALITY u(id, k) JOIN manifest_nodes n ON n.manifest_id = $1"
	    " AND n.id = u.id ORDER BY u.k", 2, params, 0));
	if (nodes == NULL)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	jw_obj_begin(&w);
	jw_kstr(&w, "center", center);
	jw_kint(&w, "depth", depth);
	jw_key(&w, "nodes");
	jw_arr_begin(&w);
	inspect_raw_rows(&w, nodes, 0);
	jw_arr_end(&w);
	jw_key(&w, "edges");
	jw_arr_begin(&w);
	for (i = 0; i < b->nedges; i++)
		inspect_edge_json(&w, b->level[b->edges[i].level], b->edges[i].row, 3);
	jw_arr_end(&w);
	jw_kbool(&w, "truncated", b->truncated);
	jw_obj_end(&w);
	api_send(resp, 200, &w);
out:
	PQclear(nodes);
	wbuf_free(&ids);
	return WS_OK;
}

int api_graph_subgraph(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	struct verrs v;
	char center[256];
	const char *params[2];
	long depth, level;
	size_t from = 0, to;
	int got;
	struct bfs *b = NULL;
	PGresult *r = NULL;

	verrs_init(&v);
	got = inspect_text_param(req, "center", 255, center, sizeof(center), &v);
	if (got == 0 || (got > 0 && center[0] == '\0'))
		verr_add(&v, "query", "center", -1, "missing", "Field required");
	api_query_int(req, "depth", 1, 3, 2, &depth, &v);
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		goto out;
	}
	if (inspect_manifest(a, req, resp) != WS_OK)
		goto out;
	params[0] = req->param[2];
	params[1] = center;
	r = api_db(a, resp, db_run(&a->db, "SELECT 1 FROM manifest_nodes WHERE manifest_id = $1"
	    " AND id = $2", 2, params, 0));
	if (r == NULL)
		goto out;
	if (PQntuples(r) == 0) {
		http_error(resp, HTTP_E_NOT_FOUND, "Node not found");
		goto out;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL || (b->edges = malloc(SUB_MAX_EDGES * sizeof(*b->edges))) == NULL ||
	    add(b, center) < 0) {
		http_error(resp, HTTP_E_SERVER, "Out of memory");
		goto out;
	}
	for (level = 1; level <= depth && from < b->n; level++) {
		to = b->n;
		if (expand(a, resp, req->param[2], b, from, to, (int)level) != WS_OK)
			goto out;
		from = to;
		if (b->truncated)
			break;
	}
	write_answer(a, resp, req->param[2], center, depth, b);
out:
	PQclear(r);
	if (b != NULL)
		bfs_free(b);
	return WS_OK;
}
