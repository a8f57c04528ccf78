/*
 * gen graph: the edge list in its fixed order (containment, GPO links, trusts,
 * memberships, local admins, sessions, rights, credentials, reachability), group member
 * lists, and the attack paths found by a breadth-first search over the emitted edges.
 */
#include <stdlib.h>
#include <string.h>

#include "gen/internal.h"

/* Allowed flows between zones (from -1 = the internet); one CanReach per subnet pair. */
const struct gen_flow gen_flows[] = {
	{ -1, Z_DMZ, "80,443,25" },
	{ Z_DMZ, Z_SERVER, "443,8080" },
	{ Z_SERVER, Z_SERVER, "53,88,135,389,445,1433,5985" },
	{ Z_SERVER, Z_RESTRICTED, "1433,5432" },
	{ Z_SERVER, Z_DMZ, "25,443" },
	{ Z_WS, Z_SERVER, "53,88,389,443,445,3389" },
	{ Z_WS, Z_DMZ, "25,443" },
	{ Z_WS, Z_WS, "445" },
	{ Z_MGMT, Z_DMZ, "22,3389,5985" },
	{ Z_MGMT, Z_SERVER, "22,445,3389,5985" },
	{ Z_MGMT, Z_WS, "445,3389,5985" },
	{ Z_MGMT, Z_RESTRICTED, "22,3389" },
	{ Z_MGMT, Z_MGMT, "22,3389" },
};
const size_t gen_n_flows = W_ARRAY_LEN(gen_flows);

static int flow_allowed(int from, int to)
{
	size_t i;

	for (i = 0; i < gen_n_flows; i++)
		if (gen_flows[i].from == from && gen_flows[i].to == to)
			return 1;
	return 0;
}

static int member_lists(struct gen_world *w)
{
	const struct gen_memb *m = w->memb.p;
	uint32_t *cnt = calloc(w->prin.n + 1, sizeof(uint32_t));
	size_t i, off = 0;

	if (cnt == NULL)
		return WS_ENOMEM;
	for (i = 0; i < w->memb.n; i++)
		cnt[m[i].group]++;
	for (i = 0; i < w->prin.n; i++) {
		struct gen_principal *pr = PRIN(w, i);

		pr->members0 = (uint32_t)off;
		pr->nmembers = 0;
		off += cnt[i];
	}
	free(cnt);
	w->members.p = malloc((off + 1) * sizeof(int32_t));
	if (w->members.p == NULL)
		return WS_ENOMEM;
	w->members.n = w->members.cap = off;
	for (i = 0; i < w->memb.n; i++) {
		struct gen_principal *g = PRIN(w, m[i].group);

		I32(&w->members, g->members0 + g->nmembers++) = m[i].member;
	}
	return WS_OK;
}

static uint32_t host_node(const struct gen_world *w, int32_t h)
{
	const struct gen_host *hp = HOST(w, h);

	return hp->computer >= 0 ? gen_node_prin(w, hp->computer) : gen_node_host(w, h);
}

int gen_build_edges(struct gen_world *w)
{
	const struct gen_memb *m;
	size_t i, j;
	uint32_t k;
	int rc = 0;

	for (i = 0; i < w->ous.n; i++) {
		const struct gen_ou *o = OU(w, i);

		rc |= gen_add_edge(w, o->parent >= 0 ? gen_node_ou(w, o->parent) :
		    gen_node_domain(w, o->domain), gen_node_ou(w, (int)i), E_Contains);
	}
	for (i = 0; i < w->prin.n; i++)
		rc |= gen_add_edge(w, gen_node_ou(w, PRIN(w, i)->ou), gen_node_prin(w, (int32_t)i),
		    E_Contains);
	if (rc == 0 && gen_tick(w, 0.77) != WS_OK)
		return WS_ECANCEL;
	for (i = 0; i < w->hosts.n; i++)
		rc |= gen_add_edge(w, gen_node_subnet(w, HOST(w, i)->subnet),
		    gen_node_host(w, (int32_t)i), E_Contains);
	for (i = 0; i < w->gpos.n; i++) {
		const struct gen_gpo *g = GPO(w, i);

		rc |= gen_add_edge(w, gen_node_gpo(w, (int)i), g->link_ou >= 0 ?
		    gen_node_ou(w, g->link_ou) : gen_node_domain(w, g->domain), E_GpLink);
	}
	for (i = 0; i < (size_t)w->ntrusts; i++) {
		const struct gen_trust *t = &w->trusts[i];

		rc |= gen_add_edge(w, gen_node_domain(w, t->to), gen_node_domain(w, t->from),
		    E_TrustedBy);
		if (strcmp(t->direction, "bidirectional") == 0)
			rc |= gen_add_edge(w, gen_node_domain(w, t->from), gen_node_domain(w, t->to),
			    E_TrustedBy);
	}
	if (rc || (rc = member_lists(w)) != WS_OK)
		return WS_ENOMEM;
	if (gen_tick(w, 0.79) != WS_OK)
		return WS_ECANCEL;
	m = w->memb.p;
	for (i = 0; i < w->memb.n; i++)
		rc |= gen_add_edge(w, gen_node_prin(w, m[i].member), gen_node_prin(w, m[i].group),
		    E_MemberOf);
	for (i = 0; i < w->hosts.n; i++) {
		const struct gen_host *h = HOST(w, i);

		for (k = 0; k < h->nadmins; k++)
			rc |= gen_add_edge(w, gen_node_prin(w, I32(&w->hadmins, h->admins0 + k)),
			    host_node(w, (int32_t)i), E_AdminTo);
	}
	if (rc == 0 && gen_tick(w, 0.81) != WS_OK)
		return WS_ECANCEL;
	m = w->sessions.p;
	for (i = 0; i < w->sessions.n; i++)
		rc |= gen_add_edge(w, host_node(w, m[i].group), gen_node_prin(w, m[i].member),
		    E_HasSession);
	for (i = 0; i < w->acl.n; i++) {
		const struct gen_edge *e = &((const struct gen_edge *)w->acl.p)[i];

		rc |= gen_add_edge(w, e->src, e->dst, e->type);
	}
	for (i = 0; i < w->creds.n; i++) {
		const struct gen_cred *c = CRED(w, i);

		if (c->host >= 0)
			rc |= gen_add_edge(w, host_node(w, c->host), gen_node_prin(w, c->principal),
			    E_HasCredential);
	}
	for (i = 0; i < w->subnets.n; i++)
		for (j = 0; j < w->subnets.n; j++)
			if (i != j && flow_allowed(SUBNET(w, i)->zone, SUBNET(w, j)->zone))
				rc |= gen_add_edge(w, gen_node_subnet(w, (int)i),
				    gen_node_subnet(w, (int)j), E_CanReach);
	if (rc)
		return WS_ENOMEM;
	return gen_tick(w, 0.85);
}

/* ---- attack paths --------------------------------------------------------------------------- */

static int unprivileged(const struct gen_world *w, uint32_t node)
{
	uint32_t p0 = gen_node_prin(w, 0);
	const struct gen_principal *pr;

	if (node < p0 || node - p0 >= w->npeople)
		return 0;
	pr = PRIN(w, node - p0);
	return pr->enabled && pr->admin_tier < 0 && !(pr->flags & PF_ADMIN_COUNT);
}

/*
 * Backwards from each domain's Domain Admins over the edges an attacker can walk: the
 * first unprivileged enabled person reached has a shortest path, and following the
 * recorded edges forward spells it out. Ties break on edge order, so the result is fixed.
 */
int gen_build_paths(struct gen_world *w)
{
	size_t nn = gen_node_total(w), ne = w->edges.n, i;
	uint32_t *off = calloc(nn + 1, sizeof(uint32_t)), *rev = malloc((ne + 1) * sizeof(uint32_t));
	uint32_t *via = malloc((nn + 1) * sizeof(uint32_t)), *seen = calloc(nn + 1, sizeof(uint32_t));
	uint32_t *queue = malloc((nn + 1) * sizeof(uint32_t));
	int rc = WS_ENOMEM, d;

	if (off == NULL || rev == NULL || via == NULL || seen == NULL || queue == NULL)
		goto out;
	for (i = 0; i < ne; i++)
		if (gen_edge_traversable(EDGE(w, i)->type))
			off[EDGE(w, i)->dst + 1]++;
	for (i = 0; i < nn; i++)
		off[i + 1] += off[i];
	for (i = 0; i < ne; i++) {
		const struct gen_edge *e = EDGE(w, i);

		if (gen_edge_traversable(e->type))
			rev[off[e->dst]++] = (uint32_t)i;
	}
	for (i = nn; i > 0; i--)
		off[i] = off[i - 1];
	off[0] = 0;
	if ((rc = gen_tick(w, 0.86)) != WS_OK)
		goto out;
	rc = WS_ENOMEM;
	for (d = 0; d < w->ndomains; d++) {
		uint32_t target = gen_node_prin(w, w->dom[d].wk[G_DA]), head = 0, tail = 0;
		uint32_t found = UINT32_MAX, stamp = (uint32_t)d + 1, v;
		struct gen_path *p;

		queue[tail++] = target;
		seen[target] = stamp;
		while (head < tail && found == UINT32_MAX) {
			uint32_t x = queue[head++], k;

			for (k = off[x]; k < off[x + 1]; k++) {
				uint32_t e = rev[k], s = EDGE(w, e)->src;

				if (seen[s] == stamp)
					continue;
				seen[s] = stamp;
				via[s] = e;
				if (unprivileged(w, s)) {
					found = s;
					break;
				}
				queue[tail++] = s;
			}
		}
		if (found == UINT32_MAX) {
			rc = WS_ERR;
			goto out;
		}
		if ((p = vec_push(&w->paths)) == NULL)
			goto out;
		p->domain = d;
		p->edge0 = (uint32_t)w->pathedges.n;
		for (v = found; v != target; v = EDGE(w, via[v])->dst) {
			uint32_t *slot = vec_push(&w->pathedges);

			if (slot == NULL)
				goto out;
			*slot = via[v];
			p = (struct gen_path *)w->paths.p + w->paths.n - 1;
			p->nedges++;
		}
		if ((rc = gen_tick(w, 0.85 + 0.1 * (d + 1) / w->ndomains)) != WS_OK)
			goto out;
		rc = WS_ENOMEM;
	}
	rc = WS_OK;
out:
	free(off);
	free(rev);
	free(via);
	free(seen);
	free(queue);
	return rc;
}
