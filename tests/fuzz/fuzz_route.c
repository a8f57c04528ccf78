/*
 * The route matcher and the query-string parser, over a table shaped like the API's
 * (src/api/api.c). Input: method byte, allow-buffer size byte, output size byte, then
 * path NUL query NUL name.
 */
#include <string.h>

#include "fuzz.h"
#include "http/http.h"

const char fuzz_target_name[] = "route";

#define BASE "/api/v1/org/{}/ws/{}/worlds"

static const struct http_route routes[] = {
	{ HTTP_GET, "/api/v1/healthz", NULL, 0 },
	{ HTTP_GET, "/api/v1/readyz", NULL, 0 },
	{ HTTP_POST, BASE "/manifests", NULL, 2 },
	{ HTTP_GET, BASE "/manifests", NULL, 1 },
	{ HTTP_GET, BASE "/manifests/{}", NULL, 1 },
	{ HTTP_DELETE, BASE "/manifests/{}", NULL, 3 },
	{ HTTP_GET, BASE "/manifests/{}/document", NULL, 1 },
	{ HTTP_GET, BASE "/jobs", NULL, 1 },
	{ HTTP_GET, BASE "/jobs/{}", NULL, 1 },
	{ HTTP_POST, BASE "/jobs/{}/cancel", NULL, 2 },
	{ HTTP_GET, BASE "/manifests/{}/graph/nodes", NULL, 1 },
	{ HTTP_GET, BASE "/manifests/{}/hosts/{}/details", NULL, 1 },
	{ HTTP_GET, BASE "/manifests/{}/principals", NULL, 1 },
	{ HTTP_GET, BASE "/manifests/{}/principals/{}", NULL, 1 },
};

static size_t count_params(const char *pattern)
{
	size_t n = 0;

	while ((pattern = strstr(pattern, "{}")) != NULL) {
		n++;
		pattern += 2;
	}
	return n;
}

static void route(enum http_method m, const char *path, size_t allowlen)
{
	struct http_req req;
	const struct http_route *found = (const void *)&req; /* must be overwritten */
	char allow[128];
	enum http_match r;
	size_t i;

	memset(&req, 0, sizeof(req));
	req.method = m;
	req.path = path;
	memset(allow, 'x', sizeof(allow));
	r = http_route_find(routes, W_ARRAY_LEN(routes), &req, &found, allow, allowlen);
	FUZZ_CHECK(r == HTTP_MATCH_OK || r == HTTP_MATCH_NONE || r == HTTP_MATCH_METHOD);
	if (allowlen > 0)
		FUZZ_CHECK(memchr(allow, '\0', allowlen) != NULL);
	if (r != HTTP_MATCH_OK) {
		FUZZ_CHECK(found == NULL);
		if (r == HTTP_MATCH_METHOD && allowlen >= sizeof(allow))
			FUZZ_CHECK(allow[0] != '\0');
		return;
	}
	FUZZ_CHECK(found >= routes && found < routes + W_ARRAY_LEN(routes));
	FUZZ_CHECK(found->method == m || (m == HTTP_HEAD && found->method == HTTP_GET));
	FUZZ_CHECK(req.nparams == count_params(found->pattern));
	for (i = 0; i < req.nparams; i++) {
		size_t len = strnlen(req.param[i], sizeof(req.param[i]));

		FUZZ_CHECK(len > 0 && len < sizeof(req.param[i]));
		FUZZ_CHECK(strchr(req.param[i], '/') == NULL);
		FUZZ_CHECK(strstr(path, req.param[i]) != NULL);
	}
}

static void query(const char *q, const char *name, size_t outlen)
{
	char out[300];
	int r;

	memset(out, 'x', sizeof(out));
	r = http_query_get(q, name, out, outlen);
	FUZZ_CHECK(r == 1 || r == 0 || r == HTTP_QUERY_MALFORMED || r == HTTP_QUERY_TOO_LONG);
	if (r == 1 || r == HTTP_QUERY_TOO_LONG)
		FUZZ_CHECK(strnlen(out, outlen) < outlen);
	/* Nothing is written past the space given. */
	for (size_t i = outlen; i < sizeof(out); i++)
		FUZZ_CHECK(out[i] == 'x');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *q, *name;
	size_t allowlen, outlen;
	enum http_method m;

	if (size < 3 || size > 8192)
		return 0;
	m = (enum http_method)(data[0] % (HTTP_OTHER + 1));
	allowlen = data[1] % 129; /* 0..128: the whole buffer, or less, or none */
	outlen = data[2] % 301;
	text = malloc(size - 3 + 3);
	if (text == NULL)
		return 0;
	memcpy(text, data + 3, size - 3);
	/* Three terminators, so that path, query and name always exist (maybe empty). */
	text[size - 3] = text[size - 2] = text[size - 1] = '\0';
	q = text + strlen(text) + 1;
	name = q + strlen(q) + 1;
	route(m, text, allowlen);
	query(q, name, outlen);
	/* The API's own names, whatever the fuzzed one was. */
	query(q, "limit", outlen);
	query(q, "cursor", outlen);
	free(text);
	return 0;
}
