/*
 * gen rows: one element at a time for the job runner, which stores them for the
 * inspection routes. The JSON of an entity is written by the same code as the document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gout.h"

static void row_json_begin(struct jw *j, struct wbuf *b)
{
	wbuf_reset(b);
	jw_init(j, b, 0);
}

static void node_props(const struct gen_world *w, uint32_t n, struct jw *j)
{
	char buf[1024];
	uint32_t x = n;

	jw_obj_begin(j);
	if (x < (uint32_t)w->ndomains) {
		const struct gen_domain *d = &w->dom[x];

		jw_kstr(j, "fqdn", d->fqdn);
		jw_kstr(j, "netbios", d->netbios);
		jw_kstr(j, "sid", d->sid);
		jw_kstr(j, "functional_level", d->flevel);
		goto done;
	}
	x -= (uint32_t)w->ndomains;
	if (x < w->ous.n) {
		const struct gen_ou *o = OU(w, x);

		jw_kstr(j, "dn", o->dn);
		jw_kstr(j, "domain", w->dom[o->domain].fqdn);
		jw_key(j, "tier");
		if (o->tier >= 0)
			jw_int(j, o->tier);
		else
			jw_null(j);
		goto done;
	}
	x -= (uint32_t)w->ous.n;
	if (x < w->gpos.n) {
		jw_kstr(j, "guid", GPO(w, x)->guid);
		jw_kstr(j, "domain", w->dom[GPO(w, x)->domain].fqdn);
		goto done;
	}
	x -= (uint32_t)w->gpos.n;
	if (x < w->subnets.n) {
		const struct gen_subnet *s = SUBNET(w, x);

		jw_kstr(j, "cidr", s->cidr);
		jw_kstr(j, "zone", gen_zone_names[s->zone]);
		jw_kstr(j, "site", w->sites[s->site].id);
		goto done;
	}
	x -= (uint32_t)w->subnets.n;
	if (x < w->prin.n) {
		const struct gen_principal *pr = PRIN(w, x);

		jw_kstr(j, "sam", pr->sam);
		gen_fmt_sid(w, pr, buf, sizeof(buf));
		jw_kstr(j, "sid", buf);
		jw_kstr(j, "domain", w->dom[pr->domain].fqdn);
		jw_kbool(j, "enabled", pr->enabled);
		jw_kbool(j, "builtin", pr->builtin);
		jw_key(j, "admin_tier");
		if (pr->admin_tier >= 0)
			jw_int(j, pr->admin_tier);
		else
			jw_null(j);
		if (pr->given >= 0) {
			jw_kstr(j, "title", pr->title);
			jw_kstr(j, "department", gen_depts[pr->dept].name);
		}
		goto done;
	}
	x -= (uint32_t)w->prin.n;
	{
		const struct gen_host *h = HOST(w, x);

		jw_kstr(j, "hostname", h->hostname);
		gen_fmt_ip(buf, h->ip);
		jw_kstr(j, "ip", buf);
		jw_kstr(j, "role", gen_role_names[h->role]);
		jw_kstr(j, "os_version", gen_oses[h->os].version);
		jw_kstr(j, "exposure_profile", gen_exposure_names[h->exposure]);
		jw_kstr(j, "subnet", SUBNET(w, h->subnet)->id);
	}
done:
	jw_obj_end(j);
}

static const char *node_label(const struct gen_world *w, uint32_t n, char *buf, size_t cap)
{
	uint32_t x = n;

	if (x < (uint32_t)w->ndomains)
		return w->dom[x].fqdn;
	x -= (uint32_t)w->ndomains;
	if (x < w->ous.n)
		return OU(w, x)->name;
	x -= (uint32_t)w->ous.n;
	if (x < w->gpos.n)
		return GPO(w, x)->name;
	x -= (uint32_t)w->gpos.n;
	if (x < w->subnets.n)
		return SUBNET(w, x)->cidr;
	x -= (uint32_t)w->subnets.n;
	if (x < w->prin.n) {
		gen_fmt_display(PRIN(w, x), buf, cap);
		return buf;
	}
	return HOST(w, x - (uint32_t)w->prin.n)->hostname;
}

static const char *node_domain(const struct gen_world *w, uint32_t n)
{
	uint32_t x = n;

	if (x < (uint32_t)w->ndomains)
		return w->dom[x].fqdn;
	x -= (uint32_t)w->ndomains;
	if (x < w->ous.n)
		return w->dom[OU(w, x)->domain].fqdn;
	x -= (uint32_t)w->ous.n;
	if (x < w->gpos.n)
		return w->dom[GPO(w, x)->domain].fqdn;
	x -= (uint32_t)w->gpos.n;
	if (x < w->subnets.n)
		return "";
	x -= (uint32_t)w->subnets.n;
	if (x < w->prin.n)
		return w->dom[PRIN(w, x)->domain].fqdn;
	return w->dom[HOST(w, x - (uint32_t)w->prin.n)->domain].fqdn;
}

void gen_world_node(const struct gen_world *w, size_t i, struct gen_node_row *row)
{
	uint32_t n = (uint32_t)i;
	struct jw j;

	row->id = gen_node_id(w, n);
	row->node_type = gen_node_type(w, n);
	row->label = node_label(w, n, row->scratch, sizeof(row->scratch));
	row->domain = node_domain(w, n);
	if (row->json == NULL)
		return;
	row_json_begin(&j, row->json);
	jw_obj_begin(&j);
	jw_key(&j, "data");
	jw_obj_begin(&j);
	jw_kstr(&j, "id", row->id);
	jw_kstr(&j, "node_type", row->node_type);
	jw_kstr(&j, "label", row->label);
	jw_key(&j, "properties");
	node_props(w, n, &j);
	jw_obj_end(&j);
	jw_obj_end(&j);
	(void)jw_finish(&j);
}

size_t gen_world_edge_count(const struct gen_world *w)
{
	return w->edges.n;
}

void gen_world_edge(const struct gen_world *w, size_t i, struct gen_edge_row *row)
{
	const struct gen_edge *e = EDGE(w, i);
	struct jw j;

	snprintf(row->scratch, sizeof(row->scratch), "e-%zu", i + 1);
	row->id = row->scratch;
	row->source = gen_node_id(w, e->src);
	row->target = gen_node_id(w, e->dst);
	row->edge_type = gen_edge_names[e->type];
	row->severity = gen_sev_names[e->sev];
	if (row->json == NULL)
		return;
	row_json_begin(&j, row->json);
	jw_obj_begin(&j);
	jw_key(&j, "data");
	jw_obj_begin(&j);
	jw_kstr(&j, "id", row->id);
	jw_kstr(&j, "source", row->source);
	jw_kstr(&j, "target", row->target);
	jw_kstr(&j, "edge_type", row->edge_type);
	jw_kstr(&j, "severity", row->severity);
	jw_obj_end(&j);
	jw_obj_end(&j);
	(void)jw_finish(&j);
}

size_t gen_world_host_count(const struct gen_world *w)
{
	return w->hosts.n;
}

void gen_world_host(const struct gen_world *w, size_t i, struct gen_host_row *row)
{
	const struct gen_host *h = HOST(w, i);
	const char *fq = w->dom[h->domain].fqdn;
	size_t k, hl = strlen(h->hostname);
	struct jw j;
	struct gout g;

	/* scratch: "ip\0fqdn\0" */
	gen_fmt_ip(row->scratch, h->ip);
	row->ip = row->scratch;
	snprintf(row->scratch + 16, sizeof(row->scratch) - 16, "%s.%s", h->hostname, fq);
	for (k = 0; k < hl; k++)
		if (row->scratch[16 + k] >= 'A' && row->scratch[16 + k] <= 'Z')
			row->scratch[16 + k] = (char)(row->scratch[16 + k] - 'A' + 'a');
	row->fqdn = row->scratch + 16;
	row->id = h->id;
	row->hostname = h->hostname;
	row->domain = fq;
	row->role = gen_role_names[h->role];
	if (row->json == NULL)
		return;
	row_json_begin(&j, row->json);
	gout_init(&g, &j, 1);
	gen_out_host(w, (int32_t)i, &g);
	gout_free(&g);
	(void)jw_finish(&j);
}

size_t gen_world_principal_count(const struct gen_world *w)
{
	return w->prin.n;
}

void gen_world_principal(const struct gen_world *w, size_t i, struct gen_principal_row *row)
{
	const struct gen_principal *pr = PRIN(w, i);
	size_t used = 0;
	struct jw j;
	struct gout g;

	row->id = pr->id;
	row->principal_type = gen_ptype_names[pr->type];
	row->sam = pr->sam;
	row->domain = w->dom[pr->domain].fqdn;
	row->upn = row->email = NULL;
	/* scratch: "display\0upn\0email\0" */
	gen_fmt_display(pr, row->scratch, 128);
	row->display_name = row->scratch;
	used = 128;
	if (gen_fmt_upn(w, pr, row->scratch + used, 384))
		row->upn = row->scratch + used;
	used += 384;
	if (gen_fmt_email(w, pr, row->scratch + used, sizeof(row->scratch) - used))
		row->email = row->scratch + used;
	if (row->json == NULL)
		return;
	row_json_begin(&j, row->json);
	gout_init(&g, &j, 1);
	gen_out_principal(w, (int32_t)i, &g);
	gout_free(&g);
	(void)jw_finish(&j);
}

size_t gen_world_cred_count(const struct gen_world *w)
{
	return w->creds.n;
}

void gen_world_cred(const struct gen_world *w, size_t i, struct gen_cred_row *row)
{
	const struct gen_cred *c = CRED(w, i);
	struct jw j;
	struct gout g;

	row->id = c->id;
	row->principal_id = PRIN(w, c->principal)->id;
	row->host_id = c->host >= 0 ? HOST(w, c->host)->id : NULL;
	if (row->json == NULL)
		return;
	row_json_begin(&j, row->json);
	gout_init(&g, &j, 1);
	gen_out_cred(w, (int32_t)i, &g);
	gout_free(&g);
	(void)jw_finish(&j);
}

size_t gen_world_artifact_count(const struct gen_world *w)
{
	return w->arts.n;
}

void gen_world_artifact(const struct gen_world *w, size_t i, struct gen_artifact_row *row)
{
	const struct gen_artifact *a = ART(w, i);
	struct jw j;
	struct gout g;

	row->id = a->id;
	row->host_id = HOST(w, a->host)->id;
	if (row->json == NULL)
		return;
	row_json_begin(&j, row->json);
	gout_init(&g, &j, 1);
	gen_out_artifact(w, (int32_t)i, &g);
	gout_free(&g);
	(void)jw_finish(&j);
}

/* ---- the inspection overview's counts ------------------------------------------------------ */

enum { NT_DOMAIN, NT_OU, NT_GPO, NT_SUBNET, NT_PRIN0, NT_HOST = NT_PRIN0 + 4, NT_COUNT };

static const char *node_type_name(int k)
{
	static const char *const fixed[] = { "domain", "ou", "gpo", "subnet" };

	if (k < NT_PRIN0)
		return fixed[k];
	return k == NT_HOST ? "host" : gen_ptype_names[k - NT_PRIN0];
}

/* A node's type (NT_*) and domain index (-1 for subnets, which belong to none). */
static int node_kind(const struct gen_world *w, uint32_t n, int *domain)
{
	uint32_t x = n;

	if (x < (uint32_t)w->ndomains) {
		*domain = (int)x;
		return NT_DOMAIN;
	}
	x -= (uint32_t)w->ndomains;
	if (x < w->ous.n) {
		*domain = OU(w, x)->domain;
		return NT_OU;
	}
	x -= (uint32_t)w->ous.n;
	if (x < w->gpos.n) {
		*domain = GPO(w, x)->domain;
		return NT_GPO;
	}
	x -= (uint32_t)w->gpos.n;
	if (x < w->subnets.n) {
		*domain = -1;
		return NT_SUBNET;
	}
	x -= (uint32_t)w->subnets.n;
	if (x < w->prin.n) {
		*domain = PRIN(w, x)->domain;
		return NT_PRIN0 + PRIN(w, x)->type;
	}
	*domain = HOST(w, x - (uint32_t)w->prin.n)->domain;
	return NT_HOST;
}

/* {"name": count, ...} for the non-zero counts; names(k) spells entry k. */
static void count_obj(struct jw *j, const char *key, const size_t *count, int n,
    const char *(*names)(int))
{
	int k;

	jw_key(j, key);
	jw_obj_begin(j);
	for (k = 0; k < n; k++)
		if (count[k] > 0)
			jw_kint(j, names(k), (int64_t)count[k]);
	jw_obj_end(j);
}

static const char *edge_type_name(int k)
{
	return gen_edge_names[k];
}

static const char *role_name(int k)
{
	return gen_role_names[k];
}

static size_t sum(const size_t *v, int n)
{
	size_t s = 0;
	int k;

	for (k = 0; k < n; k++)
		s += v[k];
	return s;
}

int gen_world_overview(const struct gen_world *w, struct jw *j)
{
	size_t n = gen_node_total(w), i, ntype[NT_COUNT] = { 0 }, etype[E_COUNT] = { 0 };
	size_t *dn, *de, *sr;
	uint32_t sub0 = gen_node_subnet(w, 0), host0 = gen_node_host(w, 0);
	int d, k, rc = WS_ENOMEM;

	dn = calloc((size_t)w->ndomains * NT_COUNT, sizeof(*dn));
	de = calloc((size_t)w->ndomains * E_COUNT, sizeof(*de));
	sr = calloc(w->subnets.n * R_COUNT + 1, sizeof(*sr));
	if (dn == NULL || de == NULL || sr == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		k = node_kind(w, (uint32_t)i, &d);
		ntype[k]++;
		if (d >= 0)
			dn[(size_t)d * NT_COUNT + (size_t)k]++;
	}
	for (i = 0; i < w->edges.n; i++) {
		const struct gen_edge *e = EDGE(w, i);

		etype[e->type]++;
		(void)node_kind(w, e->src, &d);
		if (d >= 0)
			de[(size_t)d * E_COUNT + e->type]++;
		/* a subnet's hosts: its Contains edges to host nodes */
		if (e->type == E_Contains && e->src >= sub0 && e->src - sub0 < w->subnets.n &&
		    e->dst >= host0 && e->dst - host0 < w->hosts.n)
			sr[(size_t)(e->src - sub0) * R_COUNT + HOST(w, e->dst - host0)->role]++;
	}
	jw_obj_begin(j);
	jw_kint(j, "nodes", (int64_t)n);
	jw_kint(j, "edges", (int64_t)w->edges.n);
	count_obj(j, "nodes_by_type", ntype, NT_COUNT, node_type_name);
	count_obj(j, "edges_by_type", etype, E_COUNT, edge_type_name);
	jw_key(j, "domains");
	jw_arr_begin(j);
	for (d = 0; d < w->ndomains; d++) {
		const size_t *dnd = dn + (size_t)d * NT_COUNT, *ded = de + (size_t)d * E_COUNT;

		if (sum(dnd, NT_COUNT) == 0)
			continue;
		jw_obj_begin(j);
		jw_kstr(j, "domain", w->dom[d].fqdn);
		jw_kint(j, "nodes", (int64_t)sum(dnd, NT_COUNT));
		jw_kint(j, "edges", (int64_t)sum(ded, E_COUNT));
		count_obj(j, "nodes_by_type", dnd, NT_COUNT, node_type_name);
		count_obj(j, "edges_by_type", ded, E_COUNT, edge_type_name);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_key(j, "subnets");
	jw_arr_begin(j);
	for (i = 0; i < w->subnets.n; i++) {
		const size_t *r = sr + i * R_COUNT;

		jw_obj_begin(j);
		jw_kstr(j, "id", SUBNET(w, i)->id);
		jw_kstr(j, "cidr", SUBNET(w, i)->cidr);
		jw_key(j, "properties");
		node_props(w, sub0 + (uint32_t)i, j);
		jw_kint(j, "hosts", (int64_t)sum(r, R_COUNT));
		count_obj(j, "hosts_by_role", r, R_COUNT, role_name);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
	rc = WS_OK;
out:
	free(dn);
	free(de);
	free(sr);
	return rc;
}
