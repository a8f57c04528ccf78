/* gen world: the build driver, the node index space and the formatters shared by writers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gout.h"

/* Bump on any change to the output (catalog, rules, layout): the golden tests enforce it. */
#define GEN_VERSION "1.0.0"
#define GEN_SCHEMA_VERSION "1.0"

const char *gen_version(void)
{
	return GEN_VERSION;
}

const char *gen_schema_version(void)
{
	return GEN_SCHEMA_VERSION;
}

const struct gen_params *gen_world_params(const struct gen_world *w)
{
	return &w->p;
}

/* Progress at most every 20 ms, so a slow callback never dominates the build. */
int gen_tick(struct gen_world *w, double fraction)
{
	int64_t now;

	if (w->progress == NULL)
		return WS_OK;
	now = time_mono_ms();
	if (fraction > 0.0 && fraction < 1.0 && now - w->last_progress_ms < 20)
		return WS_OK;
	w->last_progress_ms = now;
	return w->progress(w->progress_ctx, fraction) != 0 ? WS_ECANCEL : WS_OK;
}

void gen_world_free(struct gen_world *w)
{
	struct vec *v[] = { &w->ous, &w->gpos, &w->subnets, &w->prin, &w->hosts, &w->services,
		&w->vulns, &w->hadmins, &w->members, &w->creds, &w->arts, &w->artcreds, &w->edges,
		&w->paths, &w->pathedges, &w->memb, &w->sessions, &w->acl };
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < W_ARRAY_LEN(v); i++)
		vec_free(v[i]);
	arena_free(&w->arena);
	free(w);
}

static void network_id(struct gen_world *w)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[64];
	int i;

	h = rng_hash64(GEN_VERSION, strlen(GEN_VERSION), h);
	snprintf(buf, sizeof(buf), "%s|%lld|%d|%d", w->p.preset, (long long)w->p.seed,
	    w->p.num_users, w->p.num_hosts);
	h = rng_hash64(buf, strlen(buf), h);
	for (i = 0; i < w->p.ndomains; i++)
		h = rng_hash64(w->p.domains[i], strlen(w->p.domains[i]) + 1, h);
	snprintf(w->network_id, sizeof(w->network_id), "net-%016llx", (unsigned long long)h);
}

/* The view readers get: the built arrays, final from here on (nothing grows them). */
static void publish(struct gen_world *w)
{
	struct gen_view *v = &w->view;

	v->params = &w->p;
	v->ndomains = w->ndomains;
	v->domains = w->dom;
	v->ntrusts = w->ntrusts;
	v->trusts = w->trusts;
	v->nous = w->ous.n;
	v->ous = w->ous.p;
	v->ngpos = w->gpos.n;
	v->gpos = w->gpos.p;
	v->nsites = w->nsites;
	v->sites = w->sites;
	v->nsubnets = w->subnets.n;
	v->subnets = w->subnets.p;
	v->nprincipals = w->prin.n;
	v->principals = w->prin.p;
	v->npeople = w->npeople;
	v->nservice_accounts = w->nsvc;
	v->ncomputers = w->ncomputers;
	v->ngroups = w->ngroups;
	v->nhosts = w->hosts.n;
	v->hosts = w->hosts.p;
	v->nservices = w->services.n;
	v->services = w->services.p;
	v->vulns = w->vulns.p;
	v->host_admins = w->hadmins.p;
	v->members = w->members.p;
	v->ncreds = w->creds.n;
	v->creds = w->creds.p;
	v->nartifacts = w->arts.n;
	v->artifacts = w->arts.p;
	v->artifact_creds = w->artcreds.p;
	v->nedges = w->edges.n;
	v->edges = w->edges.p;
	v->npaths = w->paths.n;
	v->paths = w->paths.p;
	v->path_edges = w->pathedges.p;
	v->node_ou0 = gen_node_ou(w, 0);
	v->node_gpo0 = gen_node_gpo(w, 0);
	v->node_subnet0 = gen_node_subnet(w, 0);
	v->node_prin0 = gen_node_prin(w, 0);
	v->node_host0 = gen_node_host(w, 0);
	v->nnodes = (uint32_t)gen_node_total(w);
}

int gen_world_build(const struct gen_params *p, struct gen_world **out,
    int (*progress)(void *ctx, double fraction), void *ctx)
{
	struct gen_world *w;
	int rc;

	*out = NULL;
	if (!p->seed_set || p->ndomains < 1 || p->ndomains > GEN_MAX_DOMAINS ||
	    gen_preset_find(p->preset) == NULL || p->num_users < p->ndomains ||
	    p->num_hosts < p->ndomains || p->num_users > GEN_MAX_USERS ||
	    p->num_hosts > GEN_MAX_HOSTS)
		return WS_EINVAL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return WS_ENOMEM;
	w->p = *p;
	w->p.name[0] = '\0';
	w->p.project_id[0] = '\0';
	w->preset = gen_preset_find(p->preset);
	w->progress = progress;
	w->progress_ctx = ctx;
	w->last_progress_ms = time_mono_ms();
	vec_init(&w->ous, sizeof(struct gen_ou));
	vec_init(&w->gpos, sizeof(struct gen_gpo));
	vec_init(&w->subnets, sizeof(struct gen_subnet));
	vec_init(&w->prin, sizeof(struct gen_principal));
	vec_init(&w->hosts, sizeof(struct gen_host));
	vec_init(&w->services, sizeof(struct gen_service));
	vec_init(&w->vulns, sizeof(uint16_t));
	vec_init(&w->hadmins, sizeof(int32_t));
	vec_init(&w->members, sizeof(int32_t));
	vec_init(&w->creds, sizeof(struct gen_cred));
	vec_init(&w->arts, sizeof(struct gen_artifact));
	vec_init(&w->artcreds, sizeof(int32_t));
	vec_init(&w->edges, sizeof(struct gen_edge));
	vec_init(&w->paths, sizeof(struct gen_path));
	vec_init(&w->pathedges, sizeof(uint32_t));
	vec_init(&w->memb, sizeof(struct gen_memb));
	vec_init(&w->sessions, sizeof(struct gen_memb));
	vec_init(&w->acl, sizeof(struct gen_edge));
	network_id(w);
	if ((rc = gen_tick(w, 0.0)) != WS_OK ||
	    (rc = gen_build_domains(w)) != WS_OK ||
	    (rc = gen_build_people(w)) != WS_OK ||
	    (rc = gen_build_groups(w)) != WS_OK ||
	    (rc = gen_build_network(w)) != WS_OK ||
	    (rc = gen_build_hosts(w)) != WS_OK ||
	    (rc = gen_build_access(w)) != WS_OK ||
	    (rc = gen_build_edges(w)) != WS_OK ||
	    (rc = gen_build_paths(w)) != WS_OK)
		goto out;
	if (w->arena.err)
		rc = WS_ENOMEM;
	else
		rc = gen_tick(w, 1.0);
out:
	vec_free(&w->memb);
	vec_free(&w->sessions);
	vec_free(&w->acl);
	if (rc != WS_OK) {
		gen_world_free(w);
		return rc;
	}
	publish(w);
	*out = w;
	return WS_OK;
}

const struct gen_view *gen_world_view(const struct gen_world *w)
{
	return &w->view;
}

/* ---- lookups by id -------------------------------------------------------------------------- */

struct gen_index {
	struct strmap ids;
};

int gen_index_build(const struct gen_world *w, struct gen_index **out)
{
	struct gen_index *x = calloc(1, sizeof(*x));
	size_t n = gen_node_total(w), i;
	int rc = WS_OK;

	*out = NULL;
	if (x == NULL || strmap_init(&x->ids, n) != WS_OK) {
		free(x);
		return WS_ENOMEM;
	}
	for (i = 0; i < n && rc == WS_OK; i++) {
		const char *id = gen_node_id(w, (uint32_t)i);

		if (strmap_put(&x->ids, id, strlen(id), (uint32_t)i) < 0)
			rc = WS_ENOMEM;
	}
	if (rc != WS_OK) {
		gen_index_free(x);
		return rc;
	}
	*out = x;
	return WS_OK;
}

int gen_index_find(const struct gen_index *x, const char *id, uint32_t *node)
{
	const uint32_t *v = strmap_get(&x->ids, id, strlen(id));

	if (v == NULL)
		return WS_ENOTFOUND;
	*node = *v;
	return WS_OK;
}

void gen_index_free(struct gen_index *x)
{
	if (x == NULL)
		return;
	strmap_free(&x->ids);
	free(x);
}

int32_t gen_add_principal(struct gen_world *w, int type, int domain)
{
	struct gen_principal *pr = vec_push(&w->prin);

	if (pr == NULL)
		return -1;
	pr->type = (uint8_t)type;
	pr->domain = (uint8_t)domain;
	pr->admin_tier = -1;
	pr->dept = -1;
	pr->wk = -1;
	pr->manager = -1;
	pr->ou = -1;
	pr->host = -1;
	pr->given = pr->surname = -1;
	pr->enabled = 1;
	pr->last_logon = -1;
	return (int32_t)(w->prin.n - 1);
}

int gen_add_edge(struct gen_world *w, uint32_t src, uint32_t dst, int type)
{
	struct gen_edge *e = vec_push(&w->edges);

	if (e == NULL)
		return WS_ENOMEM;
	e->src = src;
	e->dst = dst;
	e->type = (uint8_t)type;
	e->sev = gen_edge_sev[type];
	return WS_OK;
}

int gen_add_memb(struct gen_world *w, int32_t member, int32_t group)
{
	struct gen_memb *m;

	if (member < 0 || group < 0)
		return WS_OK;
	m = vec_push(&w->memb);
	if (m == NULL)
		return WS_ENOMEM;
	m->member = member;
	m->group = group;
	return WS_OK;
}

/* ---- node index space ----------------------------------------------------------------------- */

uint32_t gen_node_domain(const struct gen_world *w, int d)
{
	(void)w;
	return (uint32_t)d;
}

uint32_t gen_node_ou(const struct gen_world *w, int o)
{
	return (uint32_t)(w->ndomains + o);
}

uint32_t gen_node_gpo(const struct gen_world *w, int g)
{
	return (uint32_t)(w->ndomains + w->ous.n + (size_t)g);
}

uint32_t gen_node_subnet(const struct gen_world *w, int s)
{
	return (uint32_t)(w->ndomains + w->ous.n + w->gpos.n + (size_t)s);
}

uint32_t gen_node_prin(const struct gen_world *w, int32_t p)
{
	return (uint32_t)(w->ndomains + w->ous.n + w->gpos.n + w->subnets.n + (size_t)p);
}

uint32_t gen_node_host(const struct gen_world *w, int32_t h)
{
	return (uint32_t)(w->ndomains + w->ous.n + w->gpos.n + w->subnets.n + w->prin.n +
	    (size_t)h);
}

size_t gen_node_total(const struct gen_world *w)
{
	return (size_t)w->ndomains + w->ous.n + w->gpos.n + w->subnets.n + w->prin.n +
	    w->hosts.n;
}

size_t gen_world_node_count(const struct gen_world *w)
{
	return gen_node_total(w);
}

const char *gen_node_id(const struct gen_world *w, uint32_t n)
{
	if (n < (uint32_t)w->ndomains)
		return w->dom[n].id;
	n -= (uint32_t)w->ndomains;
	if (n < w->ous.n)
		return OU(w, n)->id;
	n -= (uint32_t)w->ous.n;
	if (n < w->gpos.n)
		return GPO(w, n)->id;
	n -= (uint32_t)w->gpos.n;
	if (n < w->subnets.n)
		return SUBNET(w, n)->id;
	n -= (uint32_t)w->subnets.n;
	if (n < w->prin.n)
		return PRIN(w, n)->id;
	n -= (uint32_t)w->prin.n;
	return HOST(w, n)->id;
}

const char *gen_node_type(const struct gen_world *w, uint32_t n)
{
	if (n < (uint32_t)w->ndomains)
		return "domain";
	n -= (uint32_t)w->ndomains;
	if (n < w->ous.n)
		return "ou";
	n -= (uint32_t)w->ous.n;
	if (n < w->gpos.n)
		return "gpo";
	n -= (uint32_t)w->gpos.n;
	if (n < w->subnets.n)
		return "subnet";
	n -= (uint32_t)w->subnets.n;
	if (n < w->prin.n)
		return gen_ptype_names[PRIN(w, n)->type];
	return "host";
}

/* ---- formatting ------------------------------------------------------------------------------ */

static char *two(char *d, int v)
{
	d[0] = (char)('0' + v / 10);
	d[1] = (char)('0' + v % 10);
	return d + 2;
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian), without the C library's TZ. */
void gen_fmt_time(char out[24], int32_t secs_before_ref)
{
	int64_t t = GEN_REFERENCE_EPOCH - secs_before_ref;
	int64_t days = t / 86400, rem = t % 86400, z, era, doe, yoe, y, doy, mp, d, m;
	char *q = out;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	q = two(q, (int)(y / 100 % 100));
	q = two(q, (int)(y % 100));
	*q++ = '-';
	q = two(q, (int)m);
	*q++ = '-';
	q = two(q, (int)d);
	*q++ = 'T';
	q = two(q, (int)(rem / 3600));
	*q++ = ':';
	q = two(q, (int)(rem / 60 % 60));
	*q++ = ':';
	q = two(q, (int)(rem % 60));
	*q++ = 'Z';
	*q = '\0';
}

void gen_fmt_ip(char out[16], uint32_t ip)
{
	char *q = out;
	int k;

	for (k = 3; k >= 0; k--) {
		q = go_cat_u(q, (ip >> (8 * k)) & 255);
		if (k > 0)
			*q++ = '.';
	}
	*q = '\0';
}

void gen_fmt_sid(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n)
{
	const struct gen_domain *d = &w->dom[pr->domain];
	char *q = out;

	(void)n;
	/* Builtin-domain groups share S-1-5-32-x in every domain; prefixed as BloodHound does. */
	if (pr->wk >= 0 && strcmp(gen_wk[pr->wk].scope, "builtin_local") == 0) {
		q = go_cat(q, d->fqdn);
		q = go_cat(q, "-S-1-5-32-");
	} else {
		q = go_cat(q, d->sid);
		*q++ = '-';
	}
	go_cat_u(q, pr->rid);
}

void gen_fmt_dn(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n)
{
	char *q = out;

	(void)n;
	q = go_cat(q, "CN=");
	q = go_cat(q, pr->cn);
	*q++ = ',';
	go_cat(q, OU(w, pr->ou)->dn);
}

int gen_fmt_upn(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n)
{
	char *q = out;

	(void)n;
	if (pr->type == PT_GROUP)
		return 0;
	q = go_cat(q, pr->sam);
	*q++ = '@';
	go_cat(q, w->dom[pr->domain].fqdn);
	return 1;
}

int gen_fmt_email(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n)
{
	char *q = out;

	(void)n;
	if (pr->email_local == NULL)
		return 0;
	q = go_cat(q, pr->email_local);
	*q++ = '@';
	go_cat(q, w->dom[pr->domain].fqdn);
	return 1;
}

void gen_fmt_display(const struct gen_principal *pr, char *out, size_t n)
{
	char *q = out;

	(void)n;
	if (pr->given >= 0) {
		q = go_cat(q, gen_given_names[pr->given]);
		*q++ = ' ';
		go_cat(q, gen_surnames[pr->surname]);
	} else {
		go_cat(q, pr->name != NULL ? pr->name : pr->sam);
	}
}
