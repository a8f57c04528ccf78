/*
 * gen build: the network plan (roles, zones, /24 subnets), hosts with their computer
 * accounts, services and flaws, local admins and sessions. Stream "host".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gout.h"

#define DAY 86400
#define HOSTS_PER_SUBNET 240   /* .10 to .249 */

static const int server_cycle[] = { R_FILE, R_WEB, R_SQL, R_APP, R_MAIL, R_JUMP, R_APP, R_WEB,
	R_SQL, R_FILE };
static const char *const role_prefix[R_COUNT] = { "DC", "FS", "WEB", "SQL", "APP", "CA", "MAIL",
	"JUMP", "WS" };

static int role_zone(const struct gen_world *w, int role)
{
	switch (role) {
	case R_WEB:
	case R_MAIL: return Z_DMZ;
	case R_SQL: return w->preset->subnets[Z_RESTRICTED] > 0 ? Z_RESTRICTED : Z_SERVER;
	case R_JUMP: return w->preset->subnets[Z_MGMT] > 0 ? Z_MGMT : Z_SERVER;
	case R_WS: return Z_WS;
	default: return Z_SERVER;
	}
}

/* The role of the k-th server of a domain with s servers (a CA once there are four). */
static int server_role(int k, int s)
{
	if (s >= 4)
		return k == 0 ? R_CA : server_cycle[(k - 1) % (int)W_ARRAY_LEN(server_cycle)];
	return server_cycle[k % (int)W_ARRAY_LEN(server_cycle)];
}

int gen_build_network(struct gen_world *w)
{
	int total = w->preset->dcs, d, z, k, extra, zcount[Z_COUNT] = { 0 }, seq[8] = { 0 };
	int ndmz = 0;

	if (total < w->ndomains)
		total = w->ndomains;
	if (total > w->p.num_hosts)
		total = w->p.num_hosts;
	for (d = 0; d < w->ndomains; d++)
		w->dom[d].plan[R_DC] = 1;
	/* Extra DCs go round the domains, leaving each at least one other host when it can. */
	for (extra = total - w->ndomains; extra > 0;) {
		int placed = 0;

		for (d = 0; d < w->ndomains && extra > 0; d++) {
			if ((uint32_t)w->dom[d].plan[R_DC] + 1 < w->dom[d].nhosts) {
				w->dom[d].plan[R_DC]++;
				extra--;
				placed = 1;
			}
		}
		if (!placed)
			break;
	}
	for (d = 0; d < w->ndomains; d++) {
		struct gen_domain *dm = &w->dom[d];
		int r = (int)dm->nhosts - dm->plan[R_DC], s = 0;

		if (r >= 2)
			s = (r * 2 + 5) / 10 > 0 ? (r * 2 + 5) / 10 : 1;
		for (k = 0; k < s; k++)
			dm->plan[server_role(k, s)]++;
		dm->plan[R_WS] = r - s;
		for (k = 0; k < R_COUNT; k++)
			zcount[role_zone(w, k)] += dm->plan[k];
	}
	for (z = 0; z < Z_COUNT; z++) {
		int need = (zcount[z] + HOSTS_PER_SUBNET - 1) / HOSTS_PER_SUBNET;

		if (need < w->preset->subnets[z])
			need = w->preset->subnets[z];
		for (k = 0; k < need; k++) {
			struct gen_subnet *sn = vec_push(&w->subnets);
			int site = k % w->nsites;

			if (sn == NULL)
				return WS_ENOMEM;
			snprintf(sn->id, sizeof(sn->id), "net-%zu", w->subnets.n);
			sn->zone = z;
			sn->site = site;
			if (z == Z_DMZ)
				sn->base = (172u << 24) | (16u << 16) | ((uint32_t)ndmz++ << 8);
			else
				sn->base = (10u << 24) | ((uint32_t)(site + 1) << 16) |
				    ((uint32_t)seq[site]++ << 8);
			snprintf(sn->cidr, sizeof(sn->cidr), "%u.%u.%u.0/24", sn->base >> 24,
			    (sn->base >> 16) & 255, (sn->base >> 8) & 255);
		}
	}
	return gen_tick(w, 0.4);
}

static int pick_os(struct rng *r, int role)
{
	unsigned x = rng_below(r, 100);

	if (role == R_WS)
		return x < 1 ? 7 : (x < 31 ? 8 : (x < 71 ? 9 : 10));
	if ((role == R_WEB || role == R_APP) && x < 40)
		return 4 + (int)rng_below(r, 3);
	if (role == R_SQL && x < 20)
		return 4 + (int)rng_below(r, 3);
	x = rng_below(r, 100);
	return x < 10 ? 0 : (x < 40 ? 1 : (x < 80 ? 2 : 3));
}

static int32_t find_svc(const struct gen_world *w, int d, const char *base)
{
	int32_t k;

	for (k = 0; k < w->dom[d].nsvc; k++)
		if (strncmp(PRIN(w, w->dom[d].svc0 + k)->sam, base, strlen(base)) == 0)
			return w->dom[d].svc0 + k;
	return -1;
}

struct spn {
	int32_t acct;
	const char *spn;
};

static int add_service(struct gen_world *w, struct rng *r, struct gen_host *h, const char *name,
    int32_t run_as, struct vec *spns)
{
	struct gen_service *s = vec_push(&w->services);
	const struct gen_os *os = &gen_oses[h->os];
	size_t v;

	if (s == NULL)
		return WS_ENOMEM;
	s->def = (uint16_t)gen_svcdef_find(name);
	s->run_as = run_as;
	s->vuln0 = (uint32_t)w->vulns.n;
	for (v = 0; v < gen_n_vulndefs; v++) {
		const struct gen_vulndef *vd = &gen_vulndefs[v];
		uint16_t *slot;

		if (strcmp(vd->service, name) != 0 || (vd->dc_only && h->role != R_DC) ||
		    (vd->max_os_year && os->year > vd->max_os_year) || !rng_chance(r, vd->permille))
			continue;
		if ((slot = vec_push(&w->vulns)) == NULL)
			return WS_ENOMEM;
		*slot = (uint16_t)v;
		s = SERVICE(w, w->services.n - 1);
		s->nvulns++;
	}
	h->nsvc++;
	if (run_as >= 0) {
		struct spn *sp = vec_push(spns);
		const char *cls = strcmp(name, "mssql") == 0 ? "MSSQLSvc" : "HTTP";
		char fq[300], *c;

		if (sp == NULL)
			return WS_ENOMEM;
		snprintf(fq, sizeof(fq), "%s.%s", h->hostname, w->dom[h->domain].fqdn);
		for (c = fq; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		sp->acct = run_as;
		sp->spn = strcmp(name, "mssql") == 0 ?
		    arena_printf(&w->arena, "%s/%s:%d", cls, fq, gen_svcdefs[s->def].port) :
		    arena_printf(&w->arena, "%s/%s", cls, fq);
	}
	return WS_OK;
}

static int services_of(struct gen_world *w, struct rng *r, struct gen_host *h, struct vec *spns)
{
	int d = h->domain, linux_os = strcmp(gen_oses[h->os].family, "linux") == 0, rc = 0;
	int32_t sql = find_svc(w, d, "svc_sql"), web = find_svc(w, d, "svc_web");

	h->svc0 = (uint32_t)w->services.n;
#define SVC(n, who) do { rc |= add_service(w, r, h, n, who, spns); } while (0)
#define MAYBE(pm, n) do { if (rng_chance(r, pm)) SVC(n, -1); } while (0)
	switch (h->role) {
	case R_DC:
		SVC("dns", -1); SVC("kerberos", -1); SVC("msrpc", -1); SVC("ldap", -1);
		SVC("ldaps", -1); SVC("smb", -1); SVC("globalcatalog", -1);
		MAYBE(500, "spooler"); MAYBE(300, "rdp");
		break;
	case R_FILE:
		SVC("smb", -1); SVC("msrpc", -1); MAYBE(500, "rdp"); MAYBE(300, "spooler");
		break;
	case R_WEB:
		if (linux_os) { SVC("nginx", -1); SVC("ssh", -1); }
		else { SVC("http", -1); SVC("https", web); MAYBE(300, "rdp"); }
		break;
	case R_SQL:
		if (linux_os) { SVC("postgresql", -1); SVC("ssh", -1); }
		else { SVC("mssql", sql); SVC("smb", -1); SVC("msrpc", -1); }
		break;
	case R_APP:
		if (linux_os) { SVC("tomcat", -1); SVC("ssh", -1); }
		else { SVC("https", web); SVC("tomcat", web); MAYBE(400, "rdp"); }
		break;
	case R_CA:
		SVC("certsrv", -1); SVC("msrpc", -1); SVC("smb", -1);
		break;
	case R_MAIL:
		SVC("smtp", -1); SVC("owa", -1); SVC("msrpc", -1);
		break;
	case R_JUMP:
		if (linux_os) { SVC("ssh", -1); }
		else { SVC("rdp", -1); SVC("winrm", -1); SVC("smb", -1); }
		break;
	default:
		SVC("smb", -1); MAYBE(500, "msrpc"); MAYBE(200, "rdp"); MAYBE(100, "winrm");
		MAYBE(300, "spooler");
		break;
	}
#undef SVC
#undef MAYBE
	return rc ? WS_ENOMEM : WS_OK;
}

static int add_admin(struct gen_world *w, struct gen_host *h, int32_t who)
{
	int32_t *slot;

	if (who < 0)
		return WS_OK;
	if ((slot = vec_push(&w->hadmins)) == NULL)
		return WS_ENOMEM;
	*slot = who;
	h->nadmins++;
	return WS_OK;
}

static int add_session(struct gen_world *w, int32_t user, int32_t host)
{
	struct gen_memb *s;

	if (user < 0)
		return WS_OK;
	if ((s = vec_push(&w->sessions)) == NULL)
		return WS_ENOMEM;
	s->member = user;
	s->group = host;
	return WS_OK;
}

/* People of one domain by tier: [0..2] admins of that tier, [3] everyone enabled. */
struct tiers {
	int32_t *v[4];
	uint32_t n[4];
};

static int tiers_build(const struct gen_world *w, int d, struct tiers *t)
{
	const struct gen_domain *dm = &w->dom[d];
	uint32_t i;
	int k;

	for (k = 0; k < 4; k++)
		t->v[k] = NULL;
	for (k = 0; k < 4; k++) {
		t->n[k] = 0;
		t->v[k] = malloc(sizeof(int32_t) * (dm->npeople + 1));
		if (t->v[k] == NULL)
			return WS_ENOMEM;
	}
	for (i = 0; i < dm->npeople; i++) {
		int32_t pi = (int32_t)(dm->people0 + i);
		const struct gen_principal *pr = PRIN(w, pi);

		if (!pr->enabled)
			continue;
		if (pr->admin_tier >= 0)
			t->v[pr->admin_tier][t->n[pr->admin_tier]++] = pi;
		t->v[3][t->n[3]++] = pi;
	}
	return WS_OK;
}

static void tiers_free(struct tiers *t)
{
	int k;

	for (k = 0; k < 4; k++) {
		free(t->v[k]);
		t->v[k] = NULL;
	}
}

/* A random enabled person of the domain with the wanted tier (-1: anyone), or -1. */
static int32_t pick_person(const struct tiers *t, struct rng *r, int tier)
{
	int k = tier < 0 ? 3 : tier;

	return t->n[k] ? t->v[k][rng_below(r, t->n[k])] : -1;
}

static int make_host(struct gen_world *w, struct rng *r, int d, int role, int *counter,
    int *zone_next, const int *zone_first, const int *zone_n, struct vec *spns,
    const struct tiers *tl)
{
	struct gen_domain *dm = &w->dom[d];
	struct gen_host *h = vec_push(&w->hosts);
	int32_t hi = (int32_t)w->hosts.n - 1, ci;
	int z = role_zone(w, role), t, rc = 0;
	char name[16];

	if (h == NULL)
		return WS_ENOMEM;
	go_cat_u(go_cat(h->id, "h-"), (uint64_t)hi + 1);
	snprintf(name, sizeof(name), role == R_WS ? "%s%05d" : "%s%02d", role_prefix[role],
	    ++counter[role]);
	h->hostname = arena_strdup(&w->arena, name);
	h->role = (uint8_t)role;
	h->zone = (uint8_t)z;
	h->domain = (uint8_t)d;
	h->os = (uint8_t)pick_os(r, role);
	h->exposure = z == Z_DMZ ? (role == R_WEB || role == R_MAIL ? X_INTERNET : X_DMZ) :
	    (z == Z_RESTRICTED ? X_ISOLATED : X_INTERNAL);
	t = zone_next[z]++;
	h->subnet = zone_first[z] + t % zone_n[z];
	h->ip = SUBNET(w, h->subnet)->base + 10 + (uint32_t)(t / zone_n[z]);
	SUBNET(w, h->subnet)->used++;
	h->computer = -1;
	h->primary_user = -1;
	h->admins0 = (uint32_t)w->hadmins.n;
	if (strcmp(gen_oses[h->os].family, "windows") == 0) {
		struct gen_principal *pr;
		char *sam = arena_printf(&w->arena, "%s$", name);

		if ((ci = gen_add_principal(w, PT_COMPUTER, d)) < 0 || sam == NULL)
			return WS_ENOMEM;
		pr = PRIN(w, ci);
		go_cat_u(go_cat(pr->id, "c-"), ++w->ncomputers);
		pr->sam = sam;
		pr->cn = h->hostname;
		pr->name = h->hostname;
		pr->rid = dm->next_rid++;
		pr->host = hi;
		pr->ou = dm->ou[role == R_DC ? O_DCS : (role == R_WS ? O_WORKSTATIONS : O_SERVERS)];
		pr->pwd_last_set = (int32_t)(rng_below(r, 30) * DAY + rng_below(r, DAY));
		pr->last_logon = (int32_t)rng_below(r, DAY);
		if (role == R_DC || (role != R_WS && rng_chance(r, 15)))
			pr->flags |= PF_UNCONSTRAINED;
		h->computer = ci;
		h->laps = role != R_DC && rng_chance(r, 700);
		rc |= gen_add_memb(w, ci, dm->wk[role == R_DC ? G_DCS : G_DCOMP]);
	}
	if ((rc |= services_of(w, r, h, spns)) != 0)
		return WS_ENOMEM;
	h = HOST(w, hi);
	if (role == R_DC) {
		rc |= add_admin(w, h, dm->wk[G_DA]);
		rc |= add_admin(w, h, w->dom[dm->forest_root].wk[G_EA]);
		rc |= add_admin(w, h, dm->wk[G_ADMINS]);
		rc |= add_session(w, pick_person(tl, r, 0), hi);
	} else if (role == R_WS) {
		int32_t u = pick_person(tl, r, -1);

		h->primary_user = u;
		rc |= add_admin(w, h, dm->wk[G_WSADM]);
		if (u >= 0 && rng_chance(r, 150))
			rc |= add_admin(w, h, u);
		if (rng_chance(r, 3))
			rc |= add_admin(w, h, dm->wk[G_DU]);
		if (u >= 0 && rng_chance(r, 800))
			rc |= add_session(w, u, hi);
	} else {
		rc |= add_admin(w, h, dm->wk[G_SRVADM]);
		if (role == R_SQL)
			rc |= add_admin(w, h, dm->wk[G_SQLADM]);
		if (rng_chance(r, 20))
			rc |= add_admin(w, h, pick_person(tl, r, -1));
		if (rng_chance(r, 600))
			rc |= add_session(w, pick_person(tl, r, 1), hi);
		if (role == R_JUMP)
			rc |= add_session(w, pick_person(tl, r, 0), hi);
	}
	return rc ? WS_ENOMEM : WS_OK;
}

/* Every service account gets its SPNs: the services it runs, or one of its own. */
static int assign_spns(struct gen_world *w, struct vec *spns)
{
	struct spn *sp = spns->p;
	size_t i, n;
	int d;
	int32_t k;

	for (d = 0; d < w->ndomains; d++) {
		for (k = 0; k < w->dom[d].nsvc; k++) {
			int32_t a = w->dom[d].svc0 + k;
			struct gen_principal *pr = PRIN(w, a);

			for (i = 0, n = 0; i < spns->n; i++)
				n += sp[i].acct == a;
			if (n == 0) {
				pr->spns = arena_alloc(&w->arena, sizeof(char *));
				if (pr->spns == NULL)
					return WS_ENOMEM;
				pr->spns[0] = arena_printf(&w->arena, "%s/%s.%s", pr->sam + 4, pr->sam + 4,
				    w->dom[d].fqdn);
				pr->nspns = 1;
				continue;
			}
			pr->spns = arena_alloc(&w->arena, n * sizeof(char *));
			if (pr->spns == NULL)
				return WS_ENOMEM;
			for (i = 0; i < spns->n; i++)
				if (sp[i].acct == a)
					pr->spns[pr->nspns++] = sp[i].spn;
		}
	}
	return WS_OK;
}

int gen_build_hosts(struct gen_world *w)
{
	struct rng r;
	struct vec spns;
	int zone_first[Z_COUNT], zone_n[Z_COUNT] = { 0 }, zone_next[Z_COUNT] = { 0 };
	int d, k, rc = WS_OK;
	size_t i;

	rng_stream(&r, w->p.seed, "host");
	vec_init(&spns, sizeof(struct spn));
	for (k = 0; k < Z_COUNT; k++)
		zone_first[k] = -1;
	for (i = 0; i < w->subnets.n; i++) {
		int z = SUBNET(w, i)->zone;

		if (zone_first[z] < 0)
			zone_first[z] = (int)i;
		zone_n[z]++;
	}
	for (d = 0; d < w->ndomains && rc == WS_OK; d++) {
		int counter[R_COUNT] = { 0 }, s = 0, role, j;
		struct tiers tl;

		if ((rc = tiers_build(w, d, &tl)) != WS_OK) {
			tiers_free(&tl);
			break;
		}

		for (k = R_FILE; k < R_WS; k++)
			s += w->dom[d].plan[k];
		for (j = 0; j < w->dom[d].plan[R_DC] && rc == WS_OK; j++)
			rc = make_host(w, &r, d, R_DC, counter, zone_next, zone_first, zone_n, &spns, &tl);
		for (j = 0; j < s && rc == WS_OK; j++) {
			role = server_role(j, s);
			rc = make_host(w, &r, d, role, counter, zone_next, zone_first, zone_n, &spns, &tl);
		}
		for (j = 0; j < w->dom[d].plan[R_WS] && rc == WS_OK; j++) {
			rc = make_host(w, &r, d, R_WS, counter, zone_next, zone_first, zone_n, &spns, &tl);
			if (rc == WS_OK && (w->hosts.n & 1023) == 0)
				rc = gen_tick(w, 0.4 + 0.2 * (double)w->hosts.n / w->p.num_hosts);
		}
		/* A tier 0 admin logged on to a workstation: the classic lateral-movement gift. */
		if (rc == WS_OK && w->dom[d].plan[R_WS] > 0 && rng_chance(&r, 600)) {
			const struct gen_domain *dm = &w->dom[d];
			int32_t u = pick_person(&tl, &r, 0);

			if (u >= 0)
				rc = add_session(w, u, (int32_t)(dm->hosts0 + dm->nhosts - 1 -
				    rng_below(&r, (uint32_t)dm->plan[R_WS])));
		}
		tiers_free(&tl);
	}
	if (rc == WS_OK)
		rc = assign_spns(w, &spns);
	vec_free(&spns);
	if (rc == WS_OK && w->arena.err)
		rc = WS_ENOMEM;
	return rc == WS_OK ? gen_tick(w, 0.6) : rc;
}
