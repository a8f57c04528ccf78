/*
 * The JSON writer's round trip: the input is a little program of values (strings, signed
 * and unsigned integers, doubles, booleans, nulls, nested arrays, objects keyed by fuzzed
 * strings) written with jw_*, parsed back by json-c and compared one by one. Any string
 * that is not UTF-8 must make jw_finish fail instead of yielding bad JSON.
 */
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "util/util.h"

const char fuzz_target_name[] = "jsonw";

#define MAX_VALUES 64

enum kind { K_STR, K_INT, K_UINT, K_DOUBLE, K_BOOL, K_NULL, K_KEYED };

struct value {
	enum kind kind;
	const char *s; /* into the input copy; K_STR and K_KEYED (the key) */
	size_t n;
	int64_t i;
	uint64_t u;
	double d;
};

struct reader {
	const uint8_t *p;
	size_t left;
};

static int take(struct reader *r, void *out, size_t n)
{
	if (r->left < n)
		return 0;
	memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return 1;
}

/* Compares one parsed element with what was written. */
static void compare(struct json_object *o, const struct value *v)
{
	struct json_object *inner;
	double back;

	switch (v->kind) {
	case K_STR:
		FUZZ_CHECK(json_object_is_type(o, json_type_string));
		FUZZ_CHECK((size_t)json_object_get_string_len(o) == v->n);
		FUZZ_CHECK(memcmp(json_object_get_string(o), v->s, v->n) == 0);
		break;
	case K_INT:
		FUZZ_CHECK(json_object_is_type(o, json_type_int));
		FUZZ_CHECK(json_object_get_int64(o) == v->i);
		break;
	case K_UINT:
		FUZZ_CHECK(json_object_is_type(o, json_type_int));
		FUZZ_CHECK(json_object_get_uint64(o) == v->u);
		break;
	case K_DOUBLE:
		FUZZ_CHECK(json_object_is_type(o, json_type_double));
		back = json_object_get_double(o);
		FUZZ_CHECK(back == v->d && signbit(back) == signbit(v->d));
		break;
	case K_BOOL:
		FUZZ_CHECK(json_object_is_type(o, json_type_boolean));
		FUZZ_CHECK(json_object_get_boolean(o) == (v->i != 0));
		break;
	case K_NULL:
		FUZZ_CHECK(o == NULL);
		break;
	case K_KEYED:
		/* {"<key>": [index]} */
		FUZZ_CHECK(json_object_is_type(o, json_type_object));
		FUZZ_CHECK(json_object_object_length(o) == 1);
		{
			struct json_object_iterator it = json_object_iter_begin(o);
			const char *k = json_object_iter_peek_name(&it);

			FUZZ_CHECK(strlen(k) == v->n && memcmp(k, v->s, v->n) == 0);
			inner = json_object_iter_peek_value(&it);
			FUZZ_CHECK(json_object_is_type(inner, json_type_array));
			FUZZ_CHECK(json_object_get_int64(json_object_array_get_idx(inner, 0)) == v->i);
		}
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size };
	struct value vals[MAX_VALUES];
	struct json_tokener *tok = NULL;
	struct json_object *back = NULL;
	struct wbuf b;
	struct jw w;
	size_t nv = 0, i;
	int all_utf8 = 1, pretty = 0, rc;
	uint8_t op = 0, len = 0;

	if (size > 4096)
		return 0;
	take(&r, &op, 1);
	pretty = op & 1;
	while (nv < MAX_VALUES && take(&r, &op, 1)) {
		struct value *v = &vals[nv];

		memset(v, 0, sizeof(*v));
		v->kind = (enum kind)(op % 7);
		switch (v->kind) {
		case K_STR:
		case K_KEYED:
			if (!take(&r, &len, 1) || r.left < len)
				goto write;
			v->s = (const char *)r.p;
			v->n = len;
			r.p += len;
			r.left -= len;
			/* A key is a C string: only its bytes up to the first NUL are written. */
			if (v->kind == K_KEYED)
				v->n = strnlen(v->s, len);
			if (!utf8_valid(v->s, v->n))
				all_utf8 = 0;
			v->i = (int64_t)nv;
			break;
		case K_INT:
			if (!take(&r, &v->i, sizeof(v->i)))
				goto write;
			break;
		case K_UINT:
			if (!take(&r, &v->u, sizeof(v->u)))
				goto write;
			break;
		case K_DOUBLE:
			if (!take(&r, &v->d, sizeof(v->d)))
				goto write;
			if (!isfinite(v->d))
				v->d = 0.5; /* jw refuses them by design: not JSON */
			break;
		case K_BOOL:
			v->i = op & 8;
			break;
		case K_NULL:
			break;
		}
		nv++;
	}
write:
	wbuf_init(&b);
	jw_init(&w, &b, pretty);
	jw_arr_begin(&w);
	for (i = 0; i < nv; i++) {
		const struct value *v = &vals[i];

		switch (v->kind) {
		case K_STR:
			jw_strn(&w, v->s, v->n);
			break;
		case K_INT:
			jw_int(&w, v->i);
			break;
		case K_UINT:
			jw_uint(&w, v->u);
			break;
		case K_DOUBLE:
			jw_double(&w, v->d);
			break;
		case K_BOOL:
			jw_bool(&w, v->i != 0);
			break;
		case K_NULL:
			jw_null(&w);
			break;
		case K_KEYED:
			/* jw_key takes a C string: the key is the bytes up to the first NUL. */
			{
				char key[256];

				memcpy(key, v->s, v->n);
				key[v->n] = '\0';
				jw_obj_begin(&w);
				jw_key(&w, key);
				jw_arr_begin(&w);
				jw_int(&w, v->i);
				jw_arr_end(&w);
				jw_obj_end(&w);
			}
			break;
		}
	}
	jw_arr_end(&w);
	rc = jw_finish(&w);
	if (!all_utf8) {
		FUZZ_CHECK(rc != WS_OK);
		goto out;
	}
	FUZZ_CHECK(rc == WS_OK);
	FUZZ_CHECK(utf8_valid(b.p, b.len));
	tok = json_tokener_new();
	FUZZ_CHECK(tok != NULL);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	back = json_tokener_parse_ex(tok, wbuf_cstr(&b), (int)b.len + 1);
	FUZZ_CHECK(json_tokener_get_error(tok) == json_tokener_success);
	FUZZ_CHECK(json_object_is_type(back, json_type_array));
	FUZZ_CHECK(json_object_array_length(back) == nv);
	for (i = 0; i < nv; i++)
		compare(json_object_array_get_idx(back, i), &vals[i]);
out:
	json_object_put(back);
	if (tok != NULL)
		json_tokener_free(tok);
	wbuf_free(&b);
	return 0;
}
