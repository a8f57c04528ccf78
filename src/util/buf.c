#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void wbuf_init(struct wbuf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
}

void wbuf_free(struct wbuf *b)
{
	free(b->p);
	wbuf_init(b);
}

void wbuf_reset(struct wbuf *b)
{
	b->len = 0;
	b->err = 0;
}

int wbuf_reserve(struct wbuf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return WS_ENOMEM;
	if (extra > SIZE_MAX - b->len - 1)
		goto fail;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return WS_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return WS_OK;
fail:
	b->err = 1;
	return WS_ENOMEM;
}

void wbuf_put(struct wbuf *b, const void *data, size_t n)
{
	if (n == 0 || wbuf_reserve(b, n) != WS_OK)
		return;
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

void wbuf_puts(struct wbuf *b, const char *s)
{
	wbuf_put(b, s, strlen(s));
}

void wbuf_putc(struct wbuf *b, char c)
{
	if (wbuf_reserve(b, 1) != WS_OK)
		return;
	b->p[b->len++] = c;
}

void wbuf_printf(struct wbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = 1;
		return;
	}
	if (wbuf_reserve(b, (size_t)n) != WS_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *wbuf_cstr(struct wbuf *b)
{
	if (wbuf_reserve(b, 0) != WS_OK)
		return "";
	b->p[b->len] = '\0';
	return b->p;
}
