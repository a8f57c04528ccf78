/*
 * gen rows: one element at a time for the job runner, which stores them for the
 * inspection routes. The JSON of an entity is written by the same code as the document.
 */
#include <stdio.h>
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
