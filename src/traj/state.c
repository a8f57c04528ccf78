/*
 * traj state: what the attacker holds, and how gaining a node spreads. Controlling a node
 * controls what it inherits (a member has its groups' rights; whoever owns an OU or a
 * domain owns what it contains) at no step, and opens the node's walkable out-edges.
 */
#include <stdlib.h>
#include <string.h>

#include "traj/internal.h"

int traj_state_init(struct traj_state *s, const struct traj_graph *g)
{
	memset(s, 0, sizeof(*s));
	s->f = calloc(g->nn + 1, 1);
	s->queue = malloc((g->nn + 1) * sizeof(uint32_t));
	s->best = TRAJ_UNREACHABLE;
	s->op = g->foothold;
	if (s->f == NULL || s->queue == NULL) {
		traj_state_free(s);
		return WS_ENOMEM;
	}
	return WS_OK;
}

void traj_state_free(struct traj_state *s)
{
	free(s->f);
	free(s->queue);
	free(s->front);
	free(s->hashes);
	memset(s, 0, sizeof(*s));
}

static int front_push(struct traj_state *s, uint32_t e)
{
	if (s->nfront == s->capfront) {
		size_t cap = s->capfront ? s->capfront * 2 : 256;
		uint32_t *p = realloc(s->front, cap * sizeof(uint32_t));

		if (p == NULL)
			return WS_ENOMEM;
		s->front = p;
		s->capfront = cap;
	}
	s->front[s->nfront++] = e;
	return WS_OK;
}

int traj_state_add_hash(struct traj_state *s, uint32_t node)
{
	if (s->f[node] & TS_HASH)
		return WS_OK;
	if (s->nhashes == s->caphashes) {
		size_t cap = s->caphashes ? s->caphashes * 2 : 16;
		uint32_t *p = realloc(s->hashes, cap * sizeof(uint32_t));

		if (p == NULL)
			return WS_ENOMEM;
		s->hashes = p;
		s->caphashes = cap;
	}
	s->hashes[s->nhashes++] = node;
	s->f[node] |= TS_HASH;
	s->ncreds++;
	return WS_OK;
}

int traj_state_gain(struct traj_state *s, const struct traj_graph *g, uint32_t node)
{
	const struct gen_view *v = g->v;
	size_t head = 0, tail = 0;

	if (s->f[node] & TS_CTL)
		return WS_OK;
	s->f[node] |= TS_CTL;
	s->queue[tail++] = node;
	while (head < tail) {
		uint32_t x = s->queue[head++], k;
		const struct gen_principal *pr = traj_prin(g, x);

		if (pr != NULL && (pr->type == PT_USER || pr->type == PT_SVC)) {
			s->nprin++;
			if (!(s->f[x] & TS_HASH))
				s->ncreds++;
		} else if (pr != NULL && pr->type == PT_COMPUTER) {
			s->nhosts++;
		}
		if (g->goal[x])
			s->goal = 1;
		if (g->dist[x] < s->best)
			s->best = g->dist[x];
		for (k = g->out_off[x]; k < g->out_off[x + 1]; k++) {
			const struct gen_edge *e = &v->edges[g->out_e[k]];

			if (g->kind[e->type] == TK_INHERIT) {
				if (!(s->f[e->dst] & TS_CTL)) {
					s->f[e->dst] |= TS_CTL;
					s->queue[tail++] = e->dst;
				}
			} else if (!(s->f[e->dst] & TS_CTL) && front_push(s, g->out_e[k]) != WS_OK) {
				return WS_ENOMEM;
			}
		}
	}
	return WS_OK;
}

void traj_state_summary(const struct traj_state *s, struct jw *out)
{
	jw_obj_begin(out);
	jw_kint(out, "principals_controlled", s->nprin);
	jw_kint(out, "hosts_with_access", s->nhosts);
	jw_kint(out, "credentials_known", s->ncreds);
	jw_kint(out, "enumerations_done", s->nrecon);
	jw_kbool(out, "goal_controlled", s->goal);
	jw_obj_end(out);
}

int traj_plain_kind(const struct attack_cmd *c)
{
	if (c->effect == ATTACK_FX_DISCOVER)
		return TP_DISCOVER;
	if (c->precondition != NULL && (strcmp(c->precondition, "spns") == 0 ||
	    strcmp(c->precondition, "dont_req_preauth") == 0))
		return TP_ROAST;
	if (strcmp(c->name, "crack-hash") == 0)
		return TP_CRACK;
	if (strcmp(c->name, "password-spray") == 0)
		return TP_SPRAY;
	/* coercion of an unconstrained-delegation host is not modelled yet */
	return TP_UNSUPPORTED;
}
