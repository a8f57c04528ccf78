/* Shared by the client module's files only. */
#ifndef WORLDS_CLIENT_INTERNAL_H
#define WORLDS_CLIENT_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "client/client.h"
#include "util/util.h"

/* ---- flags (args.c) -------------------------------------------------------------------- */

enum flag_kind {
	FLAG_BOOL,    /* present or not */
	FLAG_STR,     /* one value */
	FLAG_INT,     /* a whole decimal number (64-bit); bounds are the server's to check */
	FLAG_SECONDS, /* a positive number of seconds, fractions allowed */
	FLAG_LIST     /* repeatable: every value kept, in order */
};

/* One option of the program or of a verb. */
struct flag {
	const char *name;  /* "--num-users" */
	char short_name;   /* 'o', or 0 */
	enum flag_kind kind;
	const char *field; /* the request's body field or query parameter it fills, or NULL */
	const char *arg;   /* its value in help ("N", "FILE"), NULL for FLAG_BOOL */
	const char *help;
};

struct flag_val {
	int set;
	const char *str; /* as given (FLAG_STR, FLAG_INT, FLAG_SECONDS) */
	int64_t num;     /* FLAG_INT */
	double secs;     /* FLAG_SECONDS */
	const char **list; /* FLAG_LIST: n values (the array is owned; the strings are argv's) */
	size_t n;
};

/* Up to two tables of flags (the globals and a verb's) and the positional words. */
struct argset {
	const struct flag *table[2];
	size_t ntable[2];
	struct flag_val *val[2]; /* parallel to each table */
	const char **pos;
	size_t maxpos, npos;
};

/*
 * Parses argv[from..argc). With stop_at_word, stops at the first positional word (the verb)
 * and sets *next to its index (argc when there is none). WS_EINVAL with a message naming
 * the option, WS_ENOMEM.
 */
int args_parse(struct argset *s, int argc, char **argv, int from, int stop_at_word, int *next,
    char *err, size_t errlen);
void args_free(struct argset *s);
/* The value of the flag called name in table/val, or NULL when the table has none. */
const struct flag_val *args_get(const struct flag *table, size_t n, const struct flag_val *val,
    const char *name);
/* "  --num-users N       help" lines for a table. */
void args_help(FILE *f, const struct flag *table, size_t n);
/* text from column col on, wrapped to ARGS_WIDTH, lines after the first indented. */
#define ARGS_WIDTH 80
void args_wrap(FILE *f, int col, int indent, const char *text);

/* ---- the client ------------------------------------------------------------------------ */

#define CLIENT_TOKEN_MAX 8192
#define CLIENT_URL_MAX 1024

struct client {
	/* Settings: flags, then environment, then client.conf (settings.c). */
	char server[CLIENT_URL_MAX]; /* scheme://host[:port][/prefix], no /api/v1, no '/' at the end */
	char token[CLIENT_TOKEN_MAX + 1];
	char org[64];
	char ws[64];
	char cacert[CLIENT_URL_MAX];
	int insecure;
	int json;  /* print the server's JSON as is */
	int quiet; /* no progress, no notes; creating verbs print the id alone */
	int retries;
	/* Runtime. */
	CURL *curl;
	char curl_err[CURL_ERROR_SIZE];
	volatile sig_atomic_t *interrupted;
	FILE *out; /* results */
	FILE *err; /* progress, notes and errors */
	int err_tty;
	char base[CLIENT_URL_MAX + 256]; /* "/org/ORG/ws/WS/worlds" */
};

/* One verb: its flags, positional words, whether it needs a workspace, its handler. */
struct verb_args;
struct verb {
	const char *name;
	const char *synopsis; /* positional words, "MANIFEST_ID" */
	size_t npos;          /* exactly this many */
	int needs_ws;
	const struct flag *flags;
	size_t nflags;
	int (*run)(struct client *c, const struct verb_args *a);
	const char *summary;
	const char *help_extra; /* more help text, or NULL */
};

struct verb_args {
	const struct verb *verb;
	const struct flag_val *val; /* parallel to verb->flags */
	const char *const *pos;
	size_t npos;
};

/* The verb's flag called name (which must exist). */
const struct flag_val *verb_flag(const struct verb_args *a, const char *name);

extern const struct verb client_verbs[];
extern const size_t client_nverbs;
/* The verb called name, or NULL. */
const struct verb *client_verb_find(const char *name);

/* ---- settings (settings.c) ------------------------------------------------------------- */

enum {
	G_SERVER, G_TOKEN, G_TOKEN_FILE, G_ORG, G_WS, G_CACERT, G_INSECURE, G_JSON, G_QUIET,
	G_RETRIES, G_CONFIG, G_HELP, G_VERSION, G_COUNT
};
extern const struct flag client_globals[G_COUNT];

/*
 * Fills c's settings from the global flags gv, the environment and client.conf, and checks
 * them (server URL, token, and for a verb that needs one the organization and workspace).
 * WS_EINVAL with a message naming the flag, variable or file line.
 */
int settings_resolve(struct client *c, const struct flag_val *gv, int needs_ws, char *err,
    size_t errlen);
/* Environment variables and client.conf keys, for --help and the man page's test. */
void settings_help(FILE *f);

/* ---- HTTP over libcurl (net.c) --------------------------------------------------------- */

struct net_req {
	const char *method; /* "GET", "POST", "DELETE" */
	const char *path;   /* from /api/v1 on, query included */
	const char *body;   /* JSON, or NULL */
	const char *idempotency_key;
	/* Safe to send again: retried after 429, 502, 503, 504 and a refused connection. */
	int idempotent;
	/* When set, a 2xx body is streamed here instead of kept; non-zero stops the transfer. */
	int (*sink)(void *ctx, const char *p, size_t n);
	void *sink_ctx;
};

struct net_resp {
	long status;
	struct wbuf body; /* the body, unless a 2xx went to the sink */
	char etag[96];
	char retry_after[32];
};

int net_open(struct client *c, char *err, size_t errlen);
void net_close(struct client *c);
void net_resp_init(struct net_resp *r);
void net_resp_free(struct net_resp *r);
/*
 * One request, retried as net_req says. WS_OK when an answer came (any status); WS_EIO when
 * none did (said on c->err, naming the server); WS_ECANCEL when interrupted; WS_EINVAL
 * when the sink refused (the sink said why).
 */
int net_request(struct client *c, const struct net_req *rq, struct net_resp *rs);

/*
 * A request whose answer is the API's JSON: on 2xx, *json (when not NULL) holds the parsed
 * body (NULL for an empty one; json_object_put it). Anything else is rendered on c->err
 * (the envelope with --json also on c->out) and its exit status returned.
 */
int client_call(struct client *c, const struct net_req *rq, struct net_resp *rs,
    struct json_object **json);
/* Sleeps ms, waking at once on Ctrl-C: 0 when interrupted. */
int client_nap(struct client *c, int64_t ms);
/* The exit status for a request that got no answer (net_request's code). */
int client_net_exit(int rc);
/* A non-2xx answer rendered (client_call's way); its exit status. */
int client_refused(struct client *c, const struct net_resp *rs);

/* ---- output (out.c) -------------------------------------------------------------------- */

enum view_kind {
	V_STR,     /* a string, or a number as the server wrote it */
	V_TIME,    /* RFC 3339, shown to the second */
	V_PERCENT, /* a fraction in [0, 1] */
	V_BYTES,   /* a size: "1.2 MB (1234567 bytes)" in summaries */
	V_BOOL,    /* yes / no */
	V_LIST,    /* an array of strings, comma-separated */
	V_USER     /* {username, email}: "username <email>" */
};

/* One value of an API object: its label (a column title or a summary row), where it is. */
struct view {
	const char *label;
	const char *path; /* "stats.total_hosts" */
	enum view_kind kind;
};

/* The value at a dotted path, or NULL. */
struct json_object *out_at(struct json_object *o, const char *path);
/* The string at path (NULL when absent, null or not a string). */
const char *out_str(struct json_object *o, const char *path);
/* One value formatted into buf ("" when absent or null; "-" in tables). */
void out_value(struct json_object *v, enum view_kind kind, int wide, char *buf, size_t n);
/* "label   value" lines, rows with no value left out. */
void out_summary(FILE *f, struct json_object *o, const struct view *v, size_t n);
/* A table of items under column titles; empty: "(none)". */
void out_table(FILE *f, struct json_object *items, const struct view *v, size_t n);
/* {"items", "page", "page_size", "total"}: the table and a "page P of N, T in all" line. */
void out_page(FILE *f, struct json_object *page, const struct view *v, size_t n);
/*
 * A refusal or a server error: "worlds: HTTP 422 validation_error: detail" and one line per
 * field error ("num_users: Input should be ..."). A body that is not the envelope is named
 * as such, with its first bytes.
 */
void out_error(FILE *f, const char *server, long status, const char *body, size_t len);
/* Writes the server's JSON as is, with a newline at the end. */
int out_raw_json(FILE *f, const struct wbuf *b);

extern const struct view out_job_summary[], out_job_columns[], out_manifest_summary[],
    out_manifest_columns[], out_traj_summary[], out_traj_columns[], out_step_columns[];
extern const size_t out_njob_summary, out_njob_columns, out_nmanifest_summary,
    out_nmanifest_columns, out_ntraj_summary, out_ntraj_columns, out_nstep_columns;

/* ---- waiting for a job (wait.c) -------------------------------------------------------- */

struct wait_opts {
	double poll_sec;    /* between two looks, > 0 */
	double timeout_sec; /* 0: none */
	int cancel_on_interrupt;
};

/* Reads --poll-interval-sec, --timeout-sec, --cancel-on-interrupt of a verb. */
void wait_opts_from(const struct verb_args *a, struct wait_opts *w);
/*
 * Polls the job until it is terminal, drawing progress on c->err; prints the final job on
 * c->out (the JSON with --json, the id of what it made with --quiet). Returns the exit
 * status: completed 0, failed, cancelled, timeout, interrupted, or a request's.
 */
int wait_job(struct client *c, const char *job_id, const struct wait_opts *w);

/* The progress line's parts, pure for the tests: elapsed and eta in ms (eta < 0: none). */
void progress_line(char *buf, size_t n, int width, const char *job_id, const char *status,
    double progress, int64_t elapsed_ms, int64_t eta_ms);
/* The remaining time from two samples of progress (p0 at t0, p at t), or -1 when unknown. */
int64_t progress_eta(double p0, int64_t t0_ms, double p, int64_t t_ms);

/* ---- downloads (download.c) ------------------------------------------------------------ */

/*
 * What a download is checked against: the answer's ETag when it is a quoted sha256 (the
 * document's and the exports' are); else, when expect is set, the sha256 and size it
 * gives (size -1: unknown), e.g. from the manifest's record; else nothing.
 */
struct dl_want {
	const char *what; /* "manifest document", for messages */
	int (*expect)(struct client *c, const void *ctx, char sha256[65], int64_t *size);
	const void *ctx;
};

/*
 * GET path streamed to out_path (a temporary file beside it, renamed when the whole body
 * arrived and matched; NULL or "-" means c->out), checked as w says. Returns the exit
 * status.
 */
int download(struct client *c, const char *path, const char *out_path, const struct dl_want *w);

/* ---- shared by the verbs (verbs.c) ----------------------------------------------------- */

/* path = c->base + the printf'd rest. */
void verb_path(const struct client *c, struct wbuf *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* WS_OK when id is a UUID; else a message naming what (exit 2). */
int verb_uuid(struct client *c, const char *what, const char *id);
/* "?k=v&..." for every set flag of the verb with a field (values URL-encoded). */
int verb_query(const struct verb_args *a, struct wbuf *q);
/* The JSON body of every set flag of the verb with a field. */
int verb_body(const struct verb_args *a, struct wbuf *body);
/* GET a single object and print it (summary, or as is with --json). */
int verb_show(struct client *c, const char *path, const struct view *v, size_t n,
    struct json_object **keep);
/* GET a page and print it as a table (or as is with --json). */
int verb_list(struct client *c, const struct verb_args *a, const char *what,
    const struct view *v, size_t n);
/* POST a job-creating body; prints the job or waits for it with --wait. */
int verb_create(struct client *c, const struct verb_args *a, const char *what);

/* The verbs, by file. */
int verb_manifest_create(struct client *c, const struct verb_args *a);
int verb_manifest_list(struct client *c, const struct verb_args *a);
int verb_manifest_get(struct client *c, const struct verb_args *a);
int verb_manifest_download(struct client *c, const struct verb_args *a);
int verb_manifest_export(struct client *c, const struct verb_args *a);
int verb_manifest_delete(struct client *c, const struct verb_args *a);
int verb_traj_create(struct client *c, const struct verb_args *a);
int verb_traj_list(struct client *c, const struct verb_args *a);
int verb_traj_get(struct client *c, const struct verb_args *a);
int verb_traj_replay(struct client *c, const struct verb_args *a);
int verb_job_list(struct client *c, const struct verb_args *a);
int verb_job_get(struct client *c, const struct verb_args *a);
int verb_job_cancel(struct client *c, const struct verb_args *a);
int verb_job_wait(struct client *c, const struct verb_args *a);
int verb_whoami(struct client *c, const struct verb_args *a);

#endif
