/* gen params: every CreateWorldManifestRequest rule, its loc/msg/type, and resolution. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "gen/gen.h"
#include "tap.h"

/* Validates body; returns the errors array as compact JSON in out. */
static int validate(const char *body, struct gen_params *p, char *out, size_t cap)
{
	struct json_object *o = json_tokener_parse(body);
	struct verrs e;
	struct wbuf b;
	struct jw j;
	int rc;

	verrs_init(&e);
	rc = gen_params_from_json(o, p, &e);
	wbuf_init(&b);
	jw_init(&j, &b, 0);
	verrs_write(&j, &e);
	jw_finish(&j);
	snprintf(out, cap, "%s", wbuf_cstr(&b));
	wbuf_free(&b);
	json_object_put(o);
	return rc;
}

static void one(struct tap *t, const char *body, const char *want)
{
	struct gen_params p;
	char got[4096], what[300];

	validate(body, &p, got, sizeof(got));
	snprintf(what, sizeof(what), "errors for %s", body);
	tap_str(t, got, want, what);
}

#define E(loc, msg, type) "{\"loc\":" loc ",\"msg\":\"" msg "\",\"type\":\"" type "\"}"

int main(void)
{
	struct tap t = { 0, 0 };
	struct gen_params p;
	char got[4096];

	tap_int(&t, validate("{}", &p, got, sizeof(got)), WS_OK, "empty body is valid");
	tap_str(&t, got, "[]", "no errors for {}");
	/* The api.md example, error for error. */
	one(&t, "{\"num_hosts\":10001,\"preset\":\"huge\"}",
	    "[" E("[\"body\",\"num_hosts\"]", "Input should be less than or equal to 10000",
	    "less_than_equal") "," E("[\"body\",\"preset\"]",
	    "Input should be 'small', 'medium', 'large' or 'enterprise'", "enum") "]");
	one(&t, "{\"num_users\":0}", "[" E("[\"body\",\"num_users\"]",
	    "Input should be greater than or equal to 1", "greater_than_equal") "]");
	one(&t, "{\"num_users\":50001}", "[" E("[\"body\",\"num_users\"]",
	    "Input should be less than or equal to 50000", "less_than_equal") "]");
	one(&t, "{\"num_users\":1.0}", "[" E("[\"body\",\"num_users\"]",
	    "Input should be a valid integer", "int_type") "]");
	one(&t, "{\"num_hosts\":1e3}", "[" E("[\"body\",\"num_hosts\"]",
	    "Input should be a valid integer", "int_type") "]");
	one(&t, "{\"num_hosts\":\"5\"}", "[" E("[\"body\",\"num_hosts\"]",
	    "Input should be a valid integer", "int_type") "]");
	one(&t, "{\"seed\":true}", "[" E("[\"body\",\"seed\"]", "Input should be a valid integer",
	    "int_type") "]");
	one(&t, "{\"seed\":9223372036854775808}", "[" E("[\"body\",\"seed\"]",
	    "Input should be a valid integer", "int_type") "]");
	/* Below INT64_MIN json-c saturates, so only the raw text can tell an overflow from
	 * the minimum: the API checks that (tests/integration/api-validation.sh, -2^63-1),
	 * and the validator itself takes INT64_MIN as the valid integer it is. */
	tap_int(&t, validate("{\"seed\":-9223372036854775808}", &p, got, sizeof(got)), WS_OK,
	    "seed INT64_MIN accepted");
	tap_ok(&t, p.seed_set && p.seed == INT64_MIN, "seed INT64_MIN kept");
	one(&t, "{\"seed\":123456789012345678901234567890}", "[" E("[\"body\",\"seed\"]",
	    "Input should be a valid integer", "int_type") "]");
	tap_int(&t, validate("{\"seed\":9223372036854775807}", &p, got, sizeof(got)), WS_OK,
	    "seed INT64_MAX accepted");
	tap_ok(&t, p.seed_set && p.seed == INT64_MAX, "seed INT64_MAX kept");
	tap_int(&t, validate("{\"seed\":-42,\"preset\":null,\"domains\":null}", &p, got, sizeof(got)),
	    WS_OK, "null means absent");
	tap_ok(&t, p.seed == -42 && p.preset[0] == '\0' && p.ndomains == 0, "negative seed, nulls absent");
	one(&t, "{\"preset\":5}", "[" E("[\"body\",\"preset\"]",
	    "Input should be 'small', 'medium', 'large' or 'enterprise'", "enum") "]");
	one(&t, "{\"preset\":\"Small\"}", "[" E("[\"body\",\"preset\"]",
	    "Input should be 'small', 'medium', 'large' or 'enterprise'", "enum") "]");
	one(&t, "{\"name\":7}", "[" E("[\"body\",\"name\"]", "Input should be a valid string",
	    "string_type") "]");
	one(&t, "{\"name\":\"   \"}", "[" E("[\"body\",\"name\"]",
	    "String should have at least 1 character", "string_too_short") "]");
	one(&t, "{\"name\":\"a\\u0007b\"}", "[" E("[\"body\",\"name\"]",
	    "Value error, the name must not contain control characters", "value_error") "]");
	{
		char body[600];

		memset(body, 0, sizeof(body));
		strcpy(body, "{\"name\":\"");
		memset(body + 9, 'x', 201);
		strcat(body, "\"}");
		one(&t, body, "[" E("[\"body\",\"name\"]", "String should have at most 200 characters",
		    "string_too_long") "]");
	}
	tap_int(&t, validate("{\"name\":\"  \\u00e9t\\u00e9 world  \"}", &p, got, sizeof(got)), WS_OK,
	    "unicode name valid");
	tap_str(&t, p.name, "\xc3\xa9t\xc3\xa9 world", "name trimmed");
	one(&t, "{\"project_id\":\"not-a-uuid\"}", "[" E("[\"body\",\"project_id\"]",
	    "Input should be a valid UUID, invalid length: expected length 32 for simple format, "
	    "found 10", "uuid_parsing") "]");
	one(&t, "{\"project_id\":\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"}",
	    "[" E("[\"body\",\"project_id\"]", "UUID version 4 expected", "uuid_version") "]");
	one(&t, "{\"project_id\":12}", "[" E("[\"body\",\"project_id\"]",
	    "UUID input should be a string, bytes or UUID object", "uuid_type") "]");
	tap_int(&t, validate("{\"project_id\":\"0D9A3E51-5D3B-4C1F-9E3A-2B6F1C2D3E4F\"}", &p, got,
	    sizeof(got)), WS_OK, "upper-case v4 accepted");
	tap_str(&t, p.project_id, "0d9a3e51-5d3b-4c1f-9e3a-2b6f1c2d3e4f", "project_id normalised");
	one(&t, "{\"domains\":\"corp.local\"}", "[" E("[\"body\",\"domains\"]",
	    "Input should be a valid list", "list_type") "]");
	one(&t, "{\"domains\":[]}", "[" E("[\"body\",\"domains\"]",
	    "List should have at least 1 item after validation, not 0", "too_short") "]");
	one(&t, "{\"domains\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\","
	    "\"m\",\"n\",\"o\",\"p\",\"q\"]}", "[" E("[\"body\",\"domains\"]",
	    "List should have at most 16 items after validation, not 17", "too_long") "]");
	one(&t, "{\"domains\":[\"ok.local\",3,\"bad_name.local\",\"OK.local\",\"-x.local\"]}",
	    "[" E("[\"body\",\"domains\",1]", "Input should be a valid string", "string_type") ","
	    E("[\"body\",\"domains\",2]", "Value error, not a valid DNS name: only letters, digits, "
	    "hyphens and dots are allowed", "value_error") ","
	    E("[\"body\",\"domains\",3]", "Value error, duplicate domain: same as item 0",
	    "value_error") ","
	    E("[\"body\",\"domains\",4]", "Value error, not a valid DNS name: a label starts or ends "
	    "with a hyphen", "value_error") "]");
	one(&t, "{\"domains\":[\"a..b\"]}", "[" E("[\"body\",\"domains\",0]",
	    "Value error, not a valid DNS name: a label is empty", "value_error") "]");
	tap_int(&t, validate("{\"domains\":[\"Corp.Example\",\"corp\"]}", &p, got, sizeof(got)), WS_OK,
	    "domains lowered, single label ok");
	tap_str(&t, p.domains[0], "corp.example", "domain case-folded");
	one(&t, "{\"num_users\":5,\"colour\":\"red\",\"seeed\":1}",
	    "[" E("[\"body\",\"colour\"]", "Extra inputs are not permitted", "extra_forbidden") ","
	    E("[\"body\",\"seeed\"]", "Extra inputs are not permitted", "extra_forbidden") "]");
	one(&t, "[1,2]", "[" E("[\"body\"]", "Input should be a valid dictionary or object to extract "
	    "fields from", "model_type") "]");
	one(&t, "{\"preset\":\"enterprise\",\"num_hosts\":2}", "[" E("[\"body\",\"num_hosts\"]",
	    "Value error, num_hosts must be at least the number of domains (3): every domain needs "
	    "a domain controller", "value_error") "]");
	one(&t, "{\"domains\":[\"a.b\",\"c.d\"],\"num_users\":1}", "[" E("[\"body\",\"num_users\"]",
	    "Value error, num_users must be at least the number of domains (2): every domain needs "
	    "a user", "value_error") "]");

	/* Resolution: presets, inference, overrides, raised counts. */
	gen_params_defaults(&p);
	tap_int(&t, gen_params_resolve(&p), WS_OK, "resolve empty");
	tap_ok(&t, strcmp(p.preset, "small") == 0 && p.num_users == 50 && p.num_hosts == 10 &&
	    p.ndomains == 1 && strcmp(p.domains[0], "corp.local") == 0 && p.seed_set,
	    "empty resolves to small with a drawn seed");
	tap_ok(&t, p.seed >= 0 && p.seed < (1LL << 53), "drawn seed within 2^53");
	gen_params_defaults(&p);
	p.num_users = 2000;
	gen_params_resolve(&p);
	tap_str(&t, p.preset, "large", "2000 users infer large");
	tap_ok(&t, p.num_hosts == 500 && p.ndomains == 2, "large's hosts and domains");
	gen_params_defaults(&p);
	snprintf(p.preset, sizeof(p.preset), "small");
	p.ndomains = 16;
	for (int i = 0; i < 16; i++)
		snprintf(p.domains[i], sizeof(p.domains[i]), "d%d.example", i);
	tap_int(&t, gen_params_resolve(&p), WS_OK, "small with 16 domains");
	tap_int(&t, p.num_hosts, 16, "hosts raised to one DC per domain");
	gen_params_defaults(&p);
	snprintf(p.preset, sizeof(p.preset), "enterprise");
	p.num_hosts = 2;
	tap_int(&t, gen_params_resolve(&p), WS_EINVAL, "explicit contradiction refused");
	tap_str(&t, gen_field_flag("num_hosts"), "--hosts", "flag of num_hosts");
	tap_str(&t, gen_field_flag("domains"), "--domain", "flag of domains");
	return tap_done(&t);
}
