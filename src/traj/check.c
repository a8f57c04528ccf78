/*
 * traj check: replays a printed trajectory against the graph with the sampler's own state
 * rules, so a step that was impossible when it was taken (an actor not yet controlled, an
 * edge that does not exist or that the command cannot walk, a missing flag) is reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "traj/internal.h"

struct ck {
	const struct traj_graph *g;
	void (*report)(void *, int, const char *);
	void *ctx;
	size_t n;
	const struct gen_index *ix; /* the world's node ids */
};

static void fail(struct ck *c, int step, const char *what, const char *arg)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s%s", what, arg ? arg : "(null)");
	c->report(c->ctx, step, msg);
	c->n++;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Node index of an id, or -1. */
static int64_t node_of(const struct ck *c, const char *id)
{
	uint32_t node;

	if (id == NULL || gen_index_find(c->ix, id, &node) != WS_OK)
		return -1;
	return (int64_t)node;
}

static void check_step(struct ck *c, struct traj_state *s, struct json_object *st, int i)
{
	const struct traj_graph *g = c->g;
	const char *name = str(st, "command_name"), *eid = str(st, "edge");
	const char *outcome = str(st, "outcome");
	const struct attack_cmd *cmd = name ? attack_cmd_find((enum attack_mode)g->p.mode, name) : NULL;
	int64_t actor = node_of(c, str(st, "actor")), target = node_of(c, str(st, "target"));
	int ok = outcome != NULL && strcmp(outcome, "success") == 0;

	if (cmd == NULL) {
		fail(c, i, "no command in the mode: ", name);
		return;
	}
	if (actor < 0 || target < 0) {
		fail(c, i, "actor or target is not a node of the world, in ", name);
		return;
	}
	if (eid != NULL) {
		long e = strncmp(eid, "e-", 2) == 0 ? strtol(eid + 2, NULL, 10) - 1 : -1;
		const struct gen_edge *ge;

		if (e < 0 || (size_t)e >= g->v->nedges) {
			fail(c, i, "edge does not exist: ", eid);
			return;
		}
		ge = &g->v->edges[e];
		if (ge->src != actor || ge->dst != target)
			fail(c, i, "edge does not join the actor to the target: ", eid);
		if (g->amap[ge->type] < 0 || !(cmd->edges & ((attack_edges)1 << g->amap[ge->type])))
			fail(c, i, "command does not walk this edge type: ", name);
		if (!(s->f[actor] & TS_CTL))
			fail(c, i, "actor is not controlled before the step: ", str(st, "actor"));
		if (!((traj_cmd_targets(cmd) >> traj_node_kind(g, (uint32_t)target)) & 1u))
			fail(c, i, "command does not act on this kind of object: ",
			    gen_node_type(g->w, (uint32_t)target));
		else if (!traj_cmd_fits(g, cmd, (uint32_t)target))
			fail(c, i, "target lacks the flag ", cmd->precondition);
		if (ok)
			traj_state_gain(s, g, (uint32_t)target);
		return;
	}
	if (cmd->edges != ATTACK_NO_EDGE && cmd->edges != ATTACK_BIT(CanReach)) {
		fail(c, i, "command needs an edge: ", name);
		return;
	}
	switch (traj_plain_kind(cmd)) {
	case TP_DISCOVER:
		s->nrecon++;
		break;
	case TP_ROAST:
		if (!traj_has_flag(g, (uint32_t)target, cmd->precondition))
			fail(c, i, "roasted target lacks the flag ", cmd->precondition);
		traj_state_add_hash(s, (uint32_t)target);
		break;
	case TP_CRACK:
		if (!(s->f[target] & TS_HASH))
			fail(c, i, "cracked a hash that was never obtained: ", str(st, "target"));
		if (ok)
			traj_state_gain(s, g, (uint32_t)target);
		break;
	case TP_SPRAY:
		if (ok) {
			const struct gen_principal *pr = traj_prin(g, (uint32_t)target);

			if (pr == NULL || !pr->enabled || pr->pwd != PW_WEAK)
				fail(c, i, "spray succeeded on an account without a weak password: ",
				    str(st, "target"));
			traj_state_gain(s, g, (uint32_t)target);
		}
		break;
	default:
		fail(c, i, "command is not one the sampler can take: ", name);
	}
}

static size_t check_run(const struct traj_graph *g, const struct gen_index *ix,
    struct json_object *traj, void (*report)(void *ctx, int step, const char *msg), void *ctx)
{
	struct ck c = { g, report, ctx, 0, ix };
	struct json_object *steps, *v;
	struct traj_state s;
	size_t i, n;

	if (ix == NULL || traj_state_init(&s, g) != WS_OK) {
		report(ctx, -1, "out of memory");
		return 1;
	}
	traj_state_gain(&s, g, g->foothold);
	if (!json_object_object_get_ex(traj, "steps", &steps) ||
	    !json_object_is_type(steps, json_type_array)) {
		fail(&c, -1, "no steps array", "");
		goto out;
	}
	if (str(traj, "foothold") == NULL || strcmp(str(traj, "foothold"), traj_graph_foothold(g)))
		fail(&c, -1, "foothold is not the world's: ", str(traj, "foothold"));
	n = json_object_array_length(steps);
	for (i = 0; i < n; i++)
		check_step(&c, &s, json_object_array_get_idx(steps, i), (int)i);
	if (!json_object_object_get_ex(traj, "step_count", &v) || (size_t)json_object_get_int(v) != n)
		fail(&c, -1, "step_count is not the number of steps", "");
	if (json_object_object_get_ex(traj, "success", &v) && json_object_get_boolean(v) != s.goal)
		fail(&c, -1, "success disagrees with the replayed state", "");
	if (str(traj, "termination_reason") != NULL &&
	    (strcmp(str(traj, "termination_reason"), "goal_reached") == 0) != s.goal)
		fail(&c, -1, "termination_reason disagrees with the replayed state: ",
		    str(traj, "termination_reason"));
out:
	traj_state_free(&s);
	return c.n;
}

size_t traj_check(const struct traj_graph *g, struct json_object *traj,
    void (*report)(void *ctx, int step, const char *msg), void *ctx)
{
	struct gen_index *ix = NULL;
	size_t n;

	gen_index_build(g->w, &ix);
	n = check_run(g, ix, traj, report, ctx);
	gen_index_free(ix);
	return n;
}

struct doc_ck {
	void (*report)(void *, int, int, const char *);
	void *ctx;
	int i;
};

static void doc_report(void *ctx, int step, const char *msg)
{
	struct doc_ck *d = ctx;

	d->report(d->ctx, d->i, step, msg);
}

size_t traj_check_document(const struct gen_world *w, const struct traj_params *defaults,
    struct json_object *doc, void (*report)(void *ctx, int i, int step, const char *msg),
    void *ctx, size_t *ntraj, size_t *nsteps)
{
	struct doc_ck d = { report, ctx, -1 };
	struct json_object *list = NULL, *v;
	struct traj_graph *g = NULL;
	struct traj_params p;
	struct gen_index *ix = NULL;
	size_t i, n, bad = 0;
	char err[256];

	*ntraj = *nsteps = 0;
	gen_index_build(w, &ix);
	if (json_object_is_type(doc, json_type_array))
		list = doc;
	else if (json_object_is_type(doc, json_type_object) &&
	    !json_object_object_get_ex(doc, "trajectories", &list))
		list = NULL;
	n = list != NULL && json_object_is_type(list, json_type_array) ?
	    json_object_array_length(list) : 1;
	for (i = 0; i < n; i++) {
		struct json_object *t = list != NULL ? json_object_array_get_idx(list, i) : doc;
		const char *goal = str(t, "goal"), *mode = str(t, "mode");

		d.i = (int)i;
		if (!json_object_is_type(t, json_type_object)) {
			report(ctx, (int)i, -1, "not a trajectory object");
			bad++;
			continue;
		}
		p = *defaults;
		if (goal != NULL)
			snprintf(p.goal, sizeof(p.goal), "%s", goal);
		if (mode != NULL && attack_mode_find(mode) < 0) {
			report(ctx, (int)i, -1, "mode is not kali or c2");
			bad++;
			continue;
		}
		if (mode != NULL)
			p.mode = attack_mode_find(mode);
		/* one graph per (goal, mode): a batch shares it */
		if (g == NULL || strcmp(g->p.goal, p.goal) != 0 || g->p.mode != p.mode) {
			traj_graph_free(g);
			g = NULL;
			if (traj_graph_build(w, &p, &g, err, sizeof(err)) != WS_OK) {
				report(ctx, (int)i, -1, err);
				bad++;
				continue;
			}
		}
		bad += check_run(g, ix, t, doc_report, &d);
		(*ntraj)++;
		if (json_object_object_get_ex(t, "steps", &v) && json_object_is_type(v, json_type_array))
			*nsteps += json_object_array_length(v);
	}
	traj_graph_free(g);
	gen_index_free(ix);
	return bad;
}
