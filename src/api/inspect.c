/*
 * Manifest inspection: graph pages, the overview and the command vocabulary, plus the
 * helpers the other inspect_*.c files share. Every answer streams the JSON texts stored
 * with the world (jw_raw) instead of decoding and re-encoding them.
 *
 * Pages are index ranges over dense ordinals (sql/004: `pos`, `type_pos`), so a page deep
 * into an enterprise world costs what the first one does, and `total` is the last ordinal
 * plus one: one index probe, never a count over hundreds of thousands of rows. A page by
 * type also names hashtext() of the type: the tables of a big world index that rather than
 * the type (sql/012_own_tables.sql).
 */
#include <stdio.h>
#include <string.h>

#include "api/inspect.h"
#include "attack/attack.h"

int inspect_text_param(const struct http_req *req, const char *name, size_t maxlen,
    char *out, size_t outlen, struct verrs *v)
{
	int got = api_query_get(req, name, out, outlen, v);
	size_t n, i, chars = 0;

	if (got == 0)
		return 0;
	if (got == HTTP_QUERY_MALFORMED)
		return -1;
	n = got > 0 ? strlen(out) : 0;
	for (i = 0; i < n; i++)
		chars += ((unsigned char)out[i] & 0xc0) != 0x80;
	if (got < 0 || chars > maxlen) {
		verr_add(v, "query", name, -1, "string_too_long",
		    "String should have at most %zu characters", maxlen);
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			break;
	if (i < n || !utf8_valid(out, n)) {
		verr_add(v, "query", name, -1, "string_type",
		    "Input should be a valid string without control characters");
		return -1;
	}
	return 1;
}

int inspect_manifest(struct api *a, struct http_req *req, struct http_resp *resp)
{
	const char *params[2] = { req->param[2], a->scope.workspace_id };
	PGresult *r;
	int found;

	if (api_path_uuid(req->param[2], "manifest_id", resp) != WS_OK)
		return WS_EINVAL;
	r = api_db(a, resp, db_run(&a->db, "SELECT 1 FROM manifests WHERE id = $1"
	    " AND workspace_id = $2", 2, params, 0));
	if (r == NULL)
		return WS_EDB;
	found = PQntuples(r) > 0;
	PQclear(r);
	if (!found) {
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
		return WS_ENOTFOUND;
	}
	return WS_OK;
}

void inspect_array_add(struct wbuf *b, const char *s, int first)
{
	if (!first)
		wbuf_putc(b, ',');
	wbuf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			wbuf_putc(b, '\\');
		wbuf_putc(b, *s);
	}
	wbuf_putc(b, '"');
}

void inspect_raw_rows(struct jw *w, const PGresult *r, int col)
{
	int i, n = PQntuples(r);

	for (i = 0; i < n; i++)
		jw_raw(w, PQgetvalue(r, i, col), (size_t)PQgetlength(r, i, col));
}

void inspect_edge_json(struct jw *w, const PGresult *r, int row, int col)
{
	jw_obj_begin(w);
	jw_key(w, "data");
	jw_obj_begin(w);
	jw_kstr(w, "id", PQgetvalue(r, row, col));
	jw_kstr(w, "source", PQgetvalue(r, row, col + 1));
	jw_kstr(w, "target", PQgetvalue(r, row, col + 2));
	jw_kstr(w, "edge_type", PQgetvalue(r, row, col + 3));
	jw_kstr(w, "severity", PQgetvalue(r, row, col + 4));
	jw_obj_end(w);
	jw_obj_end(w);
}

/* ---- graph pages ------------------------------------------------------------------------ */

static const char *const node_types[] = { "domain", "ou", "gpo", "subnet", "user",
	"service_account", "computer", "group", "host", NULL };

static const char *const *edge_types(void)
{
	static const char *const names[] = {
#define ATTACK_EDGE_NAME(name, grants) #name,
		ATTACK_EDGE_TYPES(ATTACK_EDGE_NAME)
#undef ATTACK_EDGE_NAME
		NULL
	};

	return names;
}

/* One table per kind of page: what differs between nodes and edges. */
struct graph_page {
	const char *key;        /* "nodes" / "edges" */
	const char *type_param; /* "node_type" / "edge_type" */
	long max_limit, dflt_limit;
	const char *total_sql, *total_typed_sql, *rows_sql, *rows_typed_sql;
	int edges; /* rows are INSPECT_EDGE_COLS, not the stored JSON */
};

static const struct graph_page node_page = {
	"nodes", "node_type", 5000, 1000,
	"SELECT pos + 1 FROM manifest_nodes WHERE manifest_id = $1 ORDER BY pos DESC LIMIT 1",
	"SELECT type_pos + 1 FROM manifest_nodes WHERE manifest_id = $1 AND node_type = $2"
	" AND hashtext(node_type) = hashtext($2) ORDER BY type_pos DESC LIMIT 1",
	"SELECT data FROM manifest_nodes WHERE manifest_id = $1 AND pos >= $2::int"
	" ORDER BY pos LIMIT $3::int",
	"SELECT data FROM manifest_nodes WHERE manifest_id = $1 AND node_type = $4"
	" AND hashtext(node_type) = hashtext($4) AND type_pos >= $2::int"
	" ORDER BY type_pos LIMIT $3::int",
	0,
};

static const struct graph_page edge_page = {
	"edges", "edge_type", 20000, 5000,
	"SELECT pos + 1 FROM manifest_edges WHERE manifest_id = $1 ORDER BY pos DESC LIMIT 1",
	"SELECT type_pos + 1 FROM manifest_edges WHERE manifest_id = $1 AND edge_type = $2"
	" AND hashtext(edge_type) = hashtext($2) ORDER BY type_pos DESC LIMIT 1",
	"SELECT " INSPECT_EDGE_COLS " FROM manifest_edges WHERE manifest_id = $1"
	" AND pos >= $2::int ORDER BY pos LIMIT $3::int",
	"SELECT " INSPECT_EDGE_COLS " FROM manifest_edges WHERE manifest_id = $1"
	" AND edge_type = $4 AND hashtext(edge_type) = hashtext($4) AND type_pos >= $2::int"
	" ORDER BY type_pos LIMIT $3::int",
	1,
};

static int graph_page(struct api *a, struct http_req *req, struct http_resp *resp,
    const struct graph_page *gp, const char *const *types)
{
	struct verrs v;
	long limit, offset;
	char type[64], slimit[24], soffset[24];
	const char *params[4];
	int typed, i;
	PGresult *total = NULL, *rows = NULL;
	struct jw w;

	verrs_init(&v);
	api_query_int(req, "limit", 1, gp->max_limit, gp->dflt_limit, &limit, &v);
	api_query_int(req, "offset", 0, 2147483647L, 0, &offset, &v);
	typed = api_filter(req, gp->type_param, types, type, sizeof(type), &v) > 0;
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		goto out;
	}
	if (inspect_manifest(a, req, resp) != WS_OK)
		goto out;
	snprintf(slimit, sizeof(slimit), "%ld", limit);
	snprintf(soffset, sizeof(soffset), "%ld", offset);
	params[0] = req->param[2];
	params[1] = typed ? type : NULL;
	total = api_db(a, resp, db_run(&a->db, typed ? gp->total_typed_sql : gp->total_sql, typed ? 2 : 1,
	    params, 0));
	if (total == NULL)
		goto out;
	params[1] = soffset;
	params[2] = slimit;
	params[3] = type;
	rows = api_db(a, resp, db_run(&a->db, typed ? gp->rows_typed_sql : gp->rows_sql,
	    typed ? 4 : 3, params, 0));
	if (rows == NULL)
		goto out;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	jw_obj_begin(&w);
	jw_key(&w, gp->key);
	jw_arr_begin(&w);
	if (gp->edges)
		for (i = 0; i < PQntuples(rows); i++)
			inspect_edge_json(&w, rows, i, 0);
	else
		inspect_raw_rows(&w, rows, 0);
	jw_arr_end(&w);
	jw_kint(&w, "limit", limit);
	jw_kint(&w, "offset", offset);
	jw_key(&w, "total");
	if (PQntuples(total) > 0)
		jw_raw(&w, PQgetvalue(total, 0, 0), (size_t)PQgetlength(total, 0, 0));
	else
		jw_int(&w, 0);
	jw_obj_end(&w);
	api_send(resp, 200, &w);
out:
	PQclear(total);
	PQclear(rows);
	return WS_OK;
}

int api_graph_nodes(void *app, struct http_req *req, struct http_resp *resp)
{
	return graph_page(app, req, resp, &node_page, node_types);
}

int api_graph_edges(void *app, struct http_req *req, struct http_resp *resp)
{
	return graph_page(app, req, resp, &edge_page, edge_types());
}

/* ---- overview ---------------------------------------------------------------------------- */

int api_graph_overview(void *app, struct http_req *req, struct http_resp *resp)
{
	struct api *a = app;
	const char *params[1] = { req->param[2] };
	PGresult *r;

	if (inspect_manifest(a, req, resp) != WS_OK)
		return WS_OK;
	/* Stored with the world; a world stored before the overview existed gets it now. */
	r = api_db(a, resp, db_run(&a->db, "SELECT worlds_overview($1)", 1, params, 0));
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		http_resp_json(resp, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
	else
		http_error(resp, HTTP_E_NOT_FOUND, "Manifest not found");
	PQclear(r);
	return WS_OK;
}

/* ---- commands ---------------------------------------------------------------------------- */

static void kstrings(struct jw *w, const char *key, const char *const *list)
{
	size_t i;

	jw_key(w, key);
	jw_arr_begin(w);
	for (i = 0; list != NULL && list[i] != NULL; i++)
		jw_str(w, list[i]);
	jw_arr_end(w);
}

int api_commands(void *app, struct http_req *req, struct http_resp *resp)
{
	static const char *const modes[] = { "kali", "c2", NULL };
	char mode[16];
	struct verrs v;
	struct jw w;
	size_t i;
	int e, m = ATTACK_KALI;

	verrs_init(&v);
	if (api_filter(req, "mode", modes, mode, sizeof(mode), &v) > 0)
		m = attack_mode_find(mode);
	if (v.n > 0) {
		http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
		return WS_OK;
	}
	if (inspect_manifest(app, req, resp) != WS_OK)
		return WS_OK;
	wbuf_reset(&resp->body);
	jw_init(&w, &resp->body, 0);
	jw_arr_begin(&w);
	for (i = 0; i < attack_ncmds; i++) {
		const struct attack_cmd *c = &attack_cmds[i];

		if ((int)c->mode != m)
			continue;
		jw_obj_begin(&w);
		jw_kstr(&w, "name", c->name);
		jw_kstr(&w, "pattern", c->pattern);
		jw_kstr(&w, "description", c->description);
		jw_kstr(&w, "usage", c->usage);
		kstrings(&w, "examples", c->examples);
		kstrings(&w, "events", c->events);
		jw_kstr(&w, "mode", attack_mode_name(c->mode));
		jw_kstr(&w, "technique", c->technique);
		jw_key(&w, "edge_types");
		jw_arr_begin(&w);
		for (e = 0; e < ATTACK_E_COUNT; e++)
			if (c->edges & ((attack_edges)1 << e))
				jw_str(&w, attack_edge_name((enum attack_edge)e));
		jw_arr_end(&w);
		jw_kstr(&w, "precondition", c->precondition);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	api_send(resp, 200, &w);
	return WS_OK;
}
