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

#endif
