/* util: buffer, canonical JSON writer, UTF-8 check, UUIDs, integer parsing. */
#include <float.h>
#include <stdlib.h>

#include "util/util.h"
#include "tap.h"

static const char *write_sample(struct wbuf *b, int pretty)
{
	struct jw w;

	wbuf_reset(b);
	jw_init(&w, b, pretty);
	jw_obj_begin(&w);
	jw_kstr(&w, "name", "a\"b\\c\n\x01");
	jw_kint(&w, "min", INT64_MIN);
	jw_key(&w, "list");
	jw_arr_begin(&w);
	jw_double(&w, 0.1);
	jw_double(&w, 1.0);
	jw_double(&w, 1e300);
	jw_bool(&w, 1);
	jw_null(&w);
	jw_arr_end(&w);
	jw_key(&w, "empty");
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	if (jw_finish(&w) != WS_OK)
		return "(error)";
	return wbuf_cstr(b);
}

struct sink_ctx {
	struct wbuf all;
	int calls;
};

static int collect(void *ctx, const char *p, size_t n)
{
	struct sink_ctx *s = ctx;

	s->calls++;
	wbuf_put(&s->all, p, n);
	return WS_OK;
}

static void test_sink(struct tap *t)
{
	struct wbuf b;
	struct jw w;
	struct sink_ctx s;
	int i;

	wbuf_init(&b);
	wbuf_init(&s.all);
	s.calls = 0;
	jw_init(&w, &b, 0);
	jw_set_sink(&w, collect, &s, 64);
	jw_arr_begin(&w);
	for (i = 0; i < 100; i++)
		jw_int(&w, i);
	jw_arr_end(&w);
	tap_int(t, jw_finish(&w), WS_OK, "sink: finish ok");
	tap_ok(t, s.calls > 1, "sink: flushed more than once");
	tap_ok(t, b.cap < 512, "sink: buffer stayed small");
	tap_ok(t, s.all.len > 2 && wbuf_cstr(&s.all)[0] == '[' &&
	    strstr(wbuf_cstr(&s.all), ",99]") != NULL, "sink: whole document arrived");
	wbuf_free(&b);
	wbuf_free(&s.all);
}

int main(void)
{
	struct tap t = { 0, 0 };
	struct wbuf b;
	struct jw w;
	int64_t v;

	wbuf_init(&b);
	tap_str(&t, write_sample(&b, 0),
	    "{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"min\":-9223372036854775808,"
	    "\"list\":[0.1,1.0,1e+300,true,null],\"empty\":{}}", "compact JSON is canonical");
	tap_str(&t, write_sample(&b, 1),
	    "{\n  \"name\": \"a\\\"b\\\\c\\n\\u0001\",\n  \"min\": -9223372036854775808,\n"
	    "  \"list\": [\n    0.1,\n    1.0,\n    1e+300,\n    true,\n    null\n  ],\n"
	    "  \"empty\": {}\n}", "pretty JSON indents by two");

	wbuf_reset(&b);
	jw_init(&w, &b, 0);
	jw_str(&w, "\xc3\x28");
	tap_int(&t, jw_finish(&w), WS_EINVAL, "invalid UTF-8 is refused");
	tap_ok(&t, utf8_valid("h\xc3\xa9llo \xf0\x9f\x98\x80", 11), "valid UTF-8 accepted");
	tap_ok(&t, !utf8_valid("\xed\xa0\x80", 3), "surrogate refused");
	tap_ok(&t, !utf8_valid("\xc0\xaf", 2), "overlong refused");
	tap_ok(&t, !utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF refused");

	wbuf_reset(&b);
	jw_init(&w, &b, 0);
	jw_arr_begin(&w);
	tap_int(&t, jw_finish(&w), WS_EINVAL, "unclosed array is an error");
	test_sink(&t);

	{
		char u[37];

		uuid_v4(u);
		tap_int(&t, uuid_version(u), 4, "uuid_v4 makes version 4");
		tap_int(&t, uuid_version("0190d7e2-8a4b-7c3d-9e2f-123456789abc"), 7, "v7 seen");
		tap_int(&t, uuid_version("0190d7e2-8a4b-7c3d-9e2f-123456789ab"), -1, "short refused");
		tap_int(&t, uuid_version("0190d7e2x8a4b-7c3d-9e2f-123456789abc"), -1, "bad dash");
	}
	{
		char ts[32];

		tap_ok(&t, time_pg_to_rfc3339("2026-11-28 14:43:32.1234+00", ts) == WS_OK, "pg ts");
		tap_str(&t, ts, "2026-11-28T14:43:32.123400Z", "fraction padded to microseconds");
		tap_ok(&t, time_pg_to_rfc3339("2026-11-28 14:43:32+00", ts) == WS_OK, "pg ts, no fraction");
		tap_str(&t, ts, "2026-11-28T14:43:32.000000Z", "no fraction: zeros");
		tap_int(&t, time_pg_to_rfc3339("2026-11-28 14:43:32.5+01", ts), WS_EINVAL,
		    "another zone refused");
		tap_int(&t, time_pg_to_rfc3339("11/28/2026", ts), WS_EINVAL, "another style refused");
	}
	tap_ok(&t, parse_i64("-42", &v) == WS_OK && v == -42, "parse_i64 -42");
	tap_int(&t, parse_i64("9223372036854775808", &v), WS_EINVAL, "parse_i64 overflow");
	tap_int(&t, parse_i64("12a", &v), WS_EINVAL, "parse_i64 junk");
	tap_int(&t, parse_i64("", &v), WS_EINVAL, "parse_i64 empty");
	tap_int(&t, parse_i64(" 1", &v), WS_EINVAL, "parse_i64 leading blank");

	{
		struct verrs ve;

		verrs_init(&ve);
		verr_add(&ve, "body", "domains", 3, "string_type", "Input should be a valid %s",
		    "string");
		tap_str(&t, ve.item[0].loc, "[\"body\",\"domains\",3]", "verr loc with index");
		tap_str(&t, ve.item[0].msg, "Input should be a valid string", "verr message");
	}
	wbuf_free(&b);
	return tap_done(&t);
}
