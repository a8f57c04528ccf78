/* job-list, -get, -cancel, -wait, and whoami. */
#include <string.h>

#include "client/internal.h"

int verb_job_list(struct client *c, const struct verb_args *a)
{
	return verb_list(c, a, "/jobs", out_job_columns, out_njob_columns);
}

int verb_job_get(struct client *c, const struct verb_args *a)
{
	struct wbuf path;
	int rc;

	if (verb_uuid(c, "JOB_ID", a->pos[0]) != WS_OK)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	verb_path(c, &path, "/jobs/%s", a->pos[0]);
	rc = verb_show(c, wbuf_cstr(&path), out_job_summary, out_njob_summary, NULL);
	wbuf_free(&path);
	return rc;
}

int verb_job_cancel(struct client *c, const struct verb_args *a)
{
	/* Cancelling twice is harmless (200, unchanged): safe to send again. */
	struct net_req rq = { "POST", NULL, NULL, NULL, 1, NULL, NULL };
	struct net_resp rs;
	struct json_object *job = NULL;
	struct wbuf path;
	int rc;

	if (verb_uuid(c, "JOB_ID", a->pos[0]) != WS_OK)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	net_resp_init(&rs);
	verb_path(c, &path, "/jobs/%s/cancel", a->pos[0]);
	rq.path = wbuf_cstr(&path);
	rc = client_call(c, &rq, &rs, &job);
	if (rc == CLIENT_EXIT_OK) {
		if (c->json)
			out_raw_json(c->out, &rs.body);
		else if (!c->quiet)
			out_summary(c->out, job, out_job_summary, out_njob_summary);
	}
	json_object_put(job);
	net_resp_free(&rs);
	wbuf_free(&path);
	return rc;
}

int verb_job_wait(struct client *c, const struct verb_args *a)
{
	struct wait_opts w;

	if (verb_uuid(c, "JOB_ID", a->pos[0]) != WS_OK)
		return CLIENT_EXIT_USAGE;
	wait_opts_from(a, &w);
	return wait_job(c, a->pos[0], &w);
}

static const struct view me_user[] = {
	{ "user", "user.username", V_STR },
	{ "email", "user.email", V_STR },
	{ "name", "user.full_name", V_STR },
	{ "id", "user.id", V_STR },
	{ "server", "server", V_STR },
};
static const struct view me_columns[] = {
	{ "", "current", V_STR },
	{ "ORGANIZATION", "organization", V_STR },
	{ "WORKSPACE", "workspace", V_STR },
	{ "ROLE", "role", V_STR },
	{ "DEFAULT PROJECT", "default_project_id", V_STR },
};

/* One row per workspace, its organization beside it, the one in use marked. */
static struct json_object *me_rows(const struct client *c, struct json_object *me)
{
	struct json_object *orgs = out_at(me, "organizations"), *rows = json_object_new_array();
	size_t i, k, n = json_object_is_type(orgs, json_type_array) ?
	    json_object_array_length(orgs) : 0;

	for (i = 0; rows != NULL && i < n; i++) {
		struct json_object *o = json_object_array_get_idx(orgs, i);
		struct json_object *wss = out_at(o, "workspaces");
		const char *org = out_str(o, "slug");
		size_t m = json_object_is_type(wss, json_type_array) ? json_object_array_length(wss) : 0;

		for (k = 0; k < m; k++) {
			struct json_object *w = json_object_array_get_idx(wss, k);
			struct json_object *r = json_object_new_object();
			const char *ws = out_str(w, "slug");
			int here = org != NULL && ws != NULL && strcmp(org, c->org) == 0 &&
			    strcmp(ws, c->ws) == 0;

			if (r == NULL)
				continue;
			json_object_object_add(r, "current", json_object_new_string(here ? "*" : " "));
			json_object_object_add(r, "organization", json_object_new_string(org ? org : ""));
			json_object_object_add(r, "workspace", json_object_new_string(ws ? ws : ""));
			json_object_object_add(r, "role", json_object_get(out_at(w, "role")));
			json_object_object_add(r, "default_project_id",
			    json_object_get(out_at(w, "default_project_id")));
			json_object_array_add(rows, r);
		}
	}
	return rows;
}

int verb_whoami(struct client *c, const struct verb_args *a)
{
	struct net_req rq = { "GET", "/me", NULL, NULL, 1, NULL, NULL };
	struct net_resp rs;
	struct json_object *me = NULL, *rows;
	int rc;

	(void)a;
	net_resp_init(&rs);
	rc = client_call(c, &rq, &rs, &me);
	if (rc == CLIENT_EXIT_OK && c->json) {
		out_raw_json(c->out, &rs.body);
	} else if (rc == CLIENT_EXIT_OK) {
		json_object_object_add(me, "server", json_object_new_string(c->server));
		out_summary(c->out, me, me_user, W_ARRAY_LEN(me_user));
		fputc('\n', c->out);
		rows = me_rows(c, me);
		out_table(c->out, rows, me_columns, W_ARRAY_LEN(me_columns));
		json_object_put(rows);
	}
	json_object_put(me);
	net_resp_free(&rs);
	return rc;
}
