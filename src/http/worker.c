/* One worker: accepts FastCGI requests one at a time until told to stop. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "conf/conf.h"
#include "http/http.h"
#include "http/internal.h"

/* Set by SIGTERM: finish the request in hand, then leave. */
static volatile sig_atomic_t worker_stop;

static void on_term(int sig)
{
	(void)sig;
	worker_stop = 1;
	FCGX_ShutdownPending();
}

static const char *param(FCGX_Request *rq, const char *name)
{
	return FCGX_GetParam(name, rq->envp);
}

/* Reads exactly the announced body; WS_EINVAL with a reason when that is not possible. */
static int read_body(FCGX_Request *rq, struct http_req *req, const char **why)
{
	const char *cl = param(rq, "CONTENT_LENGTH");
	int64_t n = 0;
	int got;

	req->body = NULL;
	req->body_len = 0;
	if (cl != NULL && *cl != '\0' && (parse_i64(cl, &n) != WS_OK || n < 0)) {
		*why = "Content-Length is not a number";
		return WS_EINVAL;
	}
	if (n > HTTP_MAX_BODY) {
		*why = "Request body is larger than 64 KiB";
		return WS_EINVAL;
	}
	req->body = malloc((size_t)n + 1);
	if (req->body == NULL) {
		*why = NULL;
		return WS_ENOMEM;
	}
	got = n > 0 ? FCGX_GetStr(req->body, (int)n, rq->in) : 0;
	if (got != (int)n) {
		*why = "Request body is shorter than its Content-Length";
		return WS_EINVAL;
	}
	req->body[n] = '\0';
	req->body_len = (size_t)n;
	return WS_OK;
}

static void fill_request(FCGX_Request *rq, struct http_req *req)
{
	const char *m = param(rq, "REQUEST_METHOD");
	const char *path = param(rq, "DOCUMENT_URI");

	memset(req, 0, sizeof(*req));
	req->start_us = time_mono_us();
	req->method_name = m ? m : "";
	req->method = http_method_parse(req->method_name);
	if (path == NULL)
		path = param(rq, "SCRIPT_NAME");
	req->path = path ? path : "";
	req->query = param(rq, "QUERY_STRING");
	req->content_type = param(rq, "CONTENT_TYPE");
	req->authorization = param(rq, "HTTP_AUTHORIZATION");
	req->request_id = param(rq, "REQUEST_ID");
	if (req->request_id == NULL)
		req->request_id = param(rq, "HTTP_X_REQUEST_ID");
	req->idempotency_key = param(rq, "HTTP_IDEMPOTENCY_KEY");
	req->if_none_match = param(rq, "HTTP_IF_NONE_MATCH");
}

/* http_resp.put: libfcgi's output stream. */
static int put_out(void *ctx, const char *p, size_t n)
{
	FCGX_Stream *out = ctx;

	while (n > 0) {
		int k = n > (1u << 30) ? 1 << 30 : (int)n;

		if (FCGX_PutStr(p, k, out) != k)
			return WS_EIO;
		p += k;
		n -= (size_t)k;
	}
	return WS_OK;
}

/* libfcgi's printf does not know %zu: the head is formatted here, written with
 * FCGX_PutStr. A streamed answer has been written already. */
static void write_response(FCGX_Request *rq, struct http_resp *resp, struct wbuf *head)
{
	int with_body = resp->status != 204 && resp->status != 304;

	if (resp->streamed)
		return;
	if (resp->body.err || resp->headers.err) {
		http_resp_reset(resp);
		http_error(resp, HTTP_E_SERVER, "Out of memory");
	}
	wbuf_reset(head);
	http_resp_head(resp, with_body, head);
	put_out(rq->out, head->p, head->len);
	if (with_body && resp->body.len > 0)
		put_out(rq->out, resp->body.p, resp->body.len);
}

static void serve_one(const struct http_app *app, void *state, const struct conf *c,
    FCGX_Request *rq, struct http_resp *resp, struct wbuf *head)
{
	struct http_req req;
	const char *why = NULL;
	int rc;

	fill_request(rq, &req);
	http_resp_reset(resp);
	resp->put = put_out;
	resp->put_ctx = rq->out;
	resp->streamed = resp->stream_failed = 0;
	rc = read_body(rq, &req, &why);
	if (rc == WS_EINVAL)
		http_error(resp, HTTP_E_INVALID, why);
	else if (rc != WS_OK)
		http_error(resp, HTTP_E_SERVER, "Out of memory");
	else
		app->handle(state, &req, resp);
	write_response(rq, resp, head);
	if (c->log_level >= CONF_LOG_INFO)
		wlog("%s %s %d %.3fms %s", req.method_name, req.path, resp->status,
		    (double)(time_mono_us() - req.start_us) / 1000.0,
		    req.request_id ? req.request_id : "-");
	free(req.body);
}

int http_worker_run(const struct conf *c, int listen_fd, const struct http_app *app,
    void *shared)
{
	struct sigaction sa;
	FCGX_Request rq;
	struct http_resp resp;
	struct wbuf head;
	void *state = NULL;
	int status = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: accept() must wake up */
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);

	if (FCGX_Init() != 0 || FCGX_InitRequest(&rq, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		wlog("worlds-api: worker: cannot initialise libfcgi");
		return 1;
	}
	http_resp_init(&resp);
	wbuf_init(&head);
	state = app->worker_init ? app->worker_init(c, shared) : NULL;
	while (!worker_stop) {
		if (FCGX_Accept_r(&rq) < 0) {
			if (worker_stop || errno == EINTR)
				continue;
			wlog("worlds-api: worker: accept failed: %s", strerror(errno));
			status = 1;
			break;
		}
		serve_one(app, state, c, &rq, &resp, &head);
		FCGX_Finish_r(&rq);
	}
	if (app->worker_free)
		app->worker_free(state);
	http_resp_free(&resp);
	wbuf_free(&head);
	FCGX_Free(&rq, 0);
	return status;
}
