/*
 * traj graph: the index a batch samples over, built once per world and goal: which edge
 * types are inherited or walked in the mode, out-edges by source, and each node's distance
 * (in commands) to the goal, from which greedy steps and reachability are read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "traj/internal.h"

const struct gen_principal *traj_prin(const struct traj_graph *g, uint32_t node)
{
	if (node < g->p0 || node - g->p0 >= g->nprin)
		return NULL;
	return &g->v->principals[node - g->p0];
}

int traj_node_domain(const struct traj_graph *g, uint32_t node)
{
	const struct gen_principal *pr = traj_prin(g, node);

	if (pr != NULL)
		return pr->domain;
	if (node >= g->h0 && node - g->h0 < g->v->nhosts)
		return g->v->hosts[node - g->h0].domain;
	if (node < (uint32_t)g->v->ndomains)
		return (int)node;
	return 0;
}

int traj_has_flag(const struct traj_graph *g, uint32_t node, const char *flag)
{
	const struct gen_principal *pr = traj_prin(g, node);

	if (pr == NULL || flag == NULL)
		return 0;
	if (strcmp(flag, "spns") == 0)
		return pr->nspns > 0;
	if (strcmp(flag, "dont_req_preauth") == 0)
		return (pr->flags & PF_DONT_REQ_PREAUTH) != 0;
	if (strcmp(flag, "unconstrained_delegation") == 0)
		return (pr->flags & PF_UNCONSTRAINED) != 0;
	return 0;
}

int traj_node_kind(const struct traj_graph *g, uint32_t node)
{
	const struct gen_principal *pr = traj_prin(g, node);

	if (pr != NULL)
		return pr->type == PT_USER ? TN_USER : pr->type == PT_SVC ? TN_SVC :
		    pr->type == PT_COMPUTER ? TN_COMPUTER : TN_GROUP;
	if (node >= g->h0)
		return TN_HOST;
	if (node >= g->sub0)
		return TN_SUBNET;
	if (node >= g->gpo0)
		return TN_GPO;
	return node < (uint32_t)g->v->ndomains ? TN_DOMAIN : TN_OU;
}

/*
 * The edge types a command walks say what right it uses; some uses of a right only make
 * sense on one kind of object (GenericWrite adds a member to a group, writes RBCD on a
 * computer, a GPO link on an OU), so the sampler never adds a member to a user.
 */
unsigned traj_cmd_targets(const struct attack_cmd *c)
{
	static const struct {
		const char *name;
		unsigned kinds;
	} rules[] = {
		{ "add-member", TN_BIT(GROUP) },
		{ "force-change-password", TN_BIT(USER) | TN_BIT(SVC) },
		{ "targeted-kerberoast", TN_BIT(USER) | TN_BIT(SVC) },
		{ "shadow-credentials", TN_BIT(USER) | TN_BIT(SVC) | TN_BIT(COMPUTER) },
		{ "rbcd-write", TN_BIT(COMPUTER) },
		{ "gpo-abuse", TN_BIT(GPO) | TN_BIT(OU) | TN_BIT(DOMAIN) },
	};
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(rules); i++)
		if (strcmp(c->name, rules[i].name) == 0)
			return rules[i].kinds;
	return TN_ANY;
}

int traj_edge_cmd_fits(const struct traj_graph *g, int type, size_t k, uint32_t target)
{
	const struct attack_cmd *c = g->cmds[type][k];

	return ((g->tkinds[type][k] >> traj_node_kind(g, target)) & 1u) &&
	    (c->precondition == NULL || traj_has_flag(g, target, c->precondition));
}

int traj_edge_usable(const struct traj_graph *g, uint32_t e)
{
	const struct gen_edge *ge = &g->v->edges[e];
	size_t k;

	if (g->kind[ge->type] != TK_WALK)
		return g->kind[ge->type] == TK_INHERIT;
	for (k = 0; k < g->ncmds[ge->type]; k++)
		if (traj_edge_cmd_fits(g, ge->type, k, ge->dst))
			return 1;
	return 0;
}

static void edge_kinds(struct traj_graph *g)
{
	size_t k;
	int t;

	for (t = 0; t < E_COUNT; t++) {
		int a = attack_edge_find(gen_edge_names[t]);

		g->amap[t] = a;
		g->kind[t] = TK_NONE;
		g->ncmds[t] = 0;
		if (t == E_MemberOf || t == E_Contains) {
			g->kind[t] = TK_INHERIT;
			continue;
		}
		/* CanReach joins subnets, which are never controlled: port scans are plain. */
		if (a < 0 || t == E_CanReach)
			continue;
		g->ncmds[t] = attack_cmds_for_edge((enum attack_mode)g->p.mode, (enum attack_edge)a,
		    g->cmds[t], TRAJ_MAX_CMDS_PER_EDGE);
		if (g->ncmds[t] > TRAJ_MAX_CMDS_PER_EDGE)
			g->ncmds[t] = TRAJ_MAX_CMDS_PER_EDGE;
		for (k = 0; k < g->ncmds[t]; k++)
			g->tkinds[t][k] = traj_cmd_targets(g->cmds[t][k]);
		if (g->ncmds[t] > 0)
			g->kind[t] = TK_WALK;
	}
}

static void plain_cmds(struct traj_graph *g)
{
	size_t i;

	for (i = 0; i < attack_ncmds && g->nplain < TRAJ_MAX_PLAIN; i++) {
		const struct attack_cmd *c = &attack_cmds[i];

		if ((int)c->mode == g->p.mode && (c->edges == ATTACK_NO_EDGE ||
		    c->edges == ATTACK_BIT(CanReach)) && traj_plain_kind(c) != TP_UNSUPPORTED)
			g->plain[g->nplain++] = c;
	}
}

static int out_edges(struct traj_graph *g)
{
	const struct gen_view *v = g->v;
	size_t i;

	g->out_off = calloc(g->nn + 2, sizeof(uint32_t));
	g->out_e = malloc((v->nedges + 1) * sizeof(uint32_t));
	if (g->out_off == NULL || g->out_e == NULL)
		return WS_ENOMEM;
	for (i = 0; i < v->nedges; i++)
		if (traj_edge_usable(g, (uint32_t)i))
			g->out_off[v->edges[i].src + 2]++;
	for (i = 0; i < g->nn; i++)
		g->out_off[i + 2] += g->out_off[i + 1];
	for (i = 0; i < v->nedges; i++)
		if (traj_edge_usable(g, (uint32_t)i))
			g->out_e[g->out_off[v->edges[i].src + 1]++] = (uint32_t)i;
	return WS_OK;
}

/* Goal nodes: a node id (a host id names its computer too), else groups by name. */
static size_t mark_goal(struct traj_graph *g)
{
	const struct gen_view *v = g->v;
	size_t i, n = 0;

	for (i = 0; i < g->nn; i++)
		if (strcmp(gen_node_id(g->w, (uint32_t)i), g->p.goal) == 0) {
			g->goal[i] = 1;
			n++;
			if (i >= g->h0 && v->hosts[i - g->h0].computer >= 0) {
				g->goal[g->p0 + (uint32_t)v->hosts[i - g->h0].computer] = 1;
				n++;
			}
			return n;
		}
	for (i = 0; i < g->nprin; i++) {
		const struct gen_principal *pr = &v->principals[i];

		if (pr->type == PT_GROUP && ((pr->sam && strcasecmp(pr->sam, g->p.goal) == 0) ||
		    (pr->name && strcasecmp(pr->name, g->p.goal) == 0))) {
			g->goal[g->p0 + i] = 1;
			n++;
		}
	}
	return n;
}

/*
 * Distances to the goal over reversed edges, level by level: an inherited edge costs
 * nothing (same level), a walked one a command (next level).
 */
static int distances(struct traj_graph *g)
{
	const struct gen_view *v = g->v;
	uint32_t *roff = calloc(g->nn + 2, sizeof(uint32_t)), *re = NULL;
	uint32_t *cur = NULL, *next = NULL, d = 0;
	size_t i, ncur = 0, nnext, cap = v->nedges + g->nn + 1;
	int rc = WS_ENOMEM;

	re = malloc((v->nedges + 1) * sizeof(uint32_t));
	cur = malloc(cap * sizeof(uint32_t));
	next = malloc(cap * sizeof(uint32_t));
	if (roff == NULL || re == NULL || cur == NULL || next == NULL)
		goto out;
	for (i = 0; i < v->nedges; i++)
		if (traj_edge_usable(g, (uint32_t)i))
			roff[v->edges[i].dst + 2]++;
	for (i = 0; i < g->nn; i++)
		roff[i + 2] += roff[i + 1];
	for (i = 0; i < v->nedges; i++)
		if (traj_edge_usable(g, (uint32_t)i))
			re[roff[v->edges[i].dst + 1]++] = (uint32_t)i;
	for (i = 0; i < g->nn; i++) {
		g->dist[i] = TRAJ_UNREACHABLE;
		if (g->goal[i])
			cur[ncur++] = (uint32_t)i;
	}
	while (ncur > 0) {
		nnext = 0;
		/* cur grows while it is read: inherited predecessors join this level */
		for (i = 0; i < ncur; i++) {
			uint32_t x = cur[i], k;

			if (g->dist[x] != TRAJ_UNREACHABLE)
				continue;
			g->dist[x] = d;
			for (k = roff[x]; k < roff[x + 1]; k++) {
				const struct gen_edge *e = &v->edges[re[k]];

				if (g->dist[e->src] != TRAJ_UNREACHABLE)
					continue;
				if (g->kind[e->type] == TK_INHERIT && ncur < cap)
					cur[ncur++] = e->src;
				else if (g->kind[e->type] == TK_WALK && nnext < cap)
					next[nnext++] = e->src;
			}
		}
		memcpy(cur, next, nnext * sizeof(uint32_t));
		ncur = nnext;
		d++;
	}
	rc = WS_OK;
out:
	free(roff);
	free(re);
	free(cur);
	free(next);
	return rc;
}

int traj_graph_build(const struct gen_world *w, const struct traj_params *p,
    struct traj_graph **out, char *err, size_t errlen)
{
	struct traj_graph *g = calloc(1, sizeof(*g));
	const struct gen_view *v = gen_world_view(w);
	const struct gen_path *path;
	size_t i;
	int rc = WS_ENOMEM, d;

	*out = NULL;
	if (g == NULL)
		goto out;
	g->w = w;
	g->v = v;
	g->p = *p;
	g->nn = gen_node_total(w);
	g->p0 = gen_node_prin(w, 0);
	g->nprin = (uint32_t)v->nprincipals;
	g->h0 = gen_node_host(w, 0);
	g->gpo0 = gen_node_gpo(w, 0);
	g->sub0 = gen_node_subnet(w, 0);
	edge_kinds(g);
	plain_cmds(g);
	g->dist = malloc((g->nn + 1) * sizeof(uint32_t));
	g->goal = calloc(g->nn + 1, 1);
	g->flagged = malloc((g->nprin + 1) * sizeof(uint32_t));
	if (g->dist == NULL || g->goal == NULL || g->flagged == NULL)
		goto out;
	if ((rc = out_edges(g)) != WS_OK)
		goto out;
	g->ngoal = mark_goal(g);
	if ((rc = distances(g)) != WS_OK)
		goto out;
	for (i = 0; i < g->nprin; i++) {
		const struct gen_principal *pr = &v->principals[i];

		if (pr->enabled && (pr->nspns > 0 || (pr->flags & PF_DONT_REQ_PREAUTH)))
			g->flagged[g->nflagged++] = g->p0 + (uint32_t)i;
	}
	for (d = 0; d < GEN_MAX_DOMAINS; d++)
		g->dc_host[d] = -1;
	for (i = 0; i < v->nhosts; i++) {
		const struct gen_host *h = &v->hosts[i];

		if (h->role == R_DC && g->dc_host[h->domain] < 0)
			g->dc_host[h->domain] = (int32_t)i;
	}
	if (v->npaths == 0) {
		snprintf(err, errlen, "the world records no attack path");
		rc = WS_EINVAL;
		goto out;
	}
	path = v->paths;
	g->foothold = v->edges[((const uint32_t *)v->path_edges)[path->edge0]].src;
	g->pathlen = path->nedges;
	*out = g;
	g = NULL;
	rc = WS_OK;
out:
	if (rc == WS_ENOMEM)
		snprintf(err, errlen, "out of memory");
	traj_graph_free(g);
	return rc;
}

void traj_graph_free(struct traj_graph *g)
{
	if (g == NULL)
		return;
	free(g->out_off);
	free(g->out_e);
	free(g->dist);
	free(g->goal);
	free(g->flagged);
	free(g);
}

const char *traj_graph_foothold(const struct traj_graph *g)
{
	return gen_node_id(g->w, g->foothold);
}

size_t traj_graph_path_length(const struct traj_graph *g)
{
	return g->pathlen;
}
