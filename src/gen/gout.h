/*
 * gen output: the document writer's front end. In compact mode it formats one entity at a
 * time into its own buffer, with the exact bytes jw would produce, and hands the text to
 * jw_raw: the document still streams through the caller's jw and sink, at a fraction of
 * the per-value cost. In pretty mode every call goes to jw itself. A unit test proves the
 * two modes give identical compact bytes.
 */
#ifndef WORLDS_GEN_GOUT_H
#define WORLDS_GEN_GOUT_H

#include <string.h>

#include "gen/internal.h"

struct gout {
	struct jw *j;
	int raw;
	int err;
	char *p;
	size_t len, cap;
	int depth;
	unsigned char first[JW_MAX_DEPTH];
	unsigned char after_key;
};

void gout_init(struct gout *g, struct jw *j, int raw);
/* Hands what is buffered to jw (at depth 0) and returns the first error met. */
int gout_flush(struct gout *g);
void gout_free(struct gout *g);
int gout_grow(struct gout *g, size_t n);
void gout_str_slow(struct gout *g, const char *s, size_t n);

static inline int go_room(struct gout *g, size_t n)
{
	return g->len + n <= g->cap || gout_grow(g, n) == WS_OK;
}

static inline void go_sep(struct gout *g)
{
	if (g->after_key) {
		g->after_key = 0;
		return;
	}
	if (g->depth > 0) {
		if (!g->first[g->depth - 1])
			g->p[g->len++] = ',';
		g->first[g->depth - 1] = 0;
	}
}

static inline void go_open(struct gout *g, char c)
{
	if (!g->raw) {
		if (c == '{')
			jw_obj_begin(g->j);
		else
			jw_arr_begin(g->j);
		return;
	}
	if (!go_room(g, 2))
		return;
	go_sep(g);
	g->p[g->len++] = c;
	if (g->depth >= JW_MAX_DEPTH) {
		g->err = WS_EINVAL;
		return;
	}
	g->first[g->depth++] = 1;
}

static inline void go_close(struct gout *g, char c)
{
	if (!g->raw) {
		if (c == '}')
			jw_obj_end(g->j);
		else
			jw_arr_end(g->j);
		return;
	}
	if (!go_room(g, 1))
		return;
	g->p[g->len++] = c;
	g->depth--;
	if (g->depth == 0)
		gout_flush(g);
}

#define go_obj_begin(g) go_open(g, '{')
#define go_obj_end(g) go_close(g, '}')
#define go_arr_begin(g) go_open(g, '[')
#define go_arr_end(g) go_close(g, ']')

/* A key known to need no escaping; quoted is "\"key\":" of length n. */
static inline void go_keyq(struct gout *g, const char *k, const char *quoted, size_t n)
{
	if (!g->raw) {
		jw_key(g->j, k);
		return;
	}
	if (!go_room(g, n + 1))
		return;
	go_sep(g);
	memcpy(g->p + g->len, quoted, n);
	g->len += n;
	g->after_key = 1;
}

/* Keys are the writer's own string literals: quoted and measured at compile time. */
#define go_key(g, k) go_keyq(g, k, "\"" k "\":", sizeof(k) + 2)

static inline void go_strn(struct gout *g, const char *s, size_t n)
{
	size_t i;

	if (!g->raw) {
		jw_strn(g->j, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
			gout_str_slow(g, s, n);
			return;
		}
	}
	if (!go_room(g, n + 3))
		return;
	go_sep(g);
	g->p[g->len++] = '"';
	memcpy(g->p + g->len, s, n);
	g->len += n;
	g->p[g->len++] = '"';
}

static inline void go_str(struct gout *g, const char *s)
{
	go_strn(g, s, strlen(s));
}

static inline void go_null(struct gout *g)
{
	if (!g->raw) {
		jw_null(g->j);
		return;
	}
	if (!go_room(g, 6))
		return;
	go_sep(g);
	memcpy(g->p + g->len, "null", 4);
	g->len += 4;
}

static inline void go_bool(struct gout *g, int v)
{
	if (!g->raw) {
		jw_bool(g->j, v);
		return;
	}
	if (!go_room(g, 7))
		return;
	go_sep(g);
	memcpy(g->p + g->len, v ? "true" : "false", v ? 4 : 5);
	g->len += v ? 4 : 5;
}

/* Decimal digits of v into the end of tmp[24]; returns where they start. */
static inline char *go_utoa(char tmp[24], uint64_t v)
{
	char *q = tmp + 24;

	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return q;
}

static inline void go_int(struct gout *g, int64_t v)
{
	char tmp[24], *q;
	size_t n;

	if (!g->raw) {
		jw_int(g->j, v);
		return;
	}
	q = go_utoa(tmp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--q = '-';
	n = (size_t)(tmp + 24 - q);
	if (!go_room(g, n + 1))
		return;
	go_sep(g);
	memcpy(g->p + g->len, q, n);
	g->len += n;
}

/* A number already in its canonical text (e.g. "9.8"). */
static inline void go_number(struct gout *g, const char *text)
{
	size_t n = strlen(text);

	if (!g->raw) {
		jw_raw(g->j, text, n);
		return;
	}
	if (!go_room(g, n + 1))
		return;
	go_sep(g);
	memcpy(g->p + g->len, text, n);
	g->len += n;
}

static inline void go_str_or_null(struct gout *g, const char *s)
{
	if (s == NULL)
		go_null(g);
	else
		go_str(g, s);
}

#define go_kstr(g, k, s) do { go_key(g, k); go_str_or_null(g, s); } while (0)
#define go_kint(g, k, v) do { go_key(g, k); go_int(g, v); } while (0)
#define go_kbool(g, k, v) do { go_key(g, k); go_bool(g, v); } while (0)
#define go_knull(g, k) do { go_key(g, k); go_null(g); } while (0)

/* String building without printf: cat copies s and returns the new end (NUL-terminated). */
static inline char *go_cat(char *d, const char *s)
{
	size_t n = strlen(s);

	memcpy(d, s, n + 1);
	return d + n;
}

static inline char *go_cat_u(char *d, uint64_t v)
{
	char tmp[24], *q = go_utoa(tmp, v);
	size_t n = (size_t)(tmp + 24 - q);

	memcpy(d, q, n);
	d[n] = '\0';
	return d + n;
}

/* The document's parts, shared by gen_world_write and the row accessors. */
void gen_out_principal(const struct gen_world *w, int32_t i, struct gout *g);
void gen_out_host(const struct gen_world *w, int32_t i, struct gout *g);
void gen_out_cred(const struct gen_world *w, int32_t i, struct gout *g);
void gen_out_artifact(const struct gen_world *w, int32_t i, struct gout *g);
void gen_out_stats(const struct gen_world *w, struct gout *g);
/* gen_world_write with the compact fast path on or off (tests compare the two). */
int gen_world_write_mode(const struct gen_world *w, struct jw *j, int raw);

#endif
