/*
 * http: the FastCGI side of worlds-api. A master that owns the listening socket, forks
 * and respawns workers, reloads on SIGHUP and drains on SIGTERM; workers that read one
 * request at a time into struct http_req and write struct http_resp back; the route
 * matcher; and the one function that writes every error envelope.
 */
#ifndef WORLDS_HTTP_H
#define WORLDS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define HTTP_MAX_BODY (64 * 1024)
#define HTTP_MAX_PARAMS 4

/* Every error the API answers: name, status, envelope type, default detail. */
#define HTTP_ERRORS(X)                                                                       \
	X(HTTP_E_INVALID, 400, "invalid_error", "Invalid request")                           \
	X(HTTP_E_AUTHN, 401, "authentication_error", "Authentication required")              \
	X(HTTP_E_TOKEN, 401, "token_error", "Invalid token")                                 \
	X(HTTP_E_EXPIRED, 401, "expired_token_error", "Token expired")                       \
	X(HTTP_E_FORBIDDEN, 403, "forbidden_error", "Access forbidden")                      \
	X(HTTP_E_NOT_FOUND, 404, "not_found_error", "Not found")                             \
	X(HTTP_E_METHOD, 405, "invalid_error", "Method not allowed")                         \
	X(HTTP_E_CONFLICT, 409, "conflict_error", "Conflict")                                \
	X(HTTP_E_VALIDATION, 422, "validation_error", "Validation error")                    \
	X(HTTP_E_UPGRADE, 426, "upgrade_required_error", "Use HTTPS")                        \
	X(HTTP_E_USAGE, 429, "usage_limit_exceeded_error", "Usage limit exceeded")          \
	X(HTTP_E_DATABASE, 500, "database_error", "Database unavailable")                   \
	X(HTTP_E_SERVER, 500, "server_error", "Internal server error")

enum http_error {
#define HTTP_ERR_ENUM(name, code, type, detail) name,
	HTTP_ERRORS(HTTP_ERR_ENUM)
#undef HTTP_ERR_ENUM
	HTTP_E_COUNT
};

enum http_method { HTTP_GET, HTTP_POST, HTTP_DELETE, HTTP_PUT, HTTP_PATCH, HTTP_HEAD,
	HTTP_OTHER };

struct http_req {
	enum http_method method;
	const char *method_name;
	const char *path;
	const char *query;
	const char *content_type;
	const char *authorization;
	const char *request_id;
	const char *idempotency_key;
	const char *if_none_match;
	char *body;          /* NUL-terminated copy of exactly content_length bytes */
	size_t body_len;
	/* Path parameters captured by the route ({...} segments), in order. */
	char param[HTTP_MAX_PARAMS][256];
	size_t nparams;
	int64_t start_us;
};

struct http_resp {
	int status;
	struct wbuf headers; /* extra header lines, each ending in \r\n */
	struct wbuf body;
	const char *content_type; /* NULL: application/json; charset=utf-8 */
	/* Set by the server: writes bytes to the client (a streamed answer's, see below). */
	int (*put)(void *ctx, const char *p, size_t n);
	void *put_ctx;
	int streamed;        /* the head is out: the body goes by http_resp_write */
	int stream_failed;   /* the client went away (or never could be written to) */
};

void http_resp_init(struct http_resp *r);
void http_resp_free(struct http_resp *r);
void http_resp_reset(struct http_resp *r);
void http_resp_header(struct http_resp *r, const char *name, const char *value);
/* Status and JSON body in one step; json is the whole body. */
void http_resp_json(struct http_resp *r, int status, const char *json, size_t len);
/*
 * The response head (Status, Content-Type, Content-Length when with_length, the extra
 * headers, the blank line) into out; what the server writes before any body.
 */
void http_resp_head(const struct http_resp *r, int with_length, struct wbuf *out);
/*
 * A streamed answer, for bodies too big to hold (exports, batches): sends the status,
 * content_type (NULL: JSON) and the headers set so far at once, without Content-Length
 * (the end of the FastCGI stream ends the body), then http_resp_write sends body bytes as
 * they are made. Nothing can be answered differently afterwards: a failure later only
 * cuts the body short (log it). WS_OK, or WS_EIO once the client is gone (then stop).
 */
int http_resp_stream(struct http_resp *r, int status, const char *content_type);
int http_resp_write(struct http_resp *r, const char *p, size_t n);

/* The one writer of error envelopes. detail NULL means the table's default. */
void http_error(struct http_resp *r, enum http_error e, const char *detail);
/* 422 (or 400 with invalid_error when code400 is set) listing every failing field. */
void http_error_fields(struct http_resp *r, enum http_error e, const char *detail,
    const struct verrs *v);
int http_error_status(enum http_error e);
const char *http_error_type(enum http_error e);
/* The reason phrase of a status code ("OK", "Not Found", ...). */
const char *http_reason(int status);

/* ---- routes ------------------------------------------------------------------------ */

struct http_route {
	enum http_method method;
	const char *pattern; /* "/api/v1/org/{}/ws/{}/worlds/jobs/{}"; {} is one segment */
	int (*handler)(void *app, struct http_req *req, struct http_resp *resp);
	int role; /* minimum role the handler needs; the app decides what it means */
};

enum http_match { HTTP_MATCH_OK, HTTP_MATCH_NONE, HTTP_MATCH_METHOD };

/*
 * Finds the route for method + path. On HTTP_MATCH_OK, *found is set and the {}
 * segments are copied into req->param. On HTTP_MATCH_METHOD (path known, method not),
 * allow receives the comma-separated methods the path does take. Pure: for fuzzing.
 */
enum http_match http_route_find(const struct http_route *routes, size_t n,
    struct http_req *req, const struct http_route **found, char *allow, size_t allowlen);
enum http_method http_method_parse(const char *s);
const char *http_method_name(enum http_method m);

/* Value of name in a query string (application/x-www-form-urlencoded), decoded into out.
 * Returns 1 when present, 0 when absent, HTTP_QUERY_MALFORMED for a '%' not followed by
 * two hex digits or an encoded NUL, HTTP_QUERY_TOO_LONG when it does not fit in out. */
#define HTTP_QUERY_MALFORMED (-1)
#define HTTP_QUERY_TOO_LONG (-2)
int http_query_get(const char *query, const char *name, char *out, size_t outlen);

/* ---- server ------------------------------------------------------------------------ */

struct conf;

/* What the application plugs into the server. */
struct http_app {
	/*
	 * Called in the master at start and on each SIGHUP, with the configuration then (may
	 * be NULL): *shared is what every worker of that generation starts from, inherited
	 * through fork, so a worker restarted after a crash gets the same (the key ring).
	 * Non-zero, with a message in err: at start the workers get NULL; on SIGHUP the reload
	 * is refused and the running workers keep serving as they are.
	 */
	int (*master_load)(const struct conf *c, void **shared, char *err, size_t errlen);
	void (*master_free)(void *shared);
	/* Called in each worker after fork, with master_load's state: returns the worker's
	 * private state. */
	void *(*worker_init)(const struct conf *c, void *shared);
	void (*worker_free)(void *app);
	/* Answers one request; resp is preset to 200 with empty body. */
	void (*handle)(void *app, struct http_req *req, struct http_resp *resp);
	/* Called in the master about every conf->tick_interval_ms (may be NULL). */
	void (*tick)(const struct conf *c, void **tick_state);
	void (*tick_free)(void *tick_state);
};

/*
 * Runs the master until SIGTERM/SIGINT. config_path is reread on SIGHUP (NULL: the
 * default place). Returns the process exit status.
 */
int http_serve(const char *config_path, const struct http_app *app);

/* sd_notify by hand: sends state ("READY=1") to $NOTIFY_SOCKET when set. */
void http_notify(const char *state);

#endif
