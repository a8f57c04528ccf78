/*
 * traj batch: the parameters' names and defaults, the batch loop (with only_successful's
 * bounded retries) and the trajectory object's JSON form.
 */
#include <stdio.h>
#include <string.h>

#include "traj/internal.h"

#define TRAJ_S_NAME(k, s) s,
static const char *const strategy_names[] = { TRAJ_STRATEGIES(TRAJ_S_NAME) };
#undef TRAJ_S_NAME

void traj_params_defaults(struct traj_params *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->goal, sizeof(p->goal), "Domain Admins");
	p->count = 1;
	p->strategy = TRAJ_RANDOM;
	p->max_steps = 100;
	p->seed = 42;
	p->threads = 1;
	p->mode = ATTACK_KALI;
}

const char *traj_strategy_name(int s)
{
	return s >= 0 && s < TRAJ_STRATEGY_COUNT ? strategy_names[s] : NULL;
}

int traj_strategy_find(const char *s)
{
	int i;

	for (i = 0; i < TRAJ_STRATEGY_COUNT; i++)
		if (strcmp(s, strategy_names[i]) == 0)
			return i;
	return -1;
}

void traj_result_write(const struct traj_graph *g, const struct traj_params *p,
    const struct traj_result *r, struct jw *out)
{
	jw_obj_begin(out);
	jw_kint(out, "sequence_index", r->sequence_index);
	jw_kstr(out, "goal", p->goal);
	jw_kstr(out, "strategy", traj_strategy_name(p->strategy));
	jw_kstr(out, "mode", attack_mode_name((enum attack_mode)p->mode));
	jw_kint(out, "seed", p->seed);
	jw_kstr(out, "foothold", traj_graph_foothold(g));
	jw_kbool(out, "success", r->success);
	jw_kstr(out, "termination_reason", r->termination_reason);
	jw_kint(out, "step_count", r->step_count);
	jw_key(out, "steps");
	jw_raw(out, r->steps.p, r->steps.len);
	jw_obj_end(out);
}

int traj_batch(const struct traj_graph *g, const struct traj_params *p,
    int (*emit)(void *ctx, const struct traj_result *r), void *ctx, int *tried, int *kept)
{
	struct traj_result r;
	int rc = WS_OK, i, max = p->only_successful ? p->count * TRAJ_TRIES_PER_SUCCESS : p->count;

	*tried = *kept = 0;
	traj_result_init(&r);
	for (i = 0; i < max && *kept < p->count; i++) {
		if ((rc = traj_sample(g, p, i, &r)) != WS_OK)
			goto out;
		(*tried)++;
		if (p->only_successful && !r.success)
			continue;
		if (emit(ctx, &r) != 0) {
			rc = WS_ECANCEL;
			goto out;
		}
		(*kept)++;
	}
out:
	traj_result_free(&r);
	return rc;
}
