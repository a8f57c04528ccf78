/*
 * The verbs, once each: name, positional words, flags (and the request field each fills),
 * handler, help. The public client's names (api.md), so scripts carry over. And what the
 * verbs share: paths, query strings and bodies built from the flag tables, show, list and
 * create.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "client/internal.h"

#define WAIT_TUNING                                                                         \
	{ "--poll-interval-sec", 0, FLAG_SECONDS, NULL, "S",                                \
	    "seconds between two looks at the job (default 2)" },                               \
	{ "--timeout-sec", 0, FLAG_SECONDS, NULL, "S", "stop waiting after S seconds (exit 4)" }, \
	{ "--cancel-on-interrupt", 0, FLAG_BOOL, NULL, NULL,                                \
	    "Ctrl-C cancels the job (without it, Ctrl-C only stops waiting)" }
#define WAIT_FLAGS                                                                          \
	{ "--wait", 0, FLAG_BOOL, NULL, NULL, "wait for the job to end; exit status as job-wait" }, \
	{ "--idempotency-key", 0, FLAG_STR, NULL, "KEY",                                    \
	    "the same KEY and body within 24 h give the first job again (and make retries safe)" }, \
	WAIT_TUNING
#define PAGE_FLAGS                                                                          \
	{ "--page", 0, FLAG_INT, "page", "N", "page number (default 1)" },                  \
	{ "--page-size", 0, FLAG_INT, "page_size", "N", "items per page (default 50)" },    \
	{ "--project-id", 0, FLAG_STR, "project_id", "UUID", "only this project's" },       \
	{ "--created-by", 0, FLAG_STR, "created_by", "UUID", "only this user's" }
#define OUTPUT_FLAG                                                                         \
	{ "--output", 'o', FLAG_STR, NULL, "FILE",                                          \
	    "write to FILE (a temporary file renamed when complete) instead of stdout" }

static const struct flag manifest_create_flags[] = {
	{ "--name", 0, FLAG_STR, "name", "TEXT", "display name (1-200 characters)" },
	{ "--preset", 0, FLAG_STR, "preset", "P", "small, medium, large or enterprise" },
	{ "--seed", 0, FLAG_INT, "seed", "N", "64-bit seed (default: the server draws one)" },
	{ "--num-users", 0, FLAG_INT, "num_users", "N", "users, 1-50000 (overrides the preset)" },
	{ "--num-hosts", 0, FLAG_INT, "num_hosts", "N", "hosts, 1-10000 (overrides the preset)" },
	{ "--domain", 0, FLAG_LIST, "domains", "FQDN", "a domain; repeat for more (1-16)" },
	{ "--project-id", 0, FLAG_STR, "project_id", "UUID",
	    "project (default: the workspace's default project)" },
	WAIT_FLAGS,
};
static const struct flag list_flags[] = { PAGE_FLAGS };
static const struct flag job_list_flags[] = {
	{ "--status", 0, FLAG_STR, "status", "S", "queued, running, completed, failed, cancelled" },
	{ "--kind", 0, FLAG_STR, "kind", "K", "manifest_generation or trajectory_generation" },
	PAGE_FLAGS,
};
static const struct flag traj_list_flags[] = {
	{ "--manifest-id", 0, FLAG_STR, "manifest_id", "UUID", "only this manifest's" },
	PAGE_FLAGS,
};
static const struct flag output_flags[] = { OUTPUT_FLAG };
static const struct flag export_flags[] = {
	{ "--format", 0, FLAG_STR, "format", "FORMAT",
	    "required: the export format, passed as is (known today: bloodhound, opengraph)" },
	OUTPUT_FLAG,
};
static const struct flag replay_flags[] = {
	{ "--source-format", 0, FLAG_STR, "source_format", "F",
	    "the replay's format, passed as is (default: the server's, worlds)" },
	OUTPUT_FLAG,
};
static const struct flag traj_create_flags[] = {
	{ "--manifest-id", 0, FLAG_STR, "manifest_id", "UUID", "the completed manifest (required)" },
	{ "--name", 0, FLAG_STR, "name", "TEXT", "display name" },
	{ "--project-id", 0, FLAG_STR, "project_id", "UUID", "project (must be the manifest's)" },
	{ "--goal", 0, FLAG_STR, "goal", "GOAL", "what to reach (default \"Domain Admins\")" },
	{ "--count", 0, FLAG_INT, "count", "N", "trajectories to sample, 1-100 (default 1)" },
	{ "--strategy", 0, FLAG_STR, "strategy", "S",
	    "random, greedy, recon-first or smart-random (default random)" },
	{ "--max-steps", 0, FLAG_INT, "max_steps", "N", "steps per trajectory, 1-1000 (default 100)" },
	{ "--seed", 0, FLAG_INT, "seed", "N", "sampling seed (default 42)" },
	{ "--threads", 0, FLAG_INT, "threads", "N", "sampler threads, 1-16" },
	{ "--only-successful", 0, FLAG_BOOL, "only_successful", NULL,
	    "keep only trajectories that reach the goal" },
	{ "--mode", 0, FLAG_STR, "mode", "M", "kali or c2 (default kali)" },
	WAIT_FLAGS,
};
static const struct flag wait_flags[] = { WAIT_TUNING };

#define FLAGS(t) t, W_ARRAY_LEN(t)
#define NOFLAGS NULL, 0

const struct verb client_verbs[] = {
	{ "manifest-create", "", 0, 1, FLAGS(manifest_create_flags), verb_manifest_create,
	    "start a manifest job (a world); --wait waits for it", NULL },
	{ "manifest-list", "", 0, 1, FLAGS(list_flags), verb_manifest_list,
	    "list the workspace's manifests, newest first", NULL },
	{ "manifest-get", "MANIFEST_ID", 1, 1, NOFLAGS, verb_manifest_get,
	    "show one manifest", NULL },
	{ "manifest-download", "MANIFEST_ID", 1, 1, FLAGS(output_flags), verb_manifest_download,
	    "the manifest document, checked against its size and sha256",
	    "The document streams to disk in constant memory. With -o, a partial or corrupt\n"
	    "download never replaces FILE.\n" },
	{ "manifest-export", "MANIFEST_ID", 1, 1, FLAGS(export_flags), verb_manifest_export,
	    "the manifest in another format (--format, required)",
	    "Formats known today: bloodhound (a SharpHound v6 zip), opengraph (BloodHound\n"
	    "OpenGraph JSON). The server decides what it offers: any FORMAT is passed on, and\n"
	    "one it does not know is refused with its error envelope. When the answer's ETag is\n"
	    "a sha256, the bytes are checked against it.\n" },
	{ "manifest-delete", "MANIFEST_ID", 1, 1, NOFLAGS, verb_manifest_delete,
	    "delete a manifest and its graph (admin)", NULL },
	{ "trajectory-create", "", 0, 1, FLAGS(traj_create_flags), verb_traj_create,
	    "sample attack paths over a completed manifest; --wait waits for the job", NULL },
	{ "trajectory-list", "", 0, 1, FLAGS(traj_list_flags), verb_traj_list,
	    "list trajectories, newest first", NULL },
	{ "trajectory-get", "TRAJECTORY_ID", 1, 1, NOFLAGS, verb_traj_get,
	    "show one trajectory and its steps", NULL },
	{ "trajectory-replay", "TRAJECTORY_ID", 1, 1, FLAGS(replay_flags), verb_traj_replay,
	    "the trajectory's replay document", NULL },
	{ "job-list", "", 0, 1, FLAGS(job_list_flags), verb_job_list,
	    "list jobs, newest first", NULL },
	{ "job-get", "JOB_ID", 1, 1, NOFLAGS, verb_job_get, "show one job", NULL },
	{ "job-cancel", "JOB_ID", 1, 1, NOFLAGS, verb_job_cancel, "cancel a job", NULL },
	{ "job-wait", "JOB_ID", 1, 1, FLAGS(wait_flags), verb_job_wait,
	    "wait until the job ends; exit 0 only when it completed",
	    "On a terminal a progress line is redrawn in place; otherwise a timestamped line\n"
	    "is printed whenever the status or the percent changes. Ctrl-C stops waiting and\n"
	    "leaves the job running, unless --cancel-on-interrupt.\n" },
	{ "whoami", "", 0, 0, NOFLAGS, verb_whoami,
	    "who the token is, and your organizations and workspaces", NULL },
};
const size_t client_nverbs = W_ARRAY_LEN(client_verbs);

const struct verb *client_verb_find(const char *name)
{
	size_t i;

	for (i = 0; i < client_nverbs; i++)
		if (strcmp(client_verbs[i].name, name) == 0)
			return &client_verbs[i];
	return NULL;
}

const struct flag_val *verb_flag(const struct verb_args *a, const char *name)
{
	static const struct flag_val unset;
	const struct flag_val *v = args_get(a->verb->flags, a->verb->nflags, a->val, name);

	return v != NULL ? v : &unset;
}

void verb_path(const struct client *c, struct wbuf *path, const char *fmt, ...)
{
	va_list ap;
	char rest[512];

	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	wbuf_reset(path);
	wbuf_printf(path, "%s%s", c->base, rest);
}

int verb_uuid(struct client *c, const char *what, const char *id)
{
	if (uuid_version(id) >= 0)
		return WS_OK;
	fprintf(c->err, "worlds: %s '%.100s' is not a UUID\n", what, id);
	return WS_EINVAL;
}

/* application/x-www-form-urlencoded, as the server's query parser reads it. */
static void urlencode(struct wbuf *b, const char *s)
{
	static const char digits[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '~') {
			wbuf_putc(b, (char)ch);
		} else {
			wbuf_putc(b, '%');
			wbuf_putc(b, digits[ch >> 4]);
			wbuf_putc(b, digits[ch & 15]);
		}
	}
}

int verb_query(const struct verb_args *a, struct wbuf *q)
{
	size_t i;
	char sep = '?';

	for (i = 0; i < a->verb->nflags; i++) {
		const struct flag *f = &a->verb->flags[i];
		const char *v = a->val[i].str;

		/* api.md: list commands page with page_size=50. */
		if (!a->val[i].set && f->field != NULL && strcmp(f->field, "page_size") == 0)
			v = "50";
		else if (!a->val[i].set || f->field == NULL)
			continue;
		wbuf_putc(q, sep);
		wbuf_printf(q, "%s=", f->field);
		urlencode(q, v);
		sep = '&';
	}
	return q->err ? WS_ENOMEM : WS_OK;
}

int verb_body(const struct verb_args *a, struct wbuf *body)
{
	struct jw w;
	size_t i, k;

	jw_init(&w, body, 0);
	jw_obj_begin(&w);
	for (i = 0; i < a->verb->nflags; i++) {
		const struct flag *f = &a->verb->flags[i];
		const struct flag_val *v = &a->val[i];

		if (!v->set || f->field == NULL)
			continue;
		switch (f->kind) {
		case FLAG_BOOL:
			jw_kbool(&w, f->field, 1);
			break;
		case FLAG_INT:
			jw_kint(&w, f->field, v->num);
			break;
		case FLAG_LIST:
			jw_key(&w, f->field);
			jw_arr_begin(&w);
			for (k = 0; k < v->n; k++)
				jw_str(&w, v->list[k]);
			jw_arr_end(&w);
			break;
		case FLAG_STR:
		case FLAG_SECONDS:
			jw_kstr(&w, f->field, v->str);
			break;
		}
	}
	jw_obj_end(&w);
	return jw_finish(&w);
}

int verb_show(struct client *c, const char *path, const struct view *v, size_t n,
    struct json_object **keep)
{
	struct net_req rq = { "GET", path, NULL, NULL, 1, NULL, NULL };
	struct net_resp rs;
	struct json_object *o = NULL;
	int rc;

	net_resp_init(&rs);
	rc = client_call(c, &rq, &rs, &o);
	if (rc == CLIENT_EXIT_OK) {
		if (c->json)
			out_raw_json(c->out, &rs.body);
		else
			out_summary(c->out, o, v, n);
	}
	if (keep != NULL && rc == CLIENT_EXIT_OK)
		*keep = o;
	else
		json_object_put(o);
	net_resp_free(&rs);
	return rc;
}

int verb_list(struct client *c, const struct verb_args *a, const char *what,
    const struct view *v, size_t n)
{
	struct net_req rq = { "GET", NULL, NULL, NULL, 1, NULL, NULL };
	struct net_resp rs;
	struct json_object *o = NULL;
	struct wbuf path;
	int rc = CLIENT_EXIT_USAGE;

	wbuf_init(&path);
	net_resp_init(&rs);
	verb_path(c, &path, "%s", what);
	if (verb_query(a, &path) != WS_OK)
		goto out;
	rq.path = wbuf_cstr(&path);
	rc = client_call(c, &rq, &rs, &o);
	if (rc == CLIENT_EXIT_OK) {
		if (c->json)
			out_raw_json(c->out, &rs.body);
		else
			out_page(c->out, o, v, n);
	}
out:
	json_object_put(o);
	net_resp_free(&rs);
	wbuf_free(&path);
	return rc;
}

int verb_create(struct client *c, const struct verb_args *a, const char *what)
{
	const struct flag_val *key = verb_flag(a, "--idempotency-key");
	struct net_req rq = { "POST", NULL, NULL, NULL, 0, NULL, NULL };
	struct net_resp rs;
	struct json_object *job = NULL;
	struct wbuf path, body;
	struct wait_opts w;
	int rc = CLIENT_EXIT_USAGE;

	wbuf_init(&path);
	wbuf_init(&body);
	net_resp_init(&rs);
	verb_path(c, &path, "%s", what);
	if (verb_body(a, &body) != WS_OK || path.err) {
		fprintf(c->err, "worlds: out of memory\n");
		goto out;
	}
	rq.path = wbuf_cstr(&path);
	rq.body = wbuf_cstr(&body);
	/* With a key, the server answers a repeat with the first job: safe to send again. */
	rq.idempotency_key = key->set ? key->str : NULL;
	rq.idempotent = key->set;
	rc = client_call(c, &rq, &rs, &job);
	if (rc != CLIENT_EXIT_OK)
		goto out;
	if (out_str(job, "id") == NULL) {
		fprintf(c->err, "worlds: the answer names no job: %.200s\n", wbuf_cstr(&rs.body));
		rc = CLIENT_EXIT_SERVER;
		goto out;
	}
	if (verb_flag(a, "--wait")->set) {
		wait_opts_from(a, &w);
		rc = wait_job(c, out_str(job, "id"), &w);
	} else if (c->json) {
		out_raw_json(c->out, &rs.body);
	} else if (c->quiet) {
		fprintf(c->out, "%s\n", out_str(job, "id"));
	} else {
		out_summary(c->out, job, out_job_summary, out_njob_summary);
	}
out:
	json_object_put(job);
	net_resp_free(&rs);
	wbuf_free(&body);
	wbuf_free(&path);
	return rc;
}
