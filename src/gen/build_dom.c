/* gen build: domains and trusts, OUs and containers, GPOs, sites. Stream "domain". */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gen/internal.h"

static const struct {
	const char *name;
	int parent;                 /* enum gen_ouk, or -1 for the domain */
	int tier;
	int container;              /* CN= rather than OU= */
} ou_defs[O_COUNT] = {
	[O_USERS] = { "Users", -1, -1, 1 },
	[O_BUILTIN] = { "Builtin", -1, -1, 1 },
	[O_DCS] = { "Domain Controllers", -1, 0, 0 },
	[O_TIER0] = { "Tier 0", -1, 0, 0 },
	[O_TIER1] = { "Tier 1", -1, 1, 0 },
	[O_TIER2] = { "Tier 2", -1, 2, 0 },
	[O_DEPTS] = { "Departments", -1, -1, 0 },
	[O_SERVERS] = { "Servers", O_TIER1, 1, 0 },
	[O_WORKSTATIONS] = { "Workstations", O_TIER2, 2, 0 },
	[O_SVC] = { "Service Accounts", O_TIER1, 1, 0 },
	[O_GROUPS] = { "Groups", -1, -1, 0 },
	[O_DISABLED] = { "Disabled Accounts", -1, -1, 0 },
};

static const struct {
	const char *name;
	int ou;                     /* -1: linked to the domain */
} gpo_defs[] = {
	{ "Default Domain Policy", -1 },
	{ "Default Domain Controllers Policy", O_DCS },
	{ "Tier 0 Hardening", O_TIER0 },
	{ "Server Baseline", O_SERVERS },
	{ "Workstation Baseline", O_WORKSTATIONS },
};

static const char *const flevels[] = { "2012R2", "2016", "2016", "2016" };

static int add_ou(struct gen_world *w, int d, int parent, const char *name, int tier,
    int container)
{
	struct gen_ou *o = vec_push(&w->ous);
	const char *pdn;

	if (o == NULL)
		return -1;
	snprintf(o->id, sizeof(o->id), "o-%zu", w->ous.n);
	o->domain = d;
	o->parent = parent;
	o->name = name;
	o->tier = tier;
	pdn = parent >= 0 ? OU(w, parent)->dn : w->dom[d].dn;
	o = OU(w, w->ous.n - 1);
	o->dn = arena_printf(&w->arena, "%s=%s,%s", container ? "CN" : "OU", name, pdn);
	return (int)w->ous.n - 1;
}

static void make_netbios(struct gen_world *w, int d)
{
	char nb[16];
	size_t i, n = strcspn(w->dom[d].fqdn, ".");
	int j, k, clash;

	if (n > 15)
		n = 15;
	for (i = 0; i < n; i++)
		nb[i] = (char)toupper((unsigned char)w->dom[d].fqdn[i]);
	nb[n] = '\0';
	/* Two domains whose first labels agree still need distinct NetBIOS names. */
	for (k = 2;; k++) {
		clash = 0;
		for (j = 0; j < d; j++)
			if (strcmp(w->dom[j].netbios, nb) == 0)
				clash = 1;
		if (!clash)
			break;
		snprintf(nb + (n > 13 ? 13 : n), 3, "%u", (unsigned)(k % 100));
	}
	w->dom[d].netbios = arena_strdup(&w->arena, nb);
}

static void split_counts(struct gen_world *w, int total, uint32_t *count)
{
	unsigned weight[GEN_MAX_DOMAINS], sum = 0;
	int d, given = 0, big = 0;

	/* The first domain is the head office; children are larger than other forests. */
	for (d = 0; d < w->ndomains; d++) {
		weight[d] = d == 0 ? 6 : (w->dom[d].parent >= 0 ? 3 : 2);
		sum += weight[d];
	}
	for (d = 0; d < w->ndomains; d++) {
		count[d] = (uint32_t)((uint64_t)total * weight[d] / sum);
		given += (int)count[d];
	}
	count[0] += (uint32_t)(total - given);
	for (d = 0; d < w->ndomains; d++) {
		if (count[d] > 0)
			continue;
		for (big = 0; big < w->ndomains; big++)
			if (count[big] > 1)
				break;
		count[big]--;
		count[d]++;
	}
}

static int make_trusts(struct gen_world *w, struct rng *r)
{
	int d;

	for (d = 1; d < w->ndomains; d++) {
		struct gen_trust *t = &w->trusts[w->ntrusts++];

		t->from = d;
		if (w->dom[d].parent >= 0) {
			t->to = w->dom[d].parent;
			t->type = "parent_child";
			t->direction = "bidirectional";
			t->transitive = 1;
			t->sid_filtering = 0;
		} else {
			t->to = 0;
			t->type = "forest";
			t->direction = rng_chance(r, 500) ? "bidirectional" : "outbound";
			t->transitive = 1;
			t->sid_filtering = 1;
		}
	}
	return WS_OK;
}

int gen_build_domains(struct gen_world *w)
{
	struct rng r;
	uint32_t people[GEN_MAX_DOMAINS], hosts[GEN_MAX_DOMAINS];
	uint32_t p0 = 0, h0 = 0;
	int d, j, k, o;

	rng_stream(&r, w->p.seed, "domain");
	w->ndomains = w->p.ndomains;
	for (d = 0; d < w->ndomains; d++) {
		struct gen_domain *dm = &w->dom[d];
		const char *fq = w->p.domains[d];
		char dn[600], *q = dn;
		size_t best = 0, len = strlen(fq);
		const char *s;

		/* At most 16 domains: the modulus only tells the compiler the id fits. */
		snprintf(dm->id, sizeof(dm->id), "d-%u", (unsigned)(d + 1) % 1000u);
		dm->fqdn = fq;
		dm->parent = -1;
		for (j = 0; j < d; j++) {
			size_t pl = strlen(w->dom[j].fqdn);

			if (pl < len && pl > best && fq[len - pl - 1] == '.' &&
			    strcmp(fq + len - pl, w->dom[j].fqdn) == 0) {
				best = pl;
				dm->parent = j;
			}
		}
		dm->forest_root = dm->parent >= 0 ? w->dom[dm->parent].forest_root : d;
		make_netbios(w, d);
		/* Domain SIDs are unique within the world: redraw on the rare clash. */
		for (;;) {
			uint32_t a = 1000000000u + rng_below(&r, 3000000000u);
			uint32_t b = 1000000000u + rng_below(&r, 3000000000u);
			uint32_t c = 1000000000u + rng_below(&r, 3000000000u);
			int clash = 0;

			dm->sid = arena_printf(&w->arena, "S-1-5-21-%u-%u-%u", a, b, c);
			for (j = 0; j < d; j++)
				if (strcmp(w->dom[j].sid, dm->sid) == 0)
					clash = 1;
			if (!clash)
				break;
		}
		for (s = fq; *s != '\0';) {
			size_t n = strcspn(s, ".");

			q += snprintf(q, sizeof(dn) - (size_t)(q - dn), "%sDC=%.*s", q == dn ? "" : ",",
			    (int)n, s);
			s += n;
			if (*s == '.')
				s++;
		}
		dm->dn = arena_strdup(&w->arena, dn);
		dm->flevel = flevels[rng_below(&r, W_ARRAY_LEN(flevels))];
		dm->next_rid = 1103;
		for (k = 0; k < G_COUNT; k++)
			dm->wk[k] = -1;
		dm->administrator = dm->guest = dm->krbtgt = -1;
		dm->starter = -1;
	}
	make_trusts(w, &r);
	split_counts(w, w->p.num_users, people);
	split_counts(w, w->p.num_hosts, hosts);
	for (d = 0; d < w->ndomains; d++) {
		struct gen_domain *dm = &w->dom[d];

		dm->people0 = p0;
		dm->npeople = people[d];
		p0 += people[d];
		dm->hosts0 = h0;
		dm->nhosts = hosts[d];
		h0 += hosts[d];
		for (k = 0; k < O_COUNT; k++) {
			int parent = ou_defs[k].parent >= 0 ? dm->ou[ou_defs[k].parent] : -1;

			if ((o = add_ou(w, d, parent, ou_defs[k].name, ou_defs[k].tier,
			    ou_defs[k].container)) < 0)
				return WS_ENOMEM;
			dm->ou[k] = o;
		}
		dm->dept_ou0 = (int32_t)w->ous.n;
		for (k = 0; k < w->preset->departments; k++)
			if (add_ou(w, d, dm->ou[O_DEPTS], gen_depts[k].name, -1, 0) < 0)
				return WS_ENOMEM;
		dm->gpo0 = (int32_t)w->gpos.n;
		dm->ngpo = (int32_t)W_ARRAY_LEN(gpo_defs);
		for (k = 0; k < (int)W_ARRAY_LEN(gpo_defs); k++) {
			struct gen_gpo *g = vec_push(&w->gpos);
			uint64_t a = rng_next(&r), b = rng_next(&r);

			if (g == NULL)
				return WS_ENOMEM;
			snprintf(g->id, sizeof(g->id), "gpo-%zu", w->gpos.n);
			g->domain = d;
			g->name = gpo_defs[k].name;
			g->link_ou = gpo_defs[k].ou >= 0 ? dm->ou[gpo_defs[k].ou] : -1;
			g->guid = arena_printf(&w->arena, "{%08X-%04X-%04X-%04X-%012llX}",
			    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xffff,
			    (unsigned)(b >> 48), (unsigned long long)(b & 0xffffffffffffULL));
		}
	}
	w->nsites = w->preset->sites;
	for (k = 0; k < w->nsites; k++) {
		snprintf(w->sites[k].id, sizeof(w->sites[k].id), "site-%d", k + 1);
		w->sites[k].name = gen_site_names[k];
	}
	return w->arena.err ? WS_ENOMEM : gen_tick(w, 0.02);
}
