/*
 * The manifest-request validator as the API meets it: bytes, UTF-8 check, json-c in strict
 * mode with the API's depth limit, then gen_params_from_json. Whatever it answers must be
 * writable as the 422 envelope (valid JSON, valid UTF-8) and, when it accepts, resolvable.
 */
#include <string.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "gen/gen.h"
#include "util/util.h"

const char fuzz_target_name[] = "manifest";

/* The depth api/jobs.c gives json-c; deeper bodies are refused before validation. */
#define FUZZ_JSON_DEPTH 32

static void check_errors(const struct verrs *v)
{
	struct wbuf b;
	struct jw w;
	struct json_object *back;

	wbuf_init(&b);
	jw_init(&w, &b, 0);
	verrs_write(&w, v);
	FUZZ_CHECK(jw_finish(&w) == WS_OK);
	FUZZ_CHECK(utf8_valid(b.p, b.len));
	back = json_tokener_parse(wbuf_cstr(&b));
	FUZZ_CHECK(back != NULL && json_object_is_type(back, json_type_array));
	FUZZ_CHECK(json_object_array_length(back) == v->n);
	json_object_put(back);
	wbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	struct gen_params p;
	struct verrs v;
	char *text;
	int rc;

	if (size > 64 * 1024)
		return 0; /* nginx refuses larger bodies */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!utf8_valid(text, size))
		goto out;
	tok = json_tokener_new_ex(FUZZ_JSON_DEPTH);
	if (tok == NULL)
		goto out;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)size + 1);
	if (json_tokener_get_error(tok) != json_tokener_success || obj == NULL)
		goto out;
	verrs_init(&v);
	rc = gen_params_from_json(obj, &p, &v);
	FUZZ_CHECK(rc == WS_OK || rc == WS_EINVAL);
	FUZZ_CHECK((rc == WS_OK) == (v.n == 0 && v.dropped == 0));
	FUZZ_CHECK(v.n <= VERRS_MAX);
	check_errors(&v);
	if (!json_object_is_type(obj, json_type_object))
		FUZZ_CHECK(rc == WS_EINVAL);
	if (rc == WS_OK) {
		/* What validation let through must resolve, or fail cleanly on a contradiction. */
		if (!p.seed_set) {
			p.seed = 1;
			p.seed_set = 1;
		}
		rc = gen_params_resolve(&p);
		FUZZ_CHECK(rc == WS_OK || rc == WS_EINVAL);
		if (rc == WS_OK) {
			FUZZ_CHECK(p.num_users > 0 && p.num_hosts > 0);
			FUZZ_CHECK(p.ndomains >= 1 && p.ndomains <= GEN_MAX_DOMAINS);
			FUZZ_CHECK(p.num_users >= p.ndomains && p.num_hosts >= p.ndomains);
		}
	}
out:
	json_object_put(obj);
	if (tok != NULL)
		json_tokener_free(tok);
	free(text);
	return 0;
}
