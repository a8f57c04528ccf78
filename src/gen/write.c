/*
 * gen write: the canonical document, streamed through struct jw. Keys are written in one
 * fixed order, arrays in build order, numbers as integers (CVSS is the one decimal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gout.h"

/* Keys must stay string literals (go_key quotes them at compile time), hence macros. */
#define kid(g, key, id) go_kstr(g, key, id)
#define kopt(g, key, idx, id) go_kstr(g, key, (idx) < 0 ? NULL : (id))
#define ktime(g, key, secs, present) do { \
	go_key(g, key); \
	go_time(g, secs, present); \
} while (0)

static void go_time(struct gout *g, int32_t secs_before, int present)
{
	char t[24];

	if (!present) {
		go_null(g);
		return;
	}
	gen_fmt_time(t, secs_before);
	go_strn(g, t, 20);
}

void gen_out_principal(const struct gen_world *w, int32_t i, struct gout *g)
{
	const struct gen_principal *pr = PRIN(w, i);
	char buf[1024];
	uint32_t k;
	int person = pr->given >= 0, group = pr->type == PT_GROUP;

	go_obj_begin(g);
	kid(g, "principal_id", pr->id);
	go_kstr(g, "principal_type", gen_ptype_names[pr->type]);
	go_kstr(g, "sam", pr->sam);
	if (gen_fmt_upn(w, pr, buf, sizeof(buf)))
		go_kstr(g, "upn", buf);
	else
		go_knull(g, "upn");
	gen_fmt_dn(w, pr, buf, sizeof(buf));
	go_kstr(g, "dn", buf);
	gen_fmt_sid(w, pr, buf, sizeof(buf));
	go_kstr(g, "sid", buf);
	go_kstr(g, "domain", w->dom[pr->domain].fqdn);
	go_kbool(g, "builtin", pr->builtin);
	go_kstr(g, "given_name", person ? gen_given_names[pr->given] : NULL);
	go_kstr(g, "surname", person ? gen_surnames[pr->surname] : NULL);
	gen_fmt_display(pr, buf, sizeof(buf));
	go_kstr(g, "display_name", buf);
	if (gen_fmt_email(w, pr, buf, sizeof(buf)))
		go_kstr(g, "email", buf);
	else
		go_knull(g, "email");
	go_kstr(g, "title", pr->title);
	go_kstr(g, "department", pr->dept >= 0 && person ? gen_depts[pr->dept].name : NULL);
	kopt(g, "manager_id", pr->manager, pr->manager >= 0 ? PRIN(w, pr->manager)->id : NULL);
	go_kbool(g, "enabled", pr->enabled);
	go_key(g, "admin_tier");
	if (pr->admin_tier >= 0)
		go_int(g, pr->admin_tier);
	else
		go_null(g);
	go_kstr(g, "description", pr->description);
	kid(g, "ou_id", OU(w, pr->ou)->id);
	go_key(g, "flags");
	go_obj_begin(g);
	go_kbool(g, "dont_req_preauth", pr->flags & PF_DONT_REQ_PREAUTH);
	go_key(g, "spns");
	go_arr_begin(g);
	for (k = 0; k < pr->nspns; k++)
		go_str(g, pr->spns[k]);
	go_arr_end(g);
	go_kbool(g, "pwd_never_expires", pr->flags & PF_PWD_NEVER_EXPIRES);
	go_kbool(g, "pwd_not_required", pr->flags & PF_PWD_NOT_REQUIRED);
	go_kbool(g, "admin_count", pr->flags & PF_ADMIN_COUNT);
	go_kbool(g, "unconstrained_delegation", pr->flags & PF_UNCONSTRAINED);
	go_obj_end(g);
	ktime(g, "pwd_last_set", pr->pwd_last_set, !group && pr->pwd_last_set > 0);
	ktime(g, "last_logon", pr->last_logon, !group && pr->last_logon >= 0);
	go_kstr(g, "password_profile", group ? NULL : gen_pwd_names[pr->pwd]);
	if (group) {
		go_kstr(g, "group_scope", pr->wk >= 0 ? gen_wk[pr->wk].scope : "global");
		go_key(g, "members");
		go_arr_begin(g);
		for (k = 0; k < pr->nmembers; k++)
			go_str(g, PRIN(w, I32(&w->members, pr->members0 + k))->id);
		go_arr_end(g);
	}
	if (pr->type == PT_COMPUTER)
		kid(g, "host_id", HOST(w, pr->host)->id);
	go_obj_end(g);
}

void gen_out_host(const struct gen_world *w, int32_t i, struct gout *g)
{
	const struct gen_host *h = HOST(w, i);
	const struct gen_subnet *sn = SUBNET(w, h->subnet);
	char buf[300], *c, *q;
	uint32_t k, v;

	go_obj_begin(g);
	kid(g, "host_id", h->id);
	go_kstr(g, "hostname", h->hostname);
	q = go_cat(buf, h->hostname);
	*q++ = '.';
	go_cat(q, w->dom[h->domain].fqdn);
	for (c = buf; *c != '\0' && *c != '.'; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	go_kstr(g, "fqdn", buf);
	go_kstr(g, "domain", w->dom[h->domain].fqdn);
	gen_fmt_ip(buf, h->ip);
	go_kstr(g, "ip", buf);
	kid(g, "subnet", sn->id);
	kid(g, "site", w->sites[sn->site].id);
	go_kstr(g, "zone", gen_zone_names[h->zone]);
	go_kstr(g, "os_family", gen_oses[h->os].family);
	go_kstr(g, "os_version", gen_oses[h->os].version);
	go_kstr(g, "role", gen_role_names[h->role]);
	go_kstr(g, "exposure_profile", gen_exposure_names[h->exposure]);
	kopt(g, "computer_id", h->computer, h->computer >= 0 ? PRIN(w, h->computer)->id : NULL);
	kopt(g, "primary_user", h->primary_user,
	    h->primary_user >= 0 ? PRIN(w, h->primary_user)->id : NULL);
	go_key(g, "local_admins");
	go_arr_begin(g);
	for (k = 0; k < h->nadmins; k++)
		go_str(g, PRIN(w, I32(&w->hadmins, h->admins0 + k))->id);
	go_arr_end(g);
	go_kbool(g, "laps", h->laps);
	go_key(g, "services");
	go_arr_begin(g);
	for (k = 0; k < h->nsvc; k++) {
		const struct gen_service *s = SERVICE(w, h->svc0 + k);
		const struct gen_svcdef *sd = &gen_svcdefs[s->def];

		go_obj_begin(g);
		go_cat_u(go_cat(buf, "s-"), h->svc0 + k + 1);
		go_kstr(g, "service_id", buf);
		go_kstr(g, "name", sd->name);
		go_kint(g, "port", sd->port);
		go_kstr(g, "proto", sd->proto);
		go_kstr(g, "state", "open");
		go_kstr(g, "product", sd->product);
		go_kstr(g, "version", sd->version);
		go_kstr(g, "auth", sd->auth);
		kopt(g, "run_as", s->run_as, s->run_as >= 0 ? PRIN(w, s->run_as)->id : NULL);
		go_key(g, "vulnerabilities");
		go_arr_begin(g);
		for (v = 0; v < s->nvulns; v++) {
			const struct gen_vulndef *vd =
			    &gen_vulndefs[((const uint16_t *)w->vulns.p)[s->vuln0 + v]];

			go_obj_begin(g);
			go_kstr(g, "vuln_id", vd->id);
			go_kstr(g, "cve", vd->cve[0] ? vd->cve : NULL);
			go_kstr(g, "name", vd->name);
			go_kstr(g, "grants", vd->grants);
			q = go_cat_u(buf, (uint64_t)(vd->cvss10 / 10));
			*q++ = '.';
			go_cat_u(q, (uint64_t)(vd->cvss10 % 10));
			go_key(g, "cvss");
			go_number(g, buf);
			go_obj_end(g);
		}
		go_arr_end(g);
		go_obj_end(g);
	}
	go_arr_end(g);
	go_obj_end(g);
}

void gen_out_cred(const struct gen_world *w, int32_t i, struct gout *g)
{
	const struct gen_cred *c = CRED(w, i);

	go_obj_begin(g);
	kid(g, "cred_id", c->id);
	kid(g, "principal_id", PRIN(w, c->principal)->id);
	go_kstr(g, "kind", gen_cred_names[c->kind]);
	kopt(g, "found_on", c->host, c->host >= 0 ? HOST(w, c->host)->id : NULL);
	go_kstr(g, "location", c->location);
	kopt(g, "artifact_id", c->artifact, c->artifact >= 0 ? ART(w, c->artifact)->id : NULL);
	go_kbool(g, "cracks", c->cracks);
	go_obj_end(g);
}

void gen_out_artifact(const struct gen_world *w, int32_t i, struct gout *g)
{
	const struct gen_artifact *a = ART(w, i);
	uint32_t k;

	go_obj_begin(g);
	kid(g, "artifact_id", a->id);
	kid(g, "host_id", HOST(w, a->host)->id);
	go_kstr(g, "kind", gen_art_names[a->kind]);
	go_kstr(g, "path", a->path);
	go_kstr(g, "description", a->description);
	go_key(g, "credential_ids");
	go_arr_begin(g);
	for (k = 0; k < a->ncreds; k++)
		go_str(g, CRED(w, I32(&w->artcreds, a->cred0 + k))->id);
	go_arr_end(g);
	go_obj_end(g);
}

static void write_edge(const struct gen_world *w, size_t i, struct gout *g)
{
	const struct gen_edge *e = EDGE(w, i);
	char id[24];

	go_cat_u(go_cat(id, "e-"), i + 1);
	go_obj_begin(g);
	go_kstr(g, "edge_id", id);
	go_kstr(g, "source", gen_node_id(w, e->src));
	go_kstr(g, "target", gen_node_id(w, e->dst));
	go_kstr(g, "edge_type", gen_edge_names[e->type]);
	go_kstr(g, "severity", gen_sev_names[e->sev]);
	go_obj_end(g);
}

static const char *inverse_direction(const char *dir)
{
	if (strcmp(dir, "outbound") == 0)
		return "inbound";
	if (strcmp(dir, "inbound") == 0)
		return "outbound";
	return dir;
}

static void write_domain(const struct gen_world *w, int d, struct jw *j)
{
	const struct gen_domain *dm = &w->dom[d];
	int t;

	jw_obj_begin(j);
	jw_kstr(j, "domain_id", dm->id);
	jw_kstr(j, "fqdn", dm->fqdn);
	jw_kstr(j, "netbios", dm->netbios);
	jw_kstr(j, "sid", dm->sid);
	jw_kstr(j, "dn", dm->dn);
	jw_kstr(j, "forest_root", w->dom[dm->forest_root].fqdn);
	jw_kstr(j, "parent", dm->parent >= 0 ? w->dom[dm->parent].fqdn : NULL);
	jw_kstr(j, "functional_level", dm->flevel);
	jw_key(j, "trusts");
	jw_arr_begin(j);
	for (t = 0; t < w->ntrusts; t++) {
		const struct gen_trust *tr = &w->trusts[t];

		if (tr->from != d && tr->to != d)
			continue;
		jw_obj_begin(j);
		jw_kstr(j, "partner", w->dom[tr->from == d ? tr->to : tr->from].fqdn);
		jw_kstr(j, "type", tr->type);
		jw_kstr(j, "direction", tr->from == d ? tr->direction :
		    inverse_direction(tr->direction));
		jw_kbool(j, "transitive", tr->transitive);
		jw_kbool(j, "sid_filtering", tr->sid_filtering);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

static void write_network(const struct gen_world *w, struct jw *j)
{
	size_t i, k;
	char buf[40];

	jw_key(j, "sites");
	jw_arr_begin(j);
	for (k = 0; k < (size_t)w->nsites; k++) {
		jw_obj_begin(j);
		jw_kstr(j, "site_id", w->sites[k].id);
		jw_kstr(j, "name", w->sites[k].name);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_key(j, "subnets");
	jw_arr_begin(j);
	for (i = 0; i < w->subnets.n; i++) {
		const struct gen_subnet *s = SUBNET(w, i);

		jw_obj_begin(j);
		jw_kstr(j, "subnet_id", s->id);
		jw_kstr(j, "cidr", s->cidr);
		gen_fmt_ip(buf, s->base + 1);
		jw_kstr(j, "gateway", buf);
		jw_kstr(j, "zone", gen_zone_names[s->zone]);
		jw_kstr(j, "site", w->sites[s->site].id);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_key(j, "zone_flows");
	jw_arr_begin(j);
	for (i = 0; i < gen_n_flows; i++) {
		const char *p = gen_flows[i].ports;

		jw_obj_begin(j);
		jw_kstr(j, "from", gen_flows[i].from < 0 ? "internet" : gen_zone_names[gen_flows[i].from]);
		jw_kstr(j, "to", gen_zone_names[gen_flows[i].to]);
		jw_key(j, "ports");
		jw_arr_begin(j);
		while (*p != '\0') {
			jw_int(j, strtol(p, (char **)&p, 10));
			if (*p == ',')
				p++;
		}
		jw_arr_end(j);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

static void write_directory(const struct gen_world *w, struct jw *j)
{
	size_t i;

	jw_key(j, "ous");
	jw_arr_begin(j);
	for (i = 0; i < w->ous.n; i++) {
		const struct gen_ou *o = OU(w, i);

		jw_obj_begin(j);
		jw_kstr(j, "ou_id", o->id);
		jw_kstr(j, "name", o->name);
		jw_kstr(j, "dn", o->dn);
		jw_kstr(j, "domain", w->dom[o->domain].fqdn);
		jw_kstr(j, "parent_id", o->parent >= 0 ? OU(w, o->parent)->id : NULL);
		jw_key(j, "tier");
		if (o->tier >= 0)
			jw_int(j, o->tier);
		else
			jw_null(j);
		jw_kbool(j, "container", strncmp(o->dn, "CN=", 3) == 0);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_key(j, "gpos");
	jw_arr_begin(j);
	for (i = 0; i < w->gpos.n; i++) {
		const struct gen_gpo *g = GPO(w, i);

		jw_obj_begin(j);
		jw_kstr(j, "gpo_id", g->id);
		jw_kstr(j, "name", g->name);
		jw_kstr(j, "guid", g->guid);
		jw_kstr(j, "domain", w->dom[g->domain].fqdn);
		jw_kstr(j, "linked_to", g->link_ou >= 0 ? OU(w, g->link_ou)->id : w->dom[g->domain].id);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

static void write_paths(const struct gen_world *w, struct jw *j)
{
	const struct gen_path *p = w->paths.p;
	const uint32_t *pe = w->pathedges.p;
	size_t i;
	uint32_t k;
	char id[24];

	jw_key(j, "attack_paths");
	jw_arr_begin(j);
	for (i = 0; i < w->paths.n; i++) {
		const struct gen_edge *first = EDGE(w, pe[p[i].edge0]);
		const struct gen_edge *last = EDGE(w, pe[p[i].edge0 + p[i].nedges - 1]);

		jw_obj_begin(j);
		snprintf(id, sizeof(id), "ap-%zu", i + 1);
		jw_kstr(j, "path_id", id);
		jw_kstr(j, "domain", w->dom[p[i].domain].fqdn);
		jw_kstr(j, "source", gen_node_id(w, first->src));
		jw_kstr(j, "target", gen_node_id(w, last->dst));
		jw_kint(j, "length", p[i].nedges);
		jw_key(j, "edges");
		jw_arr_begin(j);
		for (k = 0; k < p[i].nedges; k++) {
			snprintf(id, sizeof(id), "e-%u", pe[p[i].edge0 + k] + 1);
			jw_str(j, id);
		}
		jw_arr_end(j);
		jw_key(j, "nodes");
		jw_arr_begin(j);
		jw_str(j, gen_node_id(w, first->src));
		for (k = 0; k < p[i].nedges; k++)
			jw_str(j, gen_node_id(w, EDGE(w, pe[p[i].edge0 + k])->dst));
		jw_arr_end(j);
		jw_key(j, "edge_types");
		jw_arr_begin(j);
		for (k = 0; k < p[i].nedges; k++)
			jw_str(j, gen_edge_names[EDGE(w, pe[p[i].edge0 + k])->type]);
		jw_arr_end(j);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

void gen_world_stats(const struct gen_world *w, struct jw *j)
{
	size_t count[E_COUNT] = { 0 }, i, nusers = 0, ndcs = 0;
	int d;

	for (i = 0; i < w->edges.n; i++)
		count[EDGE(w, i)->type]++;
	for (i = 0; i < w->prin.n; i++)
		nusers += PRIN(w, i)->type == PT_USER && !PRIN(w, i)->builtin;
	for (i = 0; i < w->hosts.n; i++)
		ndcs += HOST(w, i)->role == R_DC;
	jw_obj_begin(j);
	jw_kstr(j, "network_id", w->network_id);
	jw_kint(j, "total_hosts", (int64_t)w->hosts.n);
	jw_kint(j, "total_principals", (int64_t)w->prin.n);
	jw_kint(j, "total_edges", (int64_t)w->edges.n);
	jw_key(j, "domains");
	jw_arr_begin(j);
	for (d = 0; d < w->ndomains; d++)
		jw_str(j, w->dom[d].fqdn);
	jw_arr_end(j);
	jw_kint(j, "total_users", (int64_t)nusers);
	jw_kint(j, "total_builtin_accounts", (int64_t)w->nbuiltin_users);
	jw_kint(j, "total_service_accounts", (int64_t)w->nsvc);
	jw_kint(j, "total_computers", (int64_t)w->ncomputers);
	jw_kint(j, "total_groups", (int64_t)(w->prin.n - nusers - w->nbuiltin_users - w->nsvc -
	    w->ncomputers));
	jw_kint(j, "total_domain_controllers", (int64_t)ndcs);
	jw_kint(j, "total_sites", w->nsites);
	jw_kint(j, "total_subnets", (int64_t)w->subnets.n);
	jw_kint(j, "total_ous", (int64_t)w->ous.n);
	jw_kint(j, "total_gpos", (int64_t)w->gpos.n);
	jw_kint(j, "total_services", (int64_t)w->services.n);
	jw_kint(j, "total_vulnerabilities", (int64_t)w->vulns.n);
	jw_kint(j, "total_credentials", (int64_t)w->creds.n);
	jw_kint(j, "total_artifacts", (int64_t)w->arts.n);
	jw_kint(j, "total_attack_paths", (int64_t)w->paths.n);
	jw_key(j, "edges_by_type");
	jw_obj_begin(j);
	for (i = 0; i < E_COUNT; i++)
		jw_kint(j, gen_edge_names[i], (int64_t)count[i]);
	jw_obj_end(j);
	jw_obj_end(j);
}

int gen_world_write(const struct gen_world *w, struct jw *j)
{
	return gen_world_write_mode(w, j, !j->pretty);
}

int gen_world_write_mode(const struct gen_world *w, struct jw *j, int raw)
{
	struct gout g;
	size_t i;
	int d, rc;

	gout_init(&g, j, raw && !j->pretty);

	jw_obj_begin(j);
	jw_kstr(j, "schema_version", gen_schema_version());
	jw_kstr(j, "manifest_kind", "active_directory");
	jw_kstr(j, "generator_version", gen_version());
	jw_kint(j, "seed", w->p.seed);
	jw_kstr(j, "preset", w->p.preset);
	jw_kstr(j, "reference_time", GEN_REFERENCE_TIME);
	jw_kstr(j, "network_id", w->network_id);
	jw_key(j, "parameters");
	jw_obj_begin(j);
	jw_kstr(j, "preset", w->p.preset);
	jw_kint(j, "seed", w->p.seed);
	jw_kint(j, "num_users", w->p.num_users);
	jw_kint(j, "num_hosts", w->p.num_hosts);
	jw_key(j, "domains");
	jw_arr_begin(j);
	for (d = 0; d < w->p.ndomains; d++)
		jw_str(j, w->p.domains[d]);
	jw_arr_end(j);
	jw_obj_end(j);
	jw_key(j, "domains");
	jw_arr_begin(j);
	for (d = 0; d < w->ndomains; d++)
		write_domain(w, d, j);
	jw_arr_end(j);
	write_network(w, j);
	write_directory(w, j);
	jw_key(j, "principals");
	jw_arr_begin(j);
	for (i = 0; i < w->prin.n; i++)
		gen_out_principal(w, (int32_t)i, &g);
	jw_arr_end(j);
	jw_key(j, "hosts");
	jw_arr_begin(j);
	for (i = 0; i < w->hosts.n; i++)
		gen_out_host(w, (int32_t)i, &g);
	jw_arr_end(j);
	jw_key(j, "credentials");
	jw_arr_begin(j);
	for (i = 0; i < w->creds.n; i++)
		gen_out_cred(w, (int32_t)i, &g);
	jw_arr_end(j);
	jw_key(j, "artifacts");
	jw_arr_begin(j);
	for (i = 0; i < w->arts.n; i++)
		gen_out_artifact(w, (int32_t)i, &g);
	jw_arr_end(j);
	jw_key(j, "edges");
	jw_arr_begin(j);
	for (i = 0; i < w->edges.n; i++)
		write_edge(w, i, &g);
	jw_arr_end(j);
	write_paths(w, j);
	jw_key(j, "stats");
	gen_world_stats(w, j);
	jw_obj_end(j);
	rc = gout_flush(&g);
	gout_free(&g);
	return rc != WS_OK ? rc : jw_finish(j);
}
