/*
 * The trajectories table's one writer: a batch's kept trajectories, inserted inside the
 * transaction of the job that sampled them (the jobs module's run owns that transaction
 * and the job's own row).
 */
#include <stdio.h>

#include "traj/traj.h"

int traj_store(struct db *db, const char *job_id, const char *batch_id,
    const struct traj_kept *k, int n, const char *foothold, int64_t seed)
{
	char seq[16], steps[16], seedtxt[24];
	const char *p[10];
	int i;

	snprintf(seedtxt, sizeof(seedtxt), "%lld", (long long)seed);
	for (i = 0; i < n; i++) {
		snprintf(seq, sizeof(seq), "%d", k[i].index);
		snprintf(steps, sizeof(steps), "%d", k[i].steps);
		p[0] = k[i].id;
		p[1] = job_id;
		p[2] = batch_id;
		p[3] = seq;
		p[4] = k[i].success ? "true" : "false";
		p[5] = k[i].reason;
		p[6] = steps;
		p[7] = k[i].steps_json;
		p[8] = foothold;
		p[9] = seedtxt;
		if (db_do(db, "INSERT INTO trajectories (id, organization_id, workspace_id, project_id,"
		    " manifest_id, source_job_id, batch_id, sequence_index, name, goal, strategy, mode,"
		    " seed, foothold, success, termination_reason, step_count, steps, created_by)"
		    " SELECT $1, t.organization_id, t.workspace_id, t.project_id,"
		    " (t.params->>'manifest_id')::uuid, t.id, $3, $4::int, t.name, t.params->>'goal',"
		    " t.params->>'strategy', t.params->>'mode', $10::bigint, $9, $5::boolean, $6,"
		    " $7::int, $8::jsonb, t.created_by FROM jobs t WHERE t.id = $2", 10, p) != WS_OK)
			return WS_EDB;
	}
	return WS_OK;
}
