/* gen output: the slow paths of gout.h (growth, escaping). */
#include <stdlib.h>
#include <string.h>

#include "gen/gout.h"

void gout_init(struct gout *g, struct jw *j, int raw)
{
	memset(g, 0, sizeof(*g));
	g->j = j;
	g->raw = raw;
}

void gout_free(struct gout *g)
{
	free(g->p);
	g->p = NULL;
	g->len = g->cap = 0;
}

int gout_grow(struct gout *g, size_t n)
{
	size_t cap = g->cap ? g->cap : 4096;
	char *p;

	while (cap < g->len + n)
		cap *= 2;
	p = realloc(g->p, cap);
	if (p == NULL) {
		g->err = WS_ENOMEM;
		return WS_ENOMEM;
	}
	g->p = p;
	g->cap = cap;
	return WS_OK;
}

int gout_flush(struct gout *g)
{
	if (g->raw && g->len > 0 && g->err == WS_OK)
		jw_raw(g->j, g->p, g->len);
	g->len = 0;
	if (g->err != WS_OK && g->j->err == WS_OK)
		g->j->err = g->err;
	return g->err;
}

/* The same escapes as json_quote (util), so both modes give the same bytes. */
void gout_str_slow(struct gout *g, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (!utf8_valid(s, n)) {
		g->err = WS_EINVAL;
		return;
	}
	if (!go_room(g, n * 6 + 3))
		return;
	go_sep(g);
	g->p[g->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e = 0;

		if (c >= 0x20 && c != '"' && c != '\\') {
			g->p[g->len++] = (char)c;
			continue;
		}
		switch (c) {
		case '"': e = '"'; break;
		case '\\': e = '\\'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\t': e = 't'; break;
		case '\b': e = 'b'; break;
		case '\f': e = 'f'; break;
		default: break;
		}
		g->p[g->len++] = '\\';
		if (e != 0) {
			g->p[g->len++] = e;
		} else {
			memcpy(g->p + g->len, "u00", 3);
			g->len += 3;
			g->p[g->len++] = hex[c >> 4];
			g->p[g->len++] = hex[c & 15];
		}
	}
	g->p[g->len++] = '"';
}
