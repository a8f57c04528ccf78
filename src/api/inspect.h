/* Shared by the inspection handlers (src/api/inspect*.c) only. */
#ifndef WORLDS_API_INSPECT_H
#define WORLDS_API_INSPECT_H

#include "api/internal.h"

/*
 * A text query parameter of at most maxlen bytes of valid UTF-8 without control characters:
 * 1 present (copied to out, outlen > maxlen), 0 absent, -1 invalid (recorded in v).
 */
int inspect_text_param(const struct http_req *req, const char *name, size_t maxlen,
    char *out, size_t outlen, struct verrs *v);
/*
 * The manifest of the path (param[2]) in the caller's workspace. Answers 422 for a
 * malformed id and 404 when it is unknown or in another workspace. WS_OK when it exists.
 */
int inspect_manifest(struct api *a, struct http_req *req, struct http_resp *resp);
/* Appends s to b as one element of a PostgreSQL array literal ("{a,b}"), quoted. */
void inspect_array_add(struct wbuf *b, const char *s, int first);
/* Writes every row's column col as a raw JSON value of the array being written. */
void inspect_raw_rows(struct jw *w, const PGresult *r, int col);
/*
 * The columns every edge read selects, in this order, and the Cytoscape edge written from
 * them (row's columns col .. col + 4): byte for byte the `data` the generator stores, which
 * is a function of these columns. Writing it here costs less than reading it: an edge page
 * of 20000 moves half the bytes from PostgreSQL, and when `data` is computed by a view
 * (to_json of each column) the database is spared that work.
 */
#define INSPECT_EDGE_COLS "id, source, target, edge_type, severity"
void inspect_edge_json(struct jw *w, const PGresult *r, int row, int col);

#endif
