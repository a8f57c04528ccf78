#include <stdio.h>
#include <string.h>

#include "util/util.h"

void verrs_init(struct verrs *v)
{
	v->n = 0;
	v->dropped = 0;
}

void verr_add(struct verrs *v, const char *loc0, const char *loc1, long index, const char *type,
    const char *fmt, ...)
{
	struct verr *e;
	struct wbuf b;
	va_list ap;

	if (v->n >= VERRS_MAX) {
		v->dropped++;
		return;
	}
	e = &v->item[v->n++];
	wbuf_init(&b);
	wbuf_putc(&b, '[');
	json_quote(&b, loc0, strlen(loc0));
	if (loc1 != NULL) {
		wbuf_putc(&b, ',');
		json_quote(&b, loc1, strlen(loc1));
	}
	if (index >= 0)
		wbuf_printf(&b, ",%ld", index);
	wbuf_putc(&b, ']');
	if (b.err || b.len >= sizeof(e->loc))
		snprintf(e->loc, sizeof(e->loc), "[\"%s\"]", loc0[0] == 'q' ? "query" : "body");
	else
		snprintf(e->loc, sizeof(e->loc), "%s", wbuf_cstr(&b));
	wbuf_free(&b);
	e->type = type;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void verrs_write(struct jw *w, const struct verrs *v)
{
	size_t i;

	jw_arr_begin(w);
	for (i = 0; i < v->n; i++) {
		const struct verr *e = &v->item[i];

		jw_obj_begin(w);
		jw_key(w, "loc");
		jw_raw(w, e->loc, strlen(e->loc));
		jw_kstr(w, "msg", e->msg);
		jw_kstr(w, "type", e->type);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}
