/*
 * Hosts and principals of a stored world: one element, its details (what points at it and
 * what it points at, in edge order) and the principal search. The element JSON is the
 * document's own object, stored by the job runner; details wrap it as
 * {"host"|"principal": {...}, ...}, because the host object already has a "services" key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/inspect.h"

/*
 * The element (column 0 of sql, which selects from manifests m LEFT JOIN the element
 * table on $3): NULL after answering 404 (manifest or element unknown) or 500.
 */
static PGresult *element(struct api *a, struct http_req *req, struct http_resp *resp,
    const char *sql, const char *what)
{
	const char *params[3] = { req->param[2], a->scope.workspace_id, req->param[3] };
	PGresult *r;

	if (api_path_uuid(req->param[2], "manifest_id", resp) != WS_OK)
		return NULL;
	r = api_db(a, resp, db_run(&a->db, sql, 3, params, 0));
	if (r == NULL)
		return NULL;
	if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0)) {
		http_error(resp, HTTP_E_NOT_FOUND, PQntuples(r) == 0 ? "Manifest not found" : what);
		PQclear(r);
		return NULL;
	}
	return r;
}

static const char HOST_SQL[] =
    "SELECT h.data, h.data::json ->> 'computer_id', (h.data::json -> 'services')::text"
    " FROM manifests m LEFT JOIN manifest_hosts h ON h.manifest_id = m.id AND h.id = $3"
    " WHERE m.id = $1 AND m.workspace_id = $2";

static const char PRINCIPAL_SQL[] =
    "SELECT p.data FROM manifests m"
    " LEFT JOIN manifest_principals p ON p.manifest_id = m.id AND p.id = $3"
    " WHERE m.id = $1 AND m.workspace_id = $2";

static void send_element(struct http_resp *resp, PGresult *r)
{
	http_resp_json(resp, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
}

int api_host_get(void *app, struct http_req *req, struct http_resp *resp)
{
	PGresult *r = element(app, req, resp, HOST_SQL, "Host not found");

	if (r != NULL)
		send_element(resp, r);
	return WS_OK;
}

int api_principal_get(void *app, struct http_req *req, struct http_resp *resp)
{
	PGresult *r = element(app, req, resp, PRINCIPAL_SQL, "Principal not found");

	if (r != NULL)
		send_element(resp, r);
	return WS_OK;
}

/*
 * The edges listed inside details are capped: a hub (Domain Users has one MemberOf edge
 * per user, tens of thousands in an enterprise world) would otherwise make one details
 * call a multi-megabyte answer. Each direction lists at most edge_limit edges from
 * edge_offset on, in edge order, with its total beside it and `truncated` when either list
 * is not complete; a client pages through a hub's edges with edge_offset. Ordinary entities
 * (a few hundred edges at most) get every edge, as before.
 */
#define DETAILS_EDGE_LIMIT 1000
#define DETAILS_EDGE_LIMIT_MAX 5000

struct edge_lists {
	long limit, offset;
	PGresult *r;   /* (d, pos, INSPECT_EDGE_COLS): d 0 an inbound edge, 1 an outbound one */
	int listed[2]; /* rows of each direction in r, inbound first */
	long total[2];
};

static void edge_params(const struct http_req *req, struct edge_lists *el, struct verrs *v)
{
	api_query_int(req, "edge_limit", 1, DETAILS_EDGE_LIMIT_MAX, DETAILS_EDGE_LIMIT, &el->limit,
	    v);
	api_query_int(req, "edge_offset", 0, 2147483647L, 0, &el->offset, v);
}

/*
 * The page of each direction for the ids (a PostgreSQL array literal), then the totals.
 * A page is cut on positions alone (index-only over (manifest_id, end, pos)), then only
 * its own rows are read: a deep offset into a hub costs an index range, not the edges
 * before it. A list shorter than edge_limit from offset 0 is every edge of its direction,
 * so ordinary entities need no count; a hub's totals (counting Domain Users' 27000 edges
 * was half of its details) are counted once per world and kept (sql/009).
 */
static int edges_of(struct api *a, struct http_resp *resp, const char *mid, const char *ids,
    struct edge_lists *el)
{
#define EDGE_PAGE(d, end)                                                                  \
	" SELECT " d " AS d, e.pos FROM (SELECT x.pos FROM f CROSS JOIN LATERAL ("          \
	"  SELECT pos FROM manifest_edges WHERE manifest_id = $1 AND " end " = f.id"         \
	"  ORDER BY pos LIMIT $3::bigint + $4::bigint) x"                                    \
	"  ORDER BY x.pos LIMIT $3::bigint OFFSET $4::bigint) e"
	static const char sql[] =
	    "WITH f AS (SELECT unnest($2::text[]) AS id),"
	    " page AS (" EDGE_PAGE("0", "target") " UNION ALL" EDGE_PAGE("1", "source") ")"
	    " SELECT p.d, p.pos, m.* FROM page p CROSS JOIN LATERAL ("
	    "  SELECT " INSPECT_EDGE_COLS " FROM manifest_edges"
	    "  WHERE manifest_id = $1 AND pos = p.pos) m"
	    " ORDER BY 1, 2";
#undef EDGE_PAGE
	/* The first page (the usual call) reads its rows straight from one index scan. */
#define EDGE_FIRST(d, end)                                                                 \
	" (SELECT " d " AS d, x.* FROM f CROSS JOIN LATERAL ("                               \
	"  SELECT pos, " INSPECT_EDGE_COLS " FROM manifest_edges"                            \
	"  WHERE manifest_id = $1 AND " end " = f.id ORDER BY pos LIMIT $3::bigint) x"       \
	"  ORDER BY x.pos LIMIT $3::bigint)"
	static const char first_sql[] =
	    "WITH f AS (SELECT unnest($2::text[]) AS id)"
	    " SELECT * FROM (" EDGE_FIRST("0", "target") " UNION ALL" EDGE_FIRST("1", "source")
	    ") u ORDER BY 1, 2";
#undef EDGE_FIRST
	char lim[24], off[24];
	const char *params[4] = { mid, ids, lim, off };
	PGresult *t;
	int i, n, d;

	snprintf(lim, sizeof(lim), "%ld", el->limit);
	snprintf(off, sizeof(off), "%ld", el->offset);
	el->r = el->offset == 0 ? api_db(a, resp, db_run(&a->db, first_sql, 3, params, 0)) :
	    api_db(a, resp, db_run(&a->db, sql, 4, params, 0));
	if (el->r == NULL)
		return WS_EDB;
	n = PQntuples(el->r);
	for (i = 0; i < n; i++)
		el->listed[PQgetvalue(el->r, i, 0)[0] == '1']++;
	for (d = 0; d < 2; d++)
		el->total[d] = el->listed[d];
	if (el->offset == 0 && el->listed[0] < el->limit && el->listed[1] < el->limit)
		return WS_OK;
	t = api_db(a, resp, db_run(&a->db, "SELECT inbound, outbound"
	    " FROM worlds_edge_totals($1, $2::text[])", 2, params, 0));
	if (t == NULL)
		return WS_EDB;
	for (d = 0; d < 2 && PQntuples(t) == 1; d++)
		el->total[d] = atol(PQgetvalue(t, 0, d));
	PQclear(t);
	return WS_OK;
}

static void edge_lists_free(struct edge_lists *el)
{
	PQclear(el->r);
}

/* "inbound_edges", "outbound_edges", their totals, the page and truncated. */
static void write_edges(struct jw *w, const struct edge_lists *el)
{
	static const char *const key[2] = { "inbound_edges", "outbound_edges" };
	static const char *const total_key[2] = { "inbound_total", "outbound_total" };
	int i = 0, d, truncated = 0;

	/* Rows come ordered by d: the inbound page, then the outbound page. */
	for (d = 0; d < 2; d++) {
		jw_key(w, key[d]);
		jw_arr_begin(w);
		for (; i < el->listed[0] + (d == 1 ? el->listed[1] : 0); i++)
			inspect_edge_json(w, el->r, i, 2);
		jw_arr_end(w);
	}
	for (d = 0; d < 2; d++) {
		jw_kint(w, total_key[d], el->total[d]);
		truncated |= el->listed[d] < el->total[d];
	}
	jw_kint(w, "edge_limit", el->limit);
	jw_kint(w, "edge_offset", el->offset);
	jw_kbool(w, "truncated", truncated);
}

/* A 422 for edge_limit / edge_offset out of range: 1 when answered. */
static int bad_edge_params(const struct http_req *req, struct http_resp *resp,
    struct edge_lists *el)
{
	struct verrs v;

	verrs_init(&v);
	edge_params(req, el, &v);
	if (v.n == 0)
		return 0;
	http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
	return 1;
}

/*
 * The host with its services, the artifacts found on it and its edges. A Windows host is
 * also a computer account, and the directory's edges (AdminTo, HasSession, HasCredential)
 * end at that account: the host's edges are those of both ids.
 */
int api_host_details(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	PGresult *h = NULL, *arts = NULL;
	const char *params[2] = { req->param[2], req->param[3] };
	struct edge_lists el = { 0 };
	struct wbuf ids;
	struct jw w;

	wbuf_init(&ids);
	if (bad_edge_params(req, resp, &el))
		goto out;
	h = element(a, req, resp, HOST_SQL, "Host not found");
	if (h == NULL)
		goto out;
	arts = api_db(a, resp, db_run(&a->db, "SELECT data FROM manifest_artifacts"
	    " WHERE manifest_id = $1 AND host_id = $2 ORDER BY pos", 2, params, 0));
	if (arts == NULL)
		goto out;
	wbuf_putc(&ids, '{');
	inspect_array_add(&ids, req->param[3], 1);
	if (!PQgetisnull(h, 0, 1))
		inspect_array_add(&ids, PQgetvalue(h, 0, 1), 0);
	wbuf_putc(&ids, '}');
	if (edges_of(a, resp, req->param[2], wbuf_cstr(&ids), &el) != WS_OK)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	jw_obj_begin(&w);
	jw_key(&w, "host");
	jw_raw(&w, PQgetvalue(h, 0, 0), (size_t)PQgetlength(h, 0, 0));
	jw_key(&w, "services");
	if (PQgetisnull(h, 0, 2))
		jw_raw(&w, "[]", 2);
	else
		jw_raw(&w, PQgetvalue(h, 0, 2), (size_t)PQgetlength(h, 0, 2));
	jw_key(&w, "artifacts");
	jw_arr_begin(&w);
	inspect_raw_rows(&w, arts, 0);
	jw_arr_end(&w);
	write_edges(&w, &el);
	jw_obj_end(&w);
	api_send(resp, 200, &w);
out:
	PQclear(h);
	PQclear(arts);
	edge_lists_free(&el);
	wbuf_free(&ids);
	return WS_OK;
}

/*
 * The principal with the groups it is a direct member of (every one, whatever the edge
 * cap: they are read on their own), its credentials and its edges.
 */
int api_principal_details(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	PGresult *p = NULL, *creds = NULL, *groups = NULL;
	const char *params[2] = { req->param[2], req->param[3] };
	struct edge_lists el = { 0 };
	struct wbuf ids;
	struct jw w;
	int i;

	wbuf_init(&ids);
	if (bad_edge_params(req, resp, &el))
		goto out;
	p = element(a, req, resp, PRINCIPAL_SQL, "Principal not found");
	if (p == NULL)
		goto out;
	creds = api_db(a, resp, db_run(&a->db, "SELECT data FROM manifest_credentials"
	    " WHERE manifest_id = $1 AND principal_id = $2 ORDER BY pos", 2, params, 0));
	if (creds == NULL)
		goto out;
	groups = api_db(a, resp, db_run(&a->db, "SELECT target FROM manifest_edges"
	    " WHERE manifest_id = $1 AND source = $2 AND edge_type = 'MemberOf' ORDER BY pos", 2,
	    params, 0));
	if (groups == NULL)
		goto out;
	wbuf_putc(&ids, '{');
	inspect_array_add(&ids, req->param[3], 1);
	wbuf_putc(&ids, '}');
	if (edges_of(a, resp, req->param[2], wbuf_cstr(&ids), &el) != WS_OK)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	jw_obj_begin(&w);
	jw_key(&w, "principal");
	jw_raw(&w, PQgetvalue(p, 0, 0), (size_t)PQgetlength(p, 0, 0));
	jw_key(&w, "membership_ids");
	jw_arr_begin(&w);
	for (i = 0; i < PQntuples(groups); i++)
		jw_str(&w, PQgetvalue(groups, i, 0));
	jw_arr_end(&w);
	jw_key(&w, "credentials");
	jw_arr_begin(&w);
	inspect_raw_rows(&w, creds, 0);
	jw_arr_end(&w);
	write_edges(&w, &el);
	jw_obj_end(&w);
	api_send(resp, 200, &w);
out:
	PQclear(p);
	PQclear(creds);
	PQclear(groups);
	edge_lists_free(&el);
	wbuf_free(&ids);
	return WS_OK;
}

/* ---- search -------------------------------------------------------------------------------- */

static const char *const principal_types[] = { "user", "service_account", "computer", "group",
	NULL };

/*
 * Without q a page is an ordinal range, like the graph pages. With q the trigram index
 * finds the candidates; order is the document's (pos), so pages are stable.
 */
int api_principal_search(void *app, struct http_req *req, struct http_resp *resp)
{
	static const char match[] = " FROM manifest_principals WHERE manifest_id = $1"
	    " AND worlds_principal_text(sam, upn, display_name, email) LIKE worlds_like_pattern($2)"
	    " AND ($3::text IS NULL OR (principal_type = $3"
	    " AND hashtext(principal_type) = hashtext($3)))";
	struct api *a = app;
	struct api_page pg;
	struct verrs v;
	char q[832], type[32], limit[24], offset[24], sql[512];
	const char *params[5];
	int has_q, typed;
	PGresult *total = NULL, *rows = NULL;
	struct jw w;

	verrs_init(&v);
	has_q = inspect_text_param(req, "q", 200, q, sizeof(q), &v) > 0 && q[0] != '\0';
	typed = api_filter(req, "principal_type", principal_types, type, sizeof(type), &v) > 0;
	api_page_parse(req, &pg, &v);
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		goto out;
	}
	if (inspect_manifest(a, req, resp) != WS_OK)
		goto out;
	snprintf(limit, sizeof(limit), "%ld", pg.page_size);
	snprintf(offset, sizeof(offset), "%ld", (pg.page - 1) * pg.page_size);
	params[0] = req->param[2];
	if (has_q) {
		params[1] = q;
		params[2] = typed ? type : NULL;
		params[3] = limit;
		params[4] = offset;
		snprintf(sql, sizeof(sql), "SELECT count(*)%s", match);
		total = api_db(a, resp, db_run(&a->db, sql, 3, params, 0));
		if (total == NULL)
			goto out;
		snprintf(sql, sizeof(sql), "SELECT data%s ORDER BY pos LIMIT $4 OFFSET $5", match);
		rows = api_db(a, resp, db_run(&a->db, sql, 5, params, 0));
	} else {
		params[1] = typed ? type : NULL;
		total = api_db(a, resp, db_run(&a->db, typed ?
		    "SELECT type_pos + 1 FROM manifest_principals WHERE manifest_id = $1"
		    " AND principal_type = $2 AND hashtext(principal_type) = hashtext($2)"
		    " ORDER BY type_pos DESC LIMIT 1" :
		    "SELECT pos + 1 FROM manifest_principals WHERE manifest_id = $1"
		    " ORDER BY pos DESC LIMIT 1", typed ? 2 : 1, params, 0));
		if (total == NULL)
			goto out;
		params[1] = offset;
		params[2] = limit;
		params[3] = type;
		rows = api_db(a, resp, db_run(&a->db, typed ?
		    "SELECT data FROM manifest_principals WHERE manifest_id = $1"
		    " AND principal_type = $4 AND hashtext(principal_type) = hashtext($4)"
		    " AND type_pos >= $2::int ORDER BY type_pos LIMIT $3" :
		    "SELECT data FROM manifest_principals WHERE manifest_id = $1"
		    " AND pos >= $2::int ORDER BY pos LIMIT $3", typed ? 4 : 3, params, 0));
	}
	if (rows == NULL)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	api_write_page_head(&w);
	inspect_raw_rows(&w, rows, 0);
	api_write_page_tail(&w, &pg, PQntuples(total) > 0 ? PQgetvalue(total, 0, 0) : "0");
	api_send(resp, 200, &w);
out:
	PQclear(total);
	PQclear(rows);
	return WS_OK;
}
