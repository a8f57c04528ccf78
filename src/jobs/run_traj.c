/*
 * A trajectory_generation job from claim to terminal state. The world is rebuilt from the
 * manifest's own job parameters (same parameters + seed + generator version => the same
 * world, cheaper than parsing the stored document), sampled trajectory by trajectory with
 * progress and cancel between them (src/traj), and stored in one transaction: the
 * trajectories (traj_store) and the job's last move (queue.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "gen/gen.h"
#include "jobs/internal.h"
#include "traj/traj.h"

#define P_WORLD 0.05
#define P_SAMPLED 0.95

struct job {
	const struct traj_graph *g;
	const struct traj_params *p;
	int (*progress)(void *, double);
	void *ctx;
	struct traj_kept *k;
	int n;
	int stop; /* what progress answered */
};

static int on_trajectory(void *ctx, const struct traj_result *r)
{
	struct job *j = ctx;
	struct traj_kept *k = &j->k[j->n];

	uuid_v4(k->id);
	k->index = r->sequence_index;
	k->success = r->success;
	k->steps = r->step_count;
	k->reason = r->termination_reason;
	if ((k->steps_json = strdup(wbuf_cstr((struct wbuf *)&r->steps))) == NULL)
		return j->stop = 3;
	j->n++;
	j->stop = j->progress(j->ctx, P_WORLD + (P_SAMPLED - P_WORLD) * j->n / j->p->count);
	return j->stop;
}

/* The result object: what was asked, kept and tried, and the ids in sequence order. */
static char *result_json(const struct job *j, const char *batch, int tried, int succ,
    int cancelled)
{
	struct wbuf b;
	struct jw w;
	char *s = NULL;
	int i;

	wbuf_init(&b);
	jw_init(&w, &b, 0);
	jw_obj_begin(&w);
	jw_kstr(&w, "batch_id", batch);
	jw_kint(&w, "count", j->p->count);
	jw_kint(&w, "kept", j->n);
	jw_kint(&w, "tried", tried);
	jw_kint(&w, "successful", succ);
	jw_kbool(&w, "cancelled", cancelled);
	jw_key(&w, "trajectory_ids");
	jw_arr_begin(&w);
	for (i = 0; i < j->n; i++)
		jw_str(&w, j->k[i].id);
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (jw_finish(&w) == WS_OK)
		s = strdup(wbuf_cstr(&b));
	wbuf_free(&b);
	return s;
}

static int store(struct db *db, const char *job_id, const struct job *j, int tried,
    int cancelled, char *err, size_t errlen)
{
	char batch[37], *result = NULL;
	const char *res_id;
	int i, rc, succ = 0;

	uuid_v4(batch);
	for (i = 0; i < j->n; i++)
		succ += j->k[i].success;
	/* one trajectory asked: the trajectory itself; a batch: its id; nothing kept: none */
	res_id = j->n == 0 ? NULL : j->p->count == 1 ? j->k[0].id : batch;
	if ((result = result_json(j, batch, tried, succ, cancelled)) == NULL)
		return WS_ENOMEM;
	rc = db_begin(db);
	if (rc == WS_OK)
		rc = traj_store(db, job_id, batch, j->k, j->n,
		    j->g != NULL ? traj_graph_foothold(j->g) : NULL, j->p->seed);
	if (rc == WS_OK)
		rc = jobs_complete(db, job_id, res_id, result, JOBS_COMPLETE_OR_CANCELLED);
	if (rc == WS_OK)
		rc = db_commit(db);
	if (rc != WS_OK) {
		db_rollback(db);
		snprintf(err, errlen, "%s", db->err);
	}
	free(result);
	return rc;
}

/* The manifest's world parameters and this job's sampling parameters. */
static int load(struct db *db, const char *job_id, const char *params_json,
    struct gen_params *gp, struct traj_params *tp, char *err, size_t errlen)
{
	const char *p[1] = { job_id };
	struct json_object *o = NULL, *mo = NULL;
	struct verrs v;
	PGresult *r;
	int rc = WS_EINVAL;

	verrs_init(&v);
	r = db_run(db, "SELECT mj.params::text, m.generator_version FROM jobs t"
	    " JOIN manifests m ON m.id = (t.params->>'manifest_id')::uuid"
	    " JOIN jobs mj ON mj.id = m.source_job_id WHERE t.id = $1", 1, p, 0);
	if (r == NULL) {
		snprintf(err, errlen, "%s", db->err);
		return WS_EDB;
	}
	if (PQntuples(r) != 1) {
		snprintf(err, errlen, "the manifest is gone (deleted since the job was created)");
		goto out;
	}
	if (strcmp(PQgetvalue(r, 0, 1), gen_version()) != 0) {
		snprintf(err, errlen, "the manifest was made by generator %s and this is %s: its "
		    "world cannot be rebuilt here", PQgetvalue(r, 0, 1), gen_version());
		goto out;
	}
	o = json_tokener_parse(params_json);
	mo = json_tokener_parse(PQgetvalue(r, 0, 0));
	if (o == NULL || mo == NULL || traj_params_from_json(o, tp, &v) != WS_OK ||
	    gen_params_from_json(mo, gp, &v) != WS_OK || gen_params_resolve(gp) != WS_OK) {
		snprintf(err, errlen, "invalid parameters%s%s; recreate the job",
		    v.n ? ": " : "", v.n ? v.item[0].msg : "");
		goto out;
	}
	rc = WS_OK;
out:
	json_object_put(o);
	json_object_put(mo);
	PQclear(r);
	return rc;
}

static int on_world(void *ctx, double f)
{
	struct job *j = ctx;

	return j->stop = j->progress(j->ctx, P_WORLD * f);
}

int jobs_run_traj(struct db *db, const char *job_id, const char *params_json,
    int (*progress)(void *ctx, double fraction), void *ctx, char *err, size_t errlen)
{
	struct gen_params gp;
	struct traj_params tp;
	struct gen_world *w = NULL;
	struct traj_graph *g = NULL;
	struct job j;
	int rc, tried = 0, kept = 0, i;

	memset(&j, 0, sizeof(j));
	j.progress = progress;
	j.ctx = ctx;
	j.p = &tp;
	if ((rc = load(db, job_id, params_json, &gp, &tp, err, errlen)) != WS_OK)
		goto out;
	rc = gen_world_build(&gp, &w, on_world, &j);
	if (rc == WS_ECANCEL && j.stop == 1) {
		rc = store(db, job_id, &j, 0, 1, err, errlen);
		goto out;
	}
	if (rc == WS_OK)
		rc = traj_graph_build(w, &tp, &g, err, errlen);
	if (rc != WS_OK)
		goto out;
	j.g = g;
	if ((j.k = calloc((size_t)tp.count, sizeof(*j.k))) == NULL) {
		rc = WS_ENOMEM;
		goto out;
	}
	rc = traj_batch(g, &tp, on_trajectory, &j, &tried, &kept);
	if (rc == WS_ECANCEL && j.stop == 3)
		rc = WS_ENOMEM;
	if (rc == WS_ECANCEL && j.stop == 2)
		goto out; /* lost: the reaper requeues it */
	if (rc != WS_OK && rc != WS_ECANCEL)
		goto out;
	if (rc == WS_OK && j.n == 0) {
		snprintf(err, errlen, "no trajectory reached the goal in %d tries", tried);
		rc = WS_EINVAL;
		goto out;
	}
	rc = store(db, job_id, &j, tried, rc == WS_ECANCEL, err, errlen);
out:
	if (rc == WS_ENOMEM)
		snprintf(err, errlen, "out of memory while sampling");
	for (i = 0; j.k != NULL && i < j.n; i++)
		free(j.k[i].steps_json);
	free(j.k);
	traj_graph_free(g);
	gen_world_free(w);
	return rc;
}
