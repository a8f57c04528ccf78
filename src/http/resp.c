#include <stdio.h>
#include <string.h>

#include "http/http.h"

static const struct {
	int status;
	const char *type;
	const char *detail;
} http_errors[] = {
#define HTTP_ERR_ROW(name, code, type, detail) { code, type, detail },
	HTTP_ERRORS(HTTP_ERR_ROW)
#undef HTTP_ERR_ROW
};

void http_resp_init(struct http_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	wbuf_init(&r->headers);
	wbuf_init(&r->body);
}

void http_resp_free(struct http_resp *r)
{
	wbuf_free(&r->headers);
	wbuf_free(&r->body);
}

void http_resp_reset(struct http_resp *r)
{
	r->status = 200;
	r->content_type = NULL;
	wbuf_reset(&r->headers);
	wbuf_reset(&r->body);
}

void http_resp_head(const struct http_resp *r, int with_length, struct wbuf *out)
{
	wbuf_printf(out, "Status: %d %s\r\n", r->status, http_reason(r->status));
	if (with_length)
		wbuf_printf(out, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		    r->content_type ? r->content_type : "application/json; charset=utf-8",
		    r->body.len);
	else if (r->streamed)
		wbuf_printf(out, "Content-Type: %s\r\n",
		    r->content_type ? r->content_type : "application/json; charset=utf-8");
	wbuf_put(out, r->headers.p, r->headers.len);
	wbuf_puts(out, "\r\n");
}

int http_resp_stream(struct http_resp *r, int status, const char *content_type)
{
	struct wbuf head;
	int rc;

	if (r->streamed || r->put == NULL) {
		r->stream_failed = 1;
		return WS_EIO;
	}
	r->status = status;
	r->content_type = content_type;
	r->streamed = 1;
	wbuf_init(&head);
	http_resp_head(r, 0, &head);
	rc = head.err ? WS_ENOMEM : http_resp_write(r, head.p, head.len);
	wbuf_free(&head);
	return rc;
}

int http_resp_write(struct http_resp *r, const char *p, size_t n)
{
	if (!r->streamed || r->stream_failed || r->put == NULL)
		return WS_EIO;
	if (n > 0 && r->put(r->put_ctx, p, n) != WS_OK) {
		r->stream_failed = 1;
		return WS_EIO;
	}
	return WS_OK;
}

void http_resp_header(struct http_resp *r, const char *name, const char *value)
{
	/* Header values come from our own code, but never let one split the response. */
	if (strpbrk(value, "\r\n") != NULL)
		return;
	wbuf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void http_resp_json(struct http_resp *r, int status, const char *json, size_t len)
{
	r->status = status;
	wbuf_reset(&r->body);
	wbuf_put(&r->body, json, len);
}

int http_error_status(enum http_error e)
{
	return http_errors[e].status;
}

const char *http_error_type(enum http_error e)
{
	return http_errors[e].type;
}

static void write_envelope(struct http_resp *r, enum http_error e, const char *detail,
    const struct verrs *v)
{
	struct jw w;

	wbuf_reset(&r->body);
	r->status = http_errors[e].status;
	jw_init(&w, &r->body, 0);
	jw_obj_begin(&w);
	jw_kint(&w, "code", r->status);
	jw_kstr(&w, "type", http_errors[e].type);
	jw_kstr(&w, "detail", detail ? detail : http_errors[e].detail);
	if (v != NULL) {
		jw_key(&w, "errors");
		verrs_write(&w, v);
	}
	jw_obj_end(&w);
	if (jw_finish(&w) != WS_OK) {
		/* Only a detail that is not UTF-8 gets here: answer without it. */
		wbuf_reset(&r->body);
		wbuf_printf(&r->body, "{\"code\":%d,\"type\":\"%s\",\"detail\":\"%s\"}", r->status,
		    http_errors[e].type, http_errors[e].detail);
	}
	if (e == HTTP_E_AUTHN || e == HTTP_E_TOKEN || e == HTTP_E_EXPIRED)
		http_resp_header(r, "WWW-Authenticate", "Bearer");
}

void http_error(struct http_resp *r, enum http_error e, const char *detail)
{
	write_envelope(r, e, detail, NULL);
}

void http_error_fields(struct http_resp *r, enum http_error e, const char *detail,
    const struct verrs *v)
{
	char text[64];

	if (detail == NULL) {
		size_t n = v->n + v->dropped;

		snprintf(text, sizeof(text), "%zu validation error%s", n, n == 1 ? "" : "s");
		detail = text;
	}
	write_envelope(r, e, detail, v);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 422: return "Unprocessable Content";
	case 426: return "Upgrade Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Unknown";
	}
}
