#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void jw_init(struct jw *w, struct wbuf *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

void jw_set_sink(struct jw *w, int (*sink)(void *, const char *, size_t), void *ctx,
    size_t flush_at)
{
	w->sink = sink;
	w->sink_ctx = ctx;
	w->flush_at = flush_at;
}

static void jw_maybe_flush(struct jw *w)
{
	if (w->sink == NULL || w->out->len < w->flush_at || w->err)
		return;
	if (w->sink(w->sink_ctx, w->out->p, w->out->len) != WS_OK)
		w->err = WS_EIO;
	w->out->len = 0;
}

static void jw_indent(struct jw *w)
{
	int i;

	wbuf_putc(w->out, '\n');
	for (i = 0; i < w->depth; i++)
		wbuf_put(w->out, "  ", 2);
}

/* Separator and indentation before any value or key at the current level. */
static void jw_before(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->nonempty[w->depth - 1])
			wbuf_putc(w->out, ',');
		w->nonempty[w->depth - 1] = 1;
		if (w->pretty)
			jw_indent(w);
	}
}

static void jw_open(struct jw *w, char c)
{
	jw_before(w);
	if (w->depth >= JW_MAX_DEPTH) {
		w->err = WS_EINVAL;
		return;
	}
	wbuf_putc(w->out, c);
	w->nonempty[w->depth++] = 0;
}

static void jw_close(struct jw *w, char c)
{
	if (w->depth <= 0) {
		w->err = WS_EINVAL;
		return;
	}
	w->depth--;
	if (w->pretty && w->nonempty[w->depth])
		jw_indent(w);
	wbuf_putc(w->out, c);
	jw_maybe_flush(w);
}

void jw_obj_begin(struct jw *w) { jw_open(w, '{'); }
void jw_obj_end(struct jw *w) { jw_close(w, '}'); }
void jw_arr_begin(struct jw *w) { jw_open(w, '['); }
void jw_arr_end(struct jw *w) { jw_close(w, ']'); }

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p;
		size_t k;
		uint32_t cp, min;

		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return 0;
		}
		if ((size_t)(end - p) <= k)
			return 0;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += k + 1;
	}
	return 1;
}

void json_quote(struct wbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	wbuf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		wbuf_put(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15];
			wbuf_put(b, u, 6);
			continue;
		}
		wbuf_puts(b, esc);
	}
	wbuf_put(b, s + run, n - run);
	wbuf_putc(b, '"');
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	jw_before(w);
	if (!utf8_valid(s, n)) {
		w->err = WS_EINVAL;
		return;
	}
	json_quote(w->out, s, n);
	jw_maybe_flush(w);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_key(struct jw *w, const char *key)
{
	jw_strn(w, key, strlen(key));
	wbuf_putc(w->out, ':');
	if (w->pretty)
		wbuf_putc(w->out, ' ');
	w->after_key = 1;
}

void jw_int(struct jw *w, int64_t v)
{
	jw_before(w);
	wbuf_printf(w->out, "%" PRId64, v);
	jw_maybe_flush(w);
}

void jw_uint(struct jw *w, uint64_t v)
{
	jw_before(w);
	wbuf_printf(w->out, "%" PRIu64, v);
	jw_maybe_flush(w);
}

void jw_double(struct jw *w, double v)
{
	char tmp[40];
	int prec;

	jw_before(w);
	if (!isfinite(v)) {
		w->err = WS_EINVAL;
		return;
	}
	/* Shortest precision that reads back to the same double: one form per value. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (strpbrk(tmp, ".eE") == NULL)
		strcat(tmp, ".0");
	wbuf_puts(w->out, tmp);
	jw_maybe_flush(w);
}

void jw_bool(struct jw *w, int v)
{
	jw_before(w);
	wbuf_puts(w->out, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	jw_before(w);
	wbuf_puts(w->out, "null");
}

void jw_raw(struct jw *w, const char *json, size_t n)
{
	jw_before(w);
	wbuf_put(w->out, json, n);
	jw_maybe_flush(w);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s == NULL)
		jw_null(w);
	else
		jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, int v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_null(w);
}

int jw_finish(struct jw *w)
{
	if (w->out->err)
		w->err = WS_ENOMEM;
	if (w->err == 0 && w->depth != 0)
		w->err = WS_EINVAL;
	if (w->err == 0 && w->sink != NULL && w->out->len > 0) {
		if (w->sink(w->sink_ctx, w->out->p, w->out->len) != WS_OK)
			w->err = WS_EIO;
		w->out->len = 0;
	}
	return w->err;
}
