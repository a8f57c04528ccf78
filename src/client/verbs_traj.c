/* trajectory-create, -list, -get, -replay. */
#include <string.h>

#include "client/internal.h"

int verb_traj_create(struct client *c, const struct verb_args *a)
{
	return verb_create(c, a, "/trajectories");
}

int verb_traj_list(struct client *c, const struct verb_args *a)
{
	return verb_list(c, a, "/trajectories", out_traj_columns, out_ntraj_columns);
}

int verb_traj_get(struct client *c, const struct verb_args *a)
{
	struct json_object *t = NULL;
	struct wbuf path;
	int rc;

	if (verb_uuid(c, "TRAJECTORY_ID", a->pos[0]) != WS_OK)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	verb_path(c, &path, "/trajectories/%s", a->pos[0]);
	rc = verb_show(c, wbuf_cstr(&path), out_traj_summary, out_ntraj_summary, &t);
	if (rc == CLIENT_EXIT_OK && !c->json) {
		fputc('\n', c->out);
		out_table(c->out, out_at(t, "steps"), out_step_columns, out_nstep_columns);
	}
	json_object_put(t);
	wbuf_free(&path);
	return rc;
}

int verb_traj_replay(struct client *c, const struct verb_args *a)
{
	struct wbuf path;
	int rc = CLIENT_EXIT_USAGE;

	if (verb_uuid(c, "TRAJECTORY_ID", a->pos[0]) != WS_OK)
		return CLIENT_EXIT_USAGE;
	wbuf_init(&path);
	verb_path(c, &path, "/trajectories/%s/replay", a->pos[0]);
	if (verb_query(a, &path) == WS_OK) {
		const struct dl_want w = { "trajectory replay", NULL, NULL };

		rc = download(c, wbuf_cstr(&path), verb_flag(a, "--output")->str, &w);
	}
	wbuf_free(&path);
	return rc;
}
