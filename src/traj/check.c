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

/* Node index of an id, by a linear scan (the checker is for tests, not the hot path). */
static int64_t node_of(const struct traj_graph *g, const char *id)
{
	size_t i;

	if (id == NULL)
		return -1;
	for (i = 0; i < g->nn; i++)
		if (strcmp(gen_node_id(g->w, (uint32_t)i), id) == 0)
			return (int64_t)i;
	return -1;
}

static void check_step(struct ck *c, struct traj_state *s, struct json_object *st, int i)
{
	const struct traj_graph *g = c->g;
	const char *name = str(st, "command_name"), *eid = str(st, "edge");
	const char *outcome = str(st, "outcome");
	const struct attack_cmd *cmd = name ? attack_cmd_find((enum attack_mode)g->p.mode, name) : NULL;
	int64_t actor = node_of(g, str(st, "actor")), target = node_of(g, str(st, "target"));
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

		if (e < 0 || (size_t)e >= g->w->edges.n) {
			fail(c, i, "edge does not exist: ", eid);
			return;
		}
		ge = EDGE(g->w, e);
		if (ge->src != actor || ge->dst != target)
			fail(c, i, "edge does not join the actor to the target: ", eid);
		if (g->amap[ge->type] < 0 || !(cmd->edges & ((attack_edges)1 << g->amap[ge->type])))
			fail(c, i, "command does not walk this edge type: ", name);
		if (!(s->f[actor] & TS_CTL))
			fail(c, i, "actor is not controlled before the step: ", str(st, "actor"));
		if (!traj_cmd_fits(g, cmd, (uint32_t)target))
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

size_t traj_check(const struct traj_graph *g, struct json_object *traj,
    void (*report)(void *ctx, int step, const char *msg), void *ctx)
{
	struct ck c = { g, report, ctx, 0 };
	struct json_object *steps, *v;
	struct traj_state s;
	size_t i, n;

	if (traj_state_init(&s, g) != WS_OK) {
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
out:
	traj_state_free(&s);
	return c.n;
}
