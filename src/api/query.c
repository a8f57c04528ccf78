/* Query-string parameters: paging and filters, each failure with loc ["query", name]. */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"

int api_query_get(const struct http_req *req, const char *name, char *out, size_t outlen,
    struct verrs *v)
{
	int got = http_query_get(req->query, name, out, outlen);

	if (got == HTTP_QUERY_MALFORMED)
		verr_add(v, "query", name, -1, "value_error",
		    "Input should be correctly percent-encoded (a '%%' followed by two hex "
		    "digits, never %%00)");
	return got;
}

void api_query_int(const struct http_req *req, const char *name, long min, long max,
    long dflt, long *out, struct verrs *v)
{
	char text[32];
	int64_t n;
	int got = api_query_get(req, name, text, sizeof(text), v);

	*out = dflt;
	if (got == 0 || got == HTTP_QUERY_MALFORMED)
		return;
	if (got < 0 || parse_i64(text, &n) != WS_OK) {
		verr_add(v, "query", name, -1, "int_parsing",
		    "Input should be a valid integer, unable to parse string as an integer");
		return;
	}
	if (n < min) {
		verr_add(v, "query", name, -1, "greater_than_equal",
		    "Input should be greater than or equal to %ld", min);
		return;
	}
	if (n > max) {
		verr_add(v, "query", name, -1, "less_than_equal",
		    "Input should be less than or equal to %ld", max);
		return;
	}
	*out = (long)n;
}

void api_page_parse(const struct http_req *req, struct api_page *pg, struct verrs *v)
{
	/* The page cap keeps OFFSET arithmetic far from overflow. */
	api_query_int(req, "page", 1, 1000000, 1, &pg->page, v);
	api_query_int(req, "page_size", 1, 100, 20, &pg->page_size, v);
}

int api_filter(const struct http_req *req, const char *name, const char *const *allowed,
    char *out, size_t outlen, struct verrs *v)
{
	int got = api_query_get(req, name, out, outlen, v);
	size_t i;

	if (got == 0)
		return 0;
	if (got == HTTP_QUERY_MALFORMED)
		return -1;
	if (got > 0 && allowed == NULL) {
		if (uuid_version(out) > 0)
			return 1;
		verr_add(v, "query", name, -1, "uuid_parsing", "Input should be a valid UUID");
		return -1;
	}
	if (got > 0) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(out, allowed[i]) == 0)
				return 1;
	}
	{
		char list[256] = "";
		size_t used = 0;

		for (i = 0; allowed && allowed[i] != NULL && used < sizeof(list); i++) {
			int k = snprintf(list + used, sizeof(list) - used, "%s'%s'",
			    i == 0 ? "" : (allowed[i + 1] == NULL ? " or " : ", "), allowed[i]);

			if (k > 0)
				used += (size_t)k;
		}
		verr_add(v, "query", name, -1, "enum", "Input should be %s", list);
	}
	return -1;
}

int api_path_uuid(const char *value, const char *name, struct http_resp *resp)
{
	struct verrs v;

	if (uuid_version(value) > 0)
		return WS_OK;
	verrs_init(&v);
	verr_add(&v, "path", name, -1, "uuid_parsing", "Input should be a valid UUID");
	http_error_fields(resp, HTTP_E_VALIDATION, NULL, &v);
	return WS_EINVAL;
}
