/*
 * HTTP over one libcurl handle (kept alive between the requests of a run: a wait's polls
 * reuse the TLS connection). Retries with backoff where a request is safe to send again;
 * failures to get any answer named plainly with the server's URL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "client/internal.h"

/* Bodies of answers that are not streamed: an error envelope is small, a page is too. */
#define NET_ERROR_BODY_MAX (1024 * 1024)
#define NET_BACKOFF_FIRST_MS 500
#define NET_BACKOFF_MAX_MS 8000
#define NET_RETRY_AFTER_MAX_S 60

struct transfer {
	struct client *c;
	const struct net_req *rq;
	struct net_resp *rs;
	int sink_failed;
};

void net_resp_init(struct net_resp *r)
{
	memset(r, 0, sizeof(*r));
	wbuf_init(&r->body);
}

void net_resp_free(struct net_resp *r)
{
	wbuf_free(&r->body);
}

static void resp_reset(struct net_resp *r)
{
	r->status = 0;
	wbuf_reset(&r->body);
	r->etag[0] = r->retry_after[0] = '\0';
}

/* Keeps the headers the client reads: ETag and Retry-After. */
static size_t on_header(char *b, size_t size, size_t nitems, void *ctx)
{
	struct transfer *t = ctx;
	size_t n = size * nitems, k, v;
	char *dst = NULL;
	size_t dstlen = 0;

	if (n >= 5 && strncmp(b, "HTTP/", 5) == 0) {
		/* A new answer (after a 100 Continue, say): forget the previous one's. */
		t->rs->etag[0] = t->rs->retry_after[0] = '\0';
		return n;
	}
	if (n > 5 && strncasecmp(b, "ETag:", 5) == 0) {
		dst = t->rs->etag, dstlen = sizeof(t->rs->etag), k = 5;
	} else if (n > 12 && strncasecmp(b, "Retry-After:", 12) == 0) {
		dst = t->rs->retry_after, dstlen = sizeof(t->rs->retry_after), k = 12;
	} else {
		return n;
	}
	while (k < n && (b[k] == ' ' || b[k] == '\t'))
		k++;
	v = n;
	while (v > k && (b[v - 1] == '\r' || b[v - 1] == '\n' || b[v - 1] == ' '))
		v--;
	if (v - k < dstlen) {
		memcpy(dst, b + k, v - k);
		dst[v - k] = '\0';
	}
	return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct transfer *t = ctx;
	size_t n = size * nmemb;
	long status = 0;

	curl_easy_getinfo(t->c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300 && t->rq->sink != NULL) {
		if (t->rq->sink(t->rq->sink_ctx, p, n) != WS_OK) {
			t->sink_failed = 1;
			return 0; /* CURLE_WRITE_ERROR: the transfer stops */
		}
		return n;
	}
	if (status >= 300 && t->rs->body.len + n > NET_ERROR_BODY_MAX)
		return n; /* the start of an oversized error body says enough */
	wbuf_put(&t->rs->body, p, n);
	return t->rs->body.err ? 0 : n;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct transfer *t = ctx;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return *t->c->interrupted ? 1 : 0;
}

int net_open(struct client *c, char *err, size_t errlen)
{
	CURL *h = curl_easy_init();

	if (h == NULL) {
		snprintf(err, errlen, "libcurl could not start");
		return WS_ENOMEM;
	}
	c->curl = h;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "worlds/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	/* No deadline on a whole answer (a document may be large), but on a stalled one. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 90L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	/* The curl tool's receive buffer: fewer, larger reads on a long download. */
	curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 100L * 1024);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	if (c->cacert[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
	if (c->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	return WS_OK;
}

void net_close(struct client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

/* curl_slist_append that remembers a failure (the list so far stays whole to be freed). */
static struct curl_slist *add(struct curl_slist *h, const char *line, int *oom)
{
	struct curl_slist *n = *oom ? NULL : curl_slist_append(h, line);

	if (n == NULL) {
		*oom = 1;
		return h;
	}
	return n;
}

static struct curl_slist *headers(const struct client *c, const struct net_req *rq, int *oom)
{
	struct curl_slist *h = NULL;
	char line[CLIENT_TOKEN_MAX + 64];

	*oom = 0;
	snprintf(line, sizeof(line), "Authorization: Bearer %s", c->token);
	h = add(h, line, oom);
	h = add(h, "Accept: application/json", oom);
	if (rq->body != NULL)
		h = add(h, "Content-Type: application/json", oom);
	/* curl's "Expect: 100-continue" would cost a round trip for a few hundred bytes. */
	h = add(h, "Expect:", oom);
	if (rq->idempotency_key != NULL) {
		snprintf(line, sizeof(line), "Idempotency-Key: %s", rq->idempotency_key);
		h = add(h, line, oom);
	}
	memset(line, 0, sizeof(line));
	return h;
}

/* Plain words for a request that got no answer, naming the server. */
static void say_no_answer(struct client *c, CURLcode rc)
{
	const char *why = c->curl_err[0] ? c->curl_err : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		fprintf(c->err, "worlds: cannot resolve the host of %s: %s\n", c->server, why);
		break;
	case CURLE_COULDNT_CONNECT:
		fprintf(c->err, "worlds: cannot connect to %s: %s\n", c->server, why);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		fprintf(c->err, "worlds: %s did not answer in time: %s\n", c->server, why);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		fprintf(c->err, "worlds: TLS with %s failed: %s (for a private CA: --cacert FILE)\n",
		    c->server, why);
		break;
	default:
		fprintf(c->err, "worlds: no answer from %s: %s\n", c->server, why);
		break;
	}
}

static int retryable(const struct net_req *rq, CURLcode rc, long status)
{
	if (!rq->idempotent)
		return 0;
	if (rc == CURLE_COULDNT_CONNECT)
		return 1;
	return rc == CURLE_OK && (status == 429 || status == 502 || status == 503 || status == 504);
}

int client_nap(struct client *c, int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (!*c->interrupted && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return !*c->interrupted;
}

/* The delay before try number n (1 = the first retry): Retry-After when the server gave
 * one in seconds, else doubling from half a second. */
static int64_t delay_ms(const struct net_resp *rs, int n)
{
	int64_t ra, d = NET_BACKOFF_FIRST_MS;
	int i;

	if (rs->retry_after[0] != '\0' && parse_i64(rs->retry_after, &ra) == WS_OK && ra >= 0)
		return (ra > NET_RETRY_AFTER_MAX_S ? NET_RETRY_AFTER_MAX_S : ra) * 1000;
	for (i = 1; i < n && d < NET_BACKOFF_MAX_MS; i++)
		d *= 2;
	return d > NET_BACKOFF_MAX_MS ? NET_BACKOFF_MAX_MS : d;
}

static CURLcode perform(struct client *c, const struct net_req *rq, struct net_resp *rs,
    const char *url, struct curl_slist *hdr, struct transfer *t)
{
	CURL *h = c->curl;
	CURLcode rc;

	resp_reset(rs);
	c->curl_err[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
	if (strcmp(rq->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	} else if (strcmp(rq->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)(rq->body ? strlen(rq->body) : 0));
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
	}
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &rs->status);
	return rc;
}

int net_request(struct client *c, const struct net_req *rq, struct net_resp *rs)
{
	struct transfer t = { c, rq, rs, 0 };
	struct curl_slist *hdr;
	struct wbuf url;
	CURLcode rc = CURLE_OK;
	int attempt, oom, result = WS_EIO;

	wbuf_init(&url);
	wbuf_printf(&url, "%s/api/v1%s", c->server, rq->path);
	hdr = headers(c, rq, &oom);
	if (oom || url.err) {
		fprintf(c->err, "worlds: out of memory\n");
		result = WS_ENOMEM;
		goto out;
	}
	for (attempt = 0;; attempt++) {
		int64_t d;

		rc = perform(c, rq, rs, wbuf_cstr(&url), hdr, &t);
		if (attempt >= c->retries || !retryable(rq, rc, rs->status))
			break;
		d = delay_ms(rs, attempt + 1);
		if (!c->quiet && rc == CURLE_OK)
			fprintf(c->err, "worlds: %s answered %ld; again in %.1f s (%d of %d)\n",
			    c->server, rs->status, (double)d / 1000, attempt + 1, c->retries);
		else if (!c->quiet)
			fprintf(c->err, "worlds: cannot connect to %s; again in %.1f s (%d of %d)\n",
			    c->server, (double)d / 1000, attempt + 1, c->retries);
		if (!client_nap(c, d)) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
	}
	if (rc == CURLE_OK)
		result = WS_OK;
	else if (rc == CURLE_ABORTED_BY_CALLBACK || *c->interrupted)
		result = WS_ECANCEL;
	else if (t.sink_failed)
		result = WS_EINVAL;
	else if (rc == CURLE_WRITE_ERROR && rs->body.err)
		result = WS_ENOMEM;
	else
		say_no_answer(c, rc);
out:
	/* The handle keeps pointers to these: clear them before they go. */
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdr);
	wbuf_free(&url);
	return result;
}

int client_net_exit(int rc)
{
	switch (rc) {
	case WS_OK:
		return CLIENT_EXIT_OK;
	case WS_ECANCEL:
		return CLIENT_EXIT_INTERRUPTED;
	case WS_EIO:
		return CLIENT_EXIT_UNREACHABLE;
	default:
		return CLIENT_EXIT_USAGE; /* out of memory, a local write */
	}
}

int client_refused(struct client *c, const struct net_resp *rs)
{
	if (c->json && rs->body.len > 0)
		out_raw_json(c->out, &rs->body);
	out_error(c->err, c->server, rs->status, rs->body.len ? rs->body.p : "", rs->body.len);
	return rs->status >= 400 && rs->status < 500 ? CLIENT_EXIT_REFUSED : CLIENT_EXIT_SERVER;
}

int client_call(struct client *c, const struct net_req *rq, struct net_resp *rs,
    struct json_object **json)
{
	struct json_object *o;
	int rc;

	if (json != NULL)
		*json = NULL;
	rc = net_request(c, rq, rs);
	if (rc != WS_OK)
		return client_net_exit(rc);
	if (rs->status < 200 || rs->status >= 300)
		return client_refused(c, rs);
	if (json == NULL || rs->body.len == 0)
		return CLIENT_EXIT_OK;
	o = json_tokener_parse(wbuf_cstr(&rs->body));
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		fprintf(c->err, "worlds: HTTP %ld from %s is not a JSON object: %.100s\n", rs->status,
		    c->server, wbuf_cstr(&rs->body));
		return CLIENT_EXIT_SERVER;
	}
	*json = o;
	return CLIENT_EXIT_OK;
}
