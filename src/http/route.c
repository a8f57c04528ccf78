#include <stdio.h>
#include <string.h>

#include "http/http.h"

static const char *const method_names[] = { "GET", "POST", "DELETE", "PUT", "PATCH", "HEAD" };

enum http_method http_method_parse(const char *s)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(method_names); i++)
		if (strcmp(s, method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
	return (size_t)m < W_ARRAY_LEN(method_names) ? method_names[m] : "OTHER";
}

/*
 * Matches path against pattern segment by segment; {} takes one non-empty segment of
 * at most 255 bytes. Captures go to params only when params is not NULL.
 */
static int match(const char *pattern, const char *path, char params[][256], size_t *nparams)
{
	size_t n = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (pattern[0] == '{' && pattern[1] == '}') {
			size_t len = strcspn(path, "/");

			if (len == 0 || len > 255 || n >= HTTP_MAX_PARAMS)
				return 0;
			if (params != NULL) {
				memcpy(params[n], path, len);
				params[n][len] = '\0';
			}
			n++;
			path += len;
			pattern += 2;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	if (*pattern != '\0' || *path != '\0')
		return 0;
	if (nparams != NULL)
		*nparams = n;
	return 1;
}

enum http_match http_route_find(const struct http_route *routes, size_t n,
    struct http_req *req, const struct http_route **found, char *allow, size_t allowlen)
{
	size_t i, used = 0;
	int path_known = 0;

	*found = NULL;
	if (allowlen > 0)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!match(routes[i].pattern, req->path, NULL, NULL))
			continue;
		/* HEAD is GET without the body; nginx drops the body for us. */
		if (routes[i].method == req->method ||
		    (req->method == HTTP_HEAD && routes[i].method == HTTP_GET)) {
			match(routes[i].pattern, req->path, req->param, &req->nparams);
			*found = &routes[i];
			return HTTP_MATCH_OK;
		}
		path_known = 1;
		if (used < allowlen) {
			int k = snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
			    http_method_name(routes[i].method));

			if (k > 0)
				used += (size_t)k;
		}
	}
	return path_known ? HTTP_MATCH_METHOD : HTTP_MATCH_NONE;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes n bytes of a form-encoded value into out (http_query_get's return values). */
static int form_decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;
	int too_long = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return HTTP_QUERY_MALFORMED;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return HTTP_QUERY_MALFORMED;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return HTTP_QUERY_MALFORMED;
		/* Read on past the room: a bad escape further on is the better answer. */
		if (o + 1 >= outlen)
			too_long = 1;
		else
			out[o++] = c;
	}
	out[o] = '\0';
	return too_long ? HTTP_QUERY_TOO_LONG : 1;
}

int http_query_get(const char *query, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = query;

	if (query == NULL || outlen == 0)
		return 0;
	while (*p != '\0') {
		size_t len = strcspn(p, "&");
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;

		if (klen == nlen && memcmp(p, name, nlen) == 0) {
			if (eq == NULL) {
				out[0] = '\0';
				return 1;
			}
			return form_decode(eq + 1, len - klen - 1, out, outlen);
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return 0;
}
