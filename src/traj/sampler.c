/*
 * traj sampler: one trajectory at a time, a step = one command whose precondition holds in
 * the current state. Random and smart-random draw over every applicable (command, target)
 * pair with weights; greedy takes the walkable edge whose target is nearest the goal;
 * recon-first runs each enumeration command once, then goes greedy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traj/internal.h"

struct action {
	const struct attack_cmd *c;
	int plain;                 /* index into g->plain, or -1: an edge command */
	uint32_t edge;
};

void traj_result_init(struct traj_result *r)
{
	memset(r, 0, sizeof(*r));
	wbuf_init(&r->steps);
}

void traj_result_free(struct traj_result *r)
{
	wbuf_free(&r->steps);
}

int traj_cmd_fits(const struct traj_graph *g, const struct attack_cmd *c, uint32_t target)
{
	return ((traj_cmd_targets(c) >> traj_node_kind(g, target)) & 1u) &&
	    (c->precondition == NULL || traj_has_flag(g, target, c->precondition));
}

/* Drops edges whose target is already controlled, keeping the order. */
static void compact(const struct traj_graph *g, struct traj_state *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nfront; i++)
		if (!(s->f[g->v->edges[s->front[i]].dst] & TS_CTL))
			s->front[n++] = s->front[i];
	s->nfront = n;
}

static int roast_ok(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t node)
{
	return !(s->f[node] & (TS_CTL | TS_HASH)) && traj_has_flag(g, node, c->precondition);
}

static int plain_applicable(const struct traj_graph *g, const struct traj_state *s, size_t i)
{
	const struct attack_cmd *c = g->plain[i];
	size_t k;

	switch (traj_plain_kind(c)) {
	case TP_DISCOVER:
	case TP_SPRAY:
		return !(s->done & (1u << i));
	case TP_ROAST:
		for (k = 0; k < g->nflagged; k++)
			if (roast_ok(g, s, c, g->flagged[k]))
				return 1;
		return 0;
	case TP_CRACK:
		for (k = 0; k < s->nhashes; k++)
			if (!(s->f[s->hashes[k]] & (TS_CTL | TS_CRACKFAIL)))
				return 1;
		return 0;
	default:
		return 0;
	}
}

static unsigned plain_weight(int strategy, const struct attack_cmd *c)
{
	static const unsigned smart[] = { 1, 2, 4, 1, 0 };

	return strategy == TRAJ_SMART_RANDOM ? smart[traj_plain_kind(c)] : 1;
}

static unsigned edge_weight(const struct traj_graph *g, const struct traj_state *s, uint32_t e)
{
	if (g->p.strategy != TRAJ_SMART_RANDOM)
		return 1;
	return g->dist[g->v->edges[e].dst] < s->best ? 16 : 4;
}

/* Weighted draw over every applicable pair; 0 when nothing applies. */
static int pick_random(const struct traj_graph *g, struct traj_state *s, struct rng *r,
    struct action *a)
{
	uint64_t total = 0, x;
	size_t i, k;

	for (i = 0; i < s->nfront; i++) {
		const struct gen_edge *e = &g->v->edges[s->front[i]];

		for (k = 0; k < g->ncmds[e->type]; k++)
			if (traj_edge_cmd_fits(g, e->type, k, e->dst))
				total += edge_weight(g, s, s->front[i]);
	}
	for (i = 0; i < g->nplain; i++)
		if (plain_applicable(g, s, i))
			total += plain_weight(g->p.strategy, g->plain[i]);
	if (total == 0)
		return 0;
	x = rng_next(r) % total; /* total is far below 2^32: the bias is negligible and fixed */
	for (i = 0; i < s->nfront; i++) {
		const struct gen_edge *e = &g->v->edges[s->front[i]];

		for (k = 0; k < g->ncmds[e->type]; k++) {
			unsigned wt;

			if (!traj_edge_cmd_fits(g, e->type, k, e->dst))
				continue;
			wt = edge_weight(g, s, s->front[i]);
			if (x < wt) {
				a->c = g->cmds[e->type][k];
				a->plain = -1;
				a->edge = s->front[i];
				return 1;
			}
			x -= wt;
		}
	}
	for (i = 0; i < g->nplain; i++) {
		unsigned wt;

		if (!plain_applicable(g, s, i))
			continue;
		wt = plain_weight(g->p.strategy, g->plain[i]);
		if (x < wt) {
			a->c = g->plain[i];
			a->plain = (int)i;
			return 1;
		}
		x -= wt;
	}
	return 0;
}

/* The frontier edge nearest the goal (first in gain order on ties), a command drawn for it. */
static int pick_greedy(const struct traj_graph *g, struct traj_state *s, struct rng *r,
    struct action *a)
{
	uint32_t best = TRAJ_UNREACHABLE, e = 0;
	size_t i, k, n = 0;
	const struct attack_cmd *fit[TRAJ_MAX_CMDS_PER_EDGE];
	const struct gen_edge *ge;

	for (i = 0; i < s->nfront; i++) {
		uint32_t d = g->dist[g->v->edges[s->front[i]].dst];

		if (d < best) {
			best = d;
			e = s->front[i];
		}
	}
	if (best == TRAJ_UNREACHABLE)
		return 0;
	ge = &g->v->edges[e];
	for (k = 0; k < g->ncmds[ge->type]; k++)
		if (traj_edge_cmd_fits(g, ge->type, k, ge->dst))
			fit[n++] = g->cmds[ge->type][k];
	if (n == 0)
		return 0;
	a->c = fit[rng_below(r, (uint32_t)n)];
	a->plain = -1;
	a->edge = e;
	return 1;
}

static int pick(const struct traj_graph *g, struct traj_state *s, struct rng *r,
    struct action *a)
{
	size_t i;

	compact(g, s);
	switch (g->p.strategy) {
	case TRAJ_GREEDY:
		return pick_greedy(g, s, r, a);
	case TRAJ_RECON_FIRST:
		for (i = 0; i < g->nplain; i++)
			if (traj_plain_kind(g->plain[i]) == TP_DISCOVER && plain_applicable(g, s, i)) {
				a->c = g->plain[i];
				a->plain = (int)i;
				return 1;
			}
		return pick_greedy(g, s, r, a);
	default:
		return pick_random(g, s, r, a);
	}
}

static uint32_t roast_target(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, struct rng *r)
{
	size_t k, n = 0;
	uint32_t want;

	for (k = 0; k < g->nflagged; k++)
		n += roast_ok(g, s, c, g->flagged[k]);
	want = rng_below(r, (uint32_t)n);
	for (k = 0; k < g->nflagged; k++)
		if (roast_ok(g, s, c, g->flagged[k]) && want-- == 0)
			return g->flagged[k];
	return g->flagged[0];
}

/* An enabled person of the domain with a weak password, from a drawn offset; or the domain. */
static uint32_t spray_target(const struct traj_graph *g, const struct traj_state *s,
    int dom, struct rng *r)
{
	const struct gen_domain *d = &g->v->domains[dom];
	uint32_t i, start;

	if (d->npeople == 0)
		return (uint32_t)dom;
	start = rng_below(r, d->npeople);
	for (i = 0; i < d->npeople; i++) {
		uint32_t pi = d->people0 + (start + i) % d->npeople;
		const struct gen_principal *pr = &g->v->principals[pi];

		if (pr->enabled && pr->pwd == PW_WEAK && !(s->f[g->p0 + pi] & TS_CTL))
			return g->p0 + pi;
	}
	return (uint32_t)dom;
}

/* Runs a; sets actor, target and the outcome. */
static int apply(const struct traj_graph *g, struct traj_state *s, struct rng *r,
    const struct action *a, uint32_t *actor, uint32_t *target, const char **reason)
{
	const struct gen_principal *pr;
	uint32_t t;
	size_t k;

	*reason = NULL;
	*actor = s->op;
	if (a->plain < 0) {
		const struct gen_edge *e = &g->v->edges[a->edge];

		*actor = e->src;
		*target = e->dst;
		pr = traj_prin(g, e->dst);
		if (pr != NULL && (pr->type == PT_USER || pr->type == PT_SVC))
			s->op = e->dst;
		return traj_state_gain(s, g, e->dst);
	}
	switch (traj_plain_kind(a->c)) {
	case TP_DISCOVER:
		s->done |= 1u << a->plain;
		s->nrecon++;
		*target = (uint32_t)traj_node_domain(g, g->foothold);
		return WS_OK;
	case TP_ROAST:
		*target = roast_target(g, s, a->c, r);
		return traj_state_add_hash(s, *target);
	case TP_CRACK:
		for (k = 0; k < s->nhashes; k++)
			if (!(s->f[s->hashes[k]] & (TS_CTL | TS_CRACKFAIL)))
				break;
		*target = t = s->hashes[k];
		pr = traj_prin(g, t);
		if (pr != NULL && pr->pwd == PW_STRONG) {
			s->f[t] |= TS_CRACKFAIL;
			*reason = "the password is not in the wordlist";
			return WS_OK;
		}
		s->op = t;
		return traj_state_gain(s, g, t);
	default: /* TP_SPRAY */
		s->done |= 1u << a->plain;
		*target = t = spray_target(g, s, traj_node_domain(g, g->foothold), r);
		if (traj_prin(g, t) == NULL) {
			*reason = "no enabled account accepted the password";
			return WS_OK;
		}
		s->op = t;
		return traj_state_gain(s, g, t);
	}
}

static void step_write(const struct traj_graph *g, const struct traj_state *before,
    const struct traj_state *s, struct jw *j, int index, const struct action *a,
    uint32_t actor, uint32_t target, const char *reason, struct wbuf *scratch)
{
	char eid[32];

	jw_obj_begin(j);
	jw_kint(j, "index", index);
	wbuf_reset(scratch);
	traj_text_command(g, before, a->c, actor, target, scratch);
	jw_kstr(j, "command", wbuf_cstr(scratch));
	jw_kstr(j, "command_name", a->c->name);
	jw_kstr(j, "technique", a->c->technique);
	jw_kstr(j, "actor", gen_node_id(g->w, actor));
	jw_kstr(j, "target", gen_node_id(g->w, target));
	if (a->plain < 0) {
		snprintf(eid, sizeof(eid), "e-%u", a->edge + 1);
		jw_kstr(j, "edge", eid);
	} else {
		jw_knull(j, "edge");
	}
	jw_kstr(j, "outcome", reason == NULL ? "success" : "failure");
	jw_kstr(j, "reason", reason);
	wbuf_reset(scratch);
	traj_text_output(g, before, a->c, actor, target, reason == NULL, reason, scratch);
	jw_kstr(j, "output", wbuf_cstr(scratch));
	jw_key(j, "state_before");
	traj_state_summary(before, j);
	jw_key(j, "state_after");
	traj_state_summary(s, j);
	jw_obj_end(j);
}

int traj_sample(const struct traj_graph *g, const struct traj_params *p, int index,
    struct traj_result *res)
{
	struct traj_state s, before;
	struct wbuf scratch;
	struct rng r;
	struct jw j;
	char kind[48];
	int rc, steps = 0;

	(void)p;
	wbuf_init(&scratch);
	wbuf_reset(&res->steps);
	res->sequence_index = index;
	res->success = 0;
	res->step_count = 0;
	snprintf(kind, sizeof(kind), "trajectory/%d", index);
	rng_stream(&r, g->p.seed, kind);
	if ((rc = traj_state_init(&s, g)) != WS_OK)
		goto out;
	if ((rc = traj_state_gain(&s, g, g->foothold)) != WS_OK)
		goto out;
	jw_init(&j, &res->steps, 0);
	jw_arr_begin(&j);
	res->termination_reason = "max_steps";
	/*
	 * Greedy and recon-first steer by the distance to the goal, so with none they stop at
	 * once. Random and smart-random explore blindly, as an attacker who does not know the
	 * goal is out of reach would: until nothing applies or the steps run out. A goal that
	 * names nothing is unreachable for every strategy.
	 */
	if (s.goal) {
		res->termination_reason = "goal_reached";
	} else if (g->ngoal == 0 || (s.best == TRAJ_UNREACHABLE &&
	    (g->p.strategy == TRAJ_GREEDY || g->p.strategy == TRAJ_RECON_FIRST))) {
		res->termination_reason = "goal_unreachable";
	} else {
		while (steps < g->p.max_steps) {
			struct action a;
			uint32_t actor, target;
			const char *reason;

			if (!pick(g, &s, &r, &a)) {
				res->termination_reason = g->p.strategy == TRAJ_GREEDY ||
				    g->p.strategy == TRAJ_RECON_FIRST ? "goal_unreachable" :
				    "no_applicable_commands";
				break;
			}
			/* the summary and the texts read only the counters and the operator: a shallow
			 * copy is the state before */
			before = s;
			if ((rc = apply(g, &s, &r, &a, &actor, &target, &reason)) != WS_OK)
				goto out;
			step_write(g, &before, &s, &j, steps, &a, actor, target, reason, &scratch);
			steps++;
			if (s.goal) {
				res->termination_reason = "goal_reached";
				break;
			}
		}
	}
	jw_arr_end(&j);
	if ((rc = jw_finish(&j)) != WS_OK)
		goto out;
	res->success = s.goal;
	res->step_count = steps;
out:
	traj_state_free(&s);
	wbuf_free(&scratch);
	return rc;
}
