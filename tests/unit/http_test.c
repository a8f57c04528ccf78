/* http: route matching (404 vs 405 + Allow), query parsing, the error envelope. */
#include <string.h>

#include "http/http.h"
#include "tap.h"

static int h_dummy(void *app, struct http_req *req, struct http_resp *resp)
{
	(void)app;
	(void)req;
	(void)resp;
	return 0;
}

static const struct http_route routes[] = {
	{ HTTP_GET, "/api/v1/healthz", h_dummy, 0 },
	{ HTTP_GET, "/api/v1/org/{}/ws/{}/worlds/jobs/{}", h_dummy, 1 },
	{ HTTP_POST, "/api/v1/org/{}/ws/{}/worlds/jobs/{}/cancel", h_dummy, 2 },
	{ HTTP_DELETE, "/api/v1/org/{}/ws/{}/worlds/manifests/{}", h_dummy, 3 },
	{ HTTP_GET, "/api/v1/org/{}/ws/{}/worlds/manifests/{}", h_dummy, 4 },
};

static enum http_match find(const char *method, const char *path, struct http_req *req,
    const struct http_route **r, char *allow, size_t n)
{
	memset(req, 0, sizeof(*req));
	req->method = http_method_parse(method);
	req->path = path;
	return http_route_find(routes, W_ARRAY_LEN(routes), req, r, allow, n);
}

/* http_resp.put for the tests: what would go to the client, into a wbuf. */
static int to_buf(void *ctx, const char *p, size_t n)
{
	wbuf_put(ctx, p, n);
	return WS_OK;
}

static int refuse(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return WS_EIO;
}

/* A streamed answer: the head once, without Content-Length, then the pieces as written. */
static void streamed(struct tap *t)
{
	struct http_resp resp;
	struct wbuf out;

	wbuf_init(&out);
	http_resp_init(&resp);
	resp.put = to_buf;
	resp.put_ctx = &out;
	tap_int(t, http_resp_write(&resp, "x", 1), WS_EIO, "no body before the head");
	http_resp_header(&resp, "Content-Disposition", "attachment; filename=\"a.jsonl\"");
	tap_int(t, http_resp_stream(&resp, 200, "application/x-ndjson"), WS_OK, "stream begins");
	tap_int(t, http_resp_write(&resp, "{}\n", 3), WS_OK, "first piece");
	tap_int(t, http_resp_write(&resp, "[]\n", 3), WS_OK, "second piece");
	tap_str(t, wbuf_cstr(&out), "Status: 200 OK\r\nContent-Type: application/x-ndjson\r\n"
	    "Content-Disposition: attachment; filename=\"a.jsonl\"\r\n\r\n{}\n[]\n",
	    "head without Content-Length, then the pieces in order");
	tap_int(t, http_resp_stream(&resp, 200, NULL), WS_EIO, "a second head is refused");
	http_resp_free(&resp);
	http_resp_init(&resp);
	resp.put = refuse;
	tap_int(t, http_resp_stream(&resp, 200, NULL), WS_EIO, "a client gone at the head");
	tap_int(t, http_resp_write(&resp, "x", 1), WS_EIO, "and every piece after");
	http_resp_free(&resp);
	wbuf_free(&out);
}

int main(void)
{
	struct tap t = { 0, 0 };
	struct http_req req;
	const struct http_route *r;
	struct http_resp resp;
	char allow[64], v[32];

	tap_int(&t, find("GET", "/api/v1/healthz", &req, &r, allow, sizeof(allow)),
	    HTTP_MATCH_OK, "exact route");
	tap_int(&t, find("GET", "/api/v1/org/acme/ws/red/worlds/jobs/42", &req, &r, allow,
	    sizeof(allow)), HTTP_MATCH_OK, "route with parameters");
	tap_str(&t, req.param[0], "acme", "first parameter");
	tap_str(&t, req.param[2], "42", "third parameter");
	tap_int(&t, (long long)req.nparams, 3, "parameter count");
	tap_int(&t, find("PUT", "/api/v1/org/a/ws/b/worlds/manifests/1", &req, &r, allow,
	    sizeof(allow)), HTTP_MATCH_METHOD, "known path, other method");
	tap_str(&t, allow, "DELETE, GET", "Allow lists the path's methods");
	tap_int(&t, find("HEAD", "/api/v1/healthz", &req, &r, allow, sizeof(allow)),
	    HTTP_MATCH_OK, "HEAD is served by the GET route");
	tap_int(&t, find("GET", "/api/v1/org//ws/b/worlds/jobs/1", &req, &r, allow,
	    sizeof(allow)), HTTP_MATCH_NONE, "empty segment does not match");
	tap_int(&t, find("GET", "/api/v1/org/a/ws/b/worlds/jobs/1/", &req, &r, allow,
	    sizeof(allow)), HTTP_MATCH_NONE, "trailing slash does not match");
	tap_int(&t, find("GET", "/api/v1/healthzz", &req, &r, allow, sizeof(allow)),
	    HTTP_MATCH_NONE, "longer path does not match");
	tap_int(&t, find("GET", "", &req, &r, allow, sizeof(allow)), HTTP_MATCH_NONE,
	    "empty path");

	tap_int(&t, http_query_get("page=2&page_size=50", "page_size", v, sizeof(v)), 1,
	    "query value found");
	tap_str(&t, v, "50", "query value");
	tap_int(&t, http_query_get("q=a%20b+c", "q", v, sizeof(v)), 1, "encoded value");
	tap_str(&t, v, "a b c", "percent and plus decoded");
	tap_int(&t, http_query_get("q=%2", "q", v, sizeof(v)), HTTP_QUERY_MALFORMED,
	    "truncated escape refused as malformed");
	tap_int(&t, http_query_get("q=%zz", "q", v, sizeof(v)), HTTP_QUERY_MALFORMED,
	    "non-hex escape refused as malformed");
	tap_int(&t, http_query_get("q=%00", "q", v, sizeof(v)), HTTP_QUERY_MALFORMED,
	    "NUL refused as malformed");
	tap_int(&t, http_query_get("q=abcdef", "q", v, 4), HTTP_QUERY_TOO_LONG,
	    "a value over the room is too long");
	tap_int(&t, http_query_get("q=abcdef%0", "q", v, 4), HTTP_QUERY_MALFORMED,
	    "a bad escape past the room is still malformed");
	tap_int(&t, http_query_get("pages=1", "page", v, sizeof(v)), 0, "prefix is not a match");
	tap_int(&t, http_query_get(NULL, "page", v, sizeof(v)), 0, "no query string");

	http_resp_init(&resp);
	http_error(&resp, HTTP_E_NOT_FOUND, "Job not found");
	tap_int(&t, resp.status, 404, "not found status");
	tap_str(&t, wbuf_cstr(&resp.body),
	    "{\"code\":404,\"type\":\"not_found_error\",\"detail\":\"Job not found\"}",
	    "envelope");
	http_resp_reset(&resp);
	http_error(&resp, HTTP_E_TOKEN, NULL);
	tap_str(&t, wbuf_cstr(&resp.headers), "WWW-Authenticate: Bearer\r\n",
	    "401 carries WWW-Authenticate");
	http_resp_reset(&resp);
	http_error(&resp, HTTP_E_SERVER, "bad \xff byte");
	tap_str(&t, wbuf_cstr(&resp.body),
	    "{\"code\":500,\"type\":\"server_error\",\"detail\":\"Internal server error\"}",
	    "non-UTF-8 detail falls back to the default");
	http_resp_free(&resp);
	streamed(&t);
	return tap_done(&t);
}
