/*
 * gen build: the people (stream "user"), then built-in accounts, groups and service
 * accounts (stream "group"). Nothing here depends on the host count, so a world with more
 * hosts keeps the same people, names, RIDs, org chart and flags.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gout.h"

#define DAY 86400

static size_t lower_alpha(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < cap; s++)
		if (isalpha((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
	return n;
}

/*
 * A name unique within the domain: base, then base2, base3, ... (cut to fit max). The map
 * holds each base with the last number it handed out, and every numbered name (a cut
 * base plus digits could equal another base's numbered name, so those are checked too).
 * Bases are letters (and dots) only, so a numbered name never equals a base.
 */
static const char *unique_name(struct gen_world *w, struct strmap *used, int d,
    const char *base, size_t max, uint32_t *suffix)
{
	size_t bl = strlen(base), kl;
	char *bk, *k, *q;
	uint32_t *h, n;
	int r;

	if ((bk = arena_alloc(&w->arena, bl + 2)) == NULL)
		return NULL;
	bk[0] = (char)('A' + d);
	memcpy(bk + 1, base, bl + 1);
	if ((r = strmap_put(used, bk, bl + 1, 1)) < 0)
		return NULL;
	if (r == 1) {
		*suffix = 1;
		return bk + 1;
	}
	h = strmap_get(used, bk, bl + 1);
	for (n = *h + 1;; n++) {
		char num[24], *digits = go_utoa(num, n);
		size_t nl = (size_t)(num + 24 - digits), cut = bl + nl > max ? max - nl : bl;

		kl = 1 + cut + nl;
		if ((k = arena_alloc(&w->arena, kl + 1)) == NULL)
			return NULL;
		k[0] = bk[0];
		memcpy(k + 1, base, cut);
		q = k + 1 + cut;
		memcpy(q, digits, nl);
		q[nl] = '\0';
		if ((r = strmap_put(used, k, kl, 0)) < 0)
			return NULL;
		if (r == 1)
			break;
	}
	*strmap_get(used, bk, bl + 1) = n;
	*suffix = n;
	return k + 1;
}

static int assign_names(struct gen_world *w, struct rng *r)
{
	struct strmap sams, mails;
	unsigned wsum = 0, k;
	int rc = WS_ENOMEM, d;
	uint32_t i;

	memset(&sams, 0, sizeof(sams));
	memset(&mails, 0, sizeof(mails));
	if (strmap_init(&sams, w->p.num_users) || strmap_init(&mails, w->p.num_users))
		goto out;
	for (k = 0; k < (unsigned)w->preset->departments; k++)
		wsum += gen_depts[k].weight;
	for (d = 0; d < w->ndomains; d++) {
		for (i = 0; i < w->dom[d].npeople; i++) {
			int32_t pi = gen_add_principal(w, PT_USER, d);
			struct gen_principal *pr;
			char base[64], g[32], s[32];
			unsigned x;
			uint32_t suf;

			if (pi < 0)
				goto out;
			pr = PRIN(w, pi);
			go_cat_u(go_cat(pr->id, "u-"), (uint64_t)pi + 1);
			pr->given = (int16_t)rng_below(r, (uint32_t)gen_n_given_names);
			pr->surname = (int16_t)rng_below(r, (uint32_t)gen_n_surnames);
			x = rng_below(r, wsum);
			for (k = 0; x >= gen_depts[k].weight; k++)
				x -= gen_depts[k].weight;
			pr->dept = (int8_t)k;
			pr->rid = w->dom[d].next_rid++;
			lower_alpha(g, sizeof(g), gen_given_names[pr->given]);
			lower_alpha(s, sizeof(s), gen_surnames[pr->surname]);
			base[0] = g[0];
			go_cat(base + 1, s);
			pr->sam = unique_name(w, &sams, d, base, 20, &suf);
			go_cat(go_cat(go_cat(base, g), "."), s);
			pr->email_local = unique_name(w, &mails, d, base, 64, &suf);
			if (pr->sam == NULL || pr->email_local == NULL)
				goto out;
			{
				char cn[96], *q = go_cat(go_cat(go_cat(cn, gen_given_names[pr->given]), " "),
				    gen_surnames[pr->surname]);

				if (suf > 1)
					go_cat_u(go_cat(q, " "), suf);
				pr->cn = arena_strdup(&w->arena, cn);
			}
			if ((pi & 1023) == 0 && (rc = gen_tick(w, 0.05 + 0.15 * pi / w->p.num_users)))
				goto out;
			rc = WS_ENOMEM;
		}
	}
	w->npeople = (uint32_t)w->prin.n;
	rc = w->arena.err ? WS_ENOMEM : WS_OK;
out:
	strmap_free(&sams);
	strmap_free(&mails);
	return rc;
}

/* Each department is a tree of fan-out 8 under its head; heads report to the first head. */
static int org_chart(struct gen_world *w, struct rng *r)
{
	uint32_t *order = malloc(sizeof(uint32_t) * (w->npeople + 1));
	size_t cnt[GEN_MAX_DOMAINS * 12 + 1] = { 0 }, pos[GEN_MAX_DOMAINS * 12 + 1];
	int32_t top = -1;
	size_t b, i, nb = (size_t)w->ndomains * 12;

	if (order == NULL)
		return WS_ENOMEM;
	for (i = 0; i < w->npeople; i++)
		cnt[PRIN(w, i)->domain * 12 + PRIN(w, i)->dept]++;
	for (b = 0, i = 0; b < nb; b++) {
		pos[b] = i;
		i += cnt[b];
	}
	for (i = 0; i < w->npeople; i++)
		order[pos[PRIN(w, i)->domain * 12 + PRIN(w, i)->dept]++] = (uint32_t)i;
	for (b = 0, i = 0; b < nb; i += cnt[b], b++) {
		const struct gen_dept *dp = &gen_depts[b % 12];
		size_t k, n = cnt[b];
		unsigned nt = 0;

		while (dp->titles[nt] != NULL)
			nt++;
		for (k = 0; k < n; k++) {
			struct gen_principal *pr = PRIN(w, order[i + k]);

			if (k == 0) {
				pr->title = dp->head_title;
				if (top < 0)
					top = (int32_t)order[i];
				else
					pr->manager = top;
			} else {
				pr->manager = (int32_t)order[i + (k - 1) / 8];
				pr->title = 8 * k + 1 < n ? dp->manager_title :
				    dp->titles[rng_below(r, nt)];
			}
		}
	}
	free(order);
	return WS_OK;
}

static const char *const seasons[] = { "Spring", "Summer", "Autumn", "Winter", "Welcome",
	"Company" };

/* Admins per domain, then global quotas: disabled 10 %, AS-REP roastable 3 %. */
static int quotas(struct gen_world *w, struct rng *r)
{
	uint32_t *pool = malloc(sizeof(uint32_t) * (w->npeople + 1));
	uint32_t *it = malloc(sizeof(uint32_t) * (w->npeople + 1));
	size_t np = 0, i, quota;
	int d, rc = WS_ENOMEM;

	if (pool == NULL || it == NULL)
		goto out;
	for (d = 0; d < w->ndomains; d++) {
		struct gen_domain *dm = &w->dom[d];
		uint32_t P = dm->npeople, A = P >= 2 ? (P * 2 / 100 > 0 ? P * 2 / 100 : 1) : 0;
		uint32_t t0, t1, nit = 0, nother = 0, k;

		for (i = 0; i < P; i++) {
			uint32_t pi = dm->people0 + (uint32_t)i;

			if (PRIN(w, pi)->dept == GEN_DEPT_IT)
				it[nit++] = pi;
			else
				pool[nother++] = pi;
		}
		rng_shuffle(r, it, nit);
		rng_shuffle(r, pool, nother);
		memmove(it + nit, pool, nother * sizeof(uint32_t));
		t0 = A ? (A * 4 + 50) / 100 : 0;
		t0 = A ? (t0 < 1 ? 1 : (t0 > 30 ? 30 : t0)) : 0;
		t1 = (A - t0) * 45 / 100;
		for (k = 0; k < A; k++) {
			struct gen_principal *pr = PRIN(w, it[k]);

			pr->admin_tier = (int8_t)(k < t0 ? 0 : (k < t0 + t1 ? 1 : 2));
			if (pr->admin_tier == 0)
				pr->flags |= PF_ADMIN_COUNT;
			pr->description = arena_printf(&w->arena, "Tier %d administrator",
			    pr->admin_tier);
		}
		dm->starter = (int32_t)it[A];
	}
	for (i = 0, np = 0; i < w->npeople; i++) {
		struct gen_principal *pr = PRIN(w, i);

		if (pr->admin_tier < 0 && (int32_t)i != w->dom[pr->domain].starter)
			pool[np++] = (uint32_t)i;
	}
	rng_shuffle(r, pool, np);
	quota = (size_t)w->npeople * 10 / 100;
	for (i = 0; i < quota && i < np; i++)
		PRIN(w, pool[i])->enabled = 0;
	rng_shuffle(r, pool, np);
	quota = (size_t)w->npeople * 3 / 100;
	for (i = 0; i < quota && i < np; i++)
		PRIN(w, pool[i])->flags |= PF_DONT_REQ_PREAUTH;
	rc = WS_OK;
out:
	free(pool);
	free(it);
	return rc;
}

static void person_details(struct gen_world *w, struct rng *r)
{
	uint32_t i;

	for (i = 0; i < w->npeople; i++) {
		struct gen_principal *pr = PRIN(w, i);
		struct gen_domain *dm = &w->dom[pr->domain];
		unsigned x = rng_below(r, 1000);

		if (pr->admin_tier >= 0)
			pr->pwd = x < 50 ? PW_WEAK : (x < 150 ? PW_REUSED : PW_STRONG);
		else
			pr->pwd = x < 150 ? PW_WEAK : (x < 230 ? PW_REUSED : (x < 240 ?
			    PW_IN_DESCRIPTION : PW_STRONG));
		if (pr->pwd == PW_IN_DESCRIPTION)
			pr->description = arena_printf(&w->arena, "Initial password: %s%u!",
			    seasons[rng_below(r, W_ARRAY_LEN(seasons))], 2019 + rng_below(r, 7));
		if (rng_chance(r, 80))
			pr->flags |= PF_PWD_NEVER_EXPIRES;
		if (rng_chance(r, 10))
			pr->flags |= PF_PWD_NOT_REQUIRED;
		pr->pwd_last_set = (int32_t)(rng_below(r, (pr->flags & PF_PWD_NEVER_EXPIRES) ?
		    1000 : 365) * DAY + rng_below(r, DAY));
		if (pr->enabled)
			pr->last_logon = (int32_t)(rng_below(r, 14) * DAY + rng_below(r, DAY));
		else
			pr->last_logon = rng_chance(r, 200) ? -1 :
			    (int32_t)((90 + rng_below(r, 600)) * DAY + rng_below(r, DAY));
		if (pr->admin_tier >= 0)
			pr->ou = dm->ou[O_TIER0 + pr->admin_tier];
		else if (!pr->enabled)
			pr->ou = dm->ou[O_DISABLED];
		else
			pr->ou = dm->dept_ou0 + pr->dept;
	}
}

int gen_build_people(struct gen_world *w)
{
	struct rng r;
	int rc;

	rng_stream(&r, w->p.seed, "user");
	if ((rc = assign_names(w, &r)) != WS_OK || (rc = gen_tick(w, 0.2)) != WS_OK ||
	    (rc = org_chart(w, &r)) != WS_OK || (rc = gen_tick(w, 0.21)) != WS_OK ||
	    (rc = quotas(w, &r)) != WS_OK || (rc = gen_tick(w, 0.22)) != WS_OK)
		return rc;
	person_details(w, &r);
	return w->arena.err ? WS_ENOMEM : gen_tick(w, 0.25);
}

/* ---- built-in accounts, groups, service accounts --------------------------------------------- */

static int32_t add_named(struct gen_world *w, int type, int d, const char *name, uint32_t rid,
    int ou)
{
	int32_t pi = gen_add_principal(w, type, d);
	struct gen_principal *pr;

	if (pi < 0)
		return -1;
	pr = PRIN(w, pi);
	pr->rid = rid ? rid : w->dom[d].next_rid++;
	pr->name = name;
	pr->sam = name;
	pr->cn = name;
	pr->ou = w->dom[d].ou[ou];
	return pi;
}

static int builtin_accounts(struct gen_world *w, int d, struct rng *r)
{
	struct gen_domain *dm = &w->dom[d];
	struct gen_principal *pr;
	int32_t pi;

	if ((pi = add_named(w, PT_USER, d, "Administrator", 500, O_USERS)) < 0)
		return WS_ENOMEM;
	snprintf(PRIN(w, pi)->id, sizeof(PRIN(w, pi)->id), "d%d-500", d + 1);
	pr = PRIN(w, pi);
	pr->builtin = 1;
	pr->admin_tier = 0;
	pr->flags = PF_ADMIN_COUNT | PF_PWD_NEVER_EXPIRES;
	pr->pwd = rng_chance(r, 250) ? PW_REUSED : PW_STRONG;
	pr->description = "Built-in account for administering the computer/domain";
	pr->pwd_last_set = (int32_t)((400 + rng_below(r, 900)) * DAY);
	pr->last_logon = (int32_t)(rng_below(r, 30) * DAY + rng_below(r, DAY));
	dm->administrator = pi;
	if ((pi = add_named(w, PT_USER, d, "Guest", 501, O_USERS)) < 0)
		return WS_ENOMEM;
	pr = PRIN(w, pi);
	snprintf(pr->id, sizeof(pr->id), "d%d-501", d + 1);
	pr->builtin = 1;
	pr->enabled = 0;
	pr->flags = PF_PWD_NOT_REQUIRED | PF_PWD_NEVER_EXPIRES;
	pr->description = "Built-in account for guest access to the computer/domain";
	dm->guest = pi;
	if ((pi = add_named(w, PT_USER, d, "krbtgt", 502, O_USERS)) < 0)
		return WS_ENOMEM;
	pr = PRIN(w, pi);
	snprintf(pr->id, sizeof(pr->id), "d%d-502", d + 1);
	pr->builtin = 1;
	pr->enabled = 0;
	pr->flags = PF_ADMIN_COUNT;
	pr->description = "Key Distribution Center Service Account";
	pr->pwd_last_set = (int32_t)((700 + rng_below(r, 1500)) * DAY);
	dm->krbtgt = pi;
	w->nbuiltin_users += 3;
	return WS_OK;
}

static int groups_of(struct gen_world *w, int d)
{
	struct gen_domain *dm = &w->dom[d];
	int k;

	for (k = 0; k < G_COUNT; k++) {
		const struct gen_wkdef *g = &gen_wk[k];
		int ou = strcmp(g->scope, "builtin_local") == 0 ? O_BUILTIN :
		    (g->rid ? O_USERS : O_GROUPS);
		int32_t pi;

		if (g->root_only && dm->forest_root != d)
			continue;
		if ((pi = add_named(w, PT_GROUP, d, g->name, (uint32_t)g->rid, ou)) < 0)
			return WS_ENOMEM;
		if (g->rid)
			snprintf(PRIN(w, pi)->id, sizeof(PRIN(w, pi)->id), "d%d-%d", d + 1, g->rid);
		else
			snprintf(PRIN(w, pi)->id, sizeof(PRIN(w, pi)->id), "g-%u", ++w->ngroups);
		PRIN(w, pi)->builtin = g->rid != 0;
		PRIN(w, pi)->wk = (int8_t)k;
		if (g->tier0)
			PRIN(w, pi)->flags |= PF_ADMIN_COUNT;
		dm->wk[k] = pi;
	}
	dm->dept_grp0 = (int32_t)w->prin.n;
	for (k = 0; k < w->preset->departments; k++) {
		int32_t pi = add_named(w, PT_GROUP, d, gen_depts[k].name, 0, O_GROUPS);

		if (pi < 0)
			return WS_ENOMEM;
		snprintf(PRIN(w, pi)->id, sizeof(PRIN(w, pi)->id), "g-%u", ++w->ngroups);
		PRIN(w, pi)->dept = (int8_t)k;
	}
	return WS_OK;
}

static int service_accounts(struct gen_world *w, int d, struct rng *r)
{
	struct gen_domain *dm = &w->dom[d];
	uint32_t n = 1 + dm->npeople / 200, k;

	if (n > 60)
		n = 60;
	dm->svc0 = (int32_t)w->prin.n;
	dm->nsvc = (int32_t)n;
	for (k = 0; k < n; k++) {
		const char *base = gen_svcacct_names[k % gen_n_svcacct_names];
		const char *sam = k < gen_n_svcacct_names ? base :
		    arena_printf(&w->arena, "%s%u", base, (unsigned)(k / gen_n_svcacct_names + 1));
		int32_t pi = add_named(w, PT_SVC, d, sam, 0, O_SVC);
		struct gen_principal *pr;
		unsigned x = rng_below(r, 1000);

		if (pi < 0 || sam == NULL)
			return WS_ENOMEM;
		pr = PRIN(w, pi);
		snprintf(pr->id, sizeof(pr->id), "sa-%u", ++w->nsvc);
		pr->pwd = x < 300 ? PW_WEAK : (x < 400 ? PW_REUSED : (x < 440 ? PW_IN_DESCRIPTION :
		    PW_STRONG));
		pr->description = pr->pwd == PW_IN_DESCRIPTION ?
		    arena_printf(&w->arena, "Service account, pwd %s%u#",
		    seasons[rng_below(r, W_ARRAY_LEN(seasons))], 2015 + rng_below(r, 10)) :
		    arena_printf(&w->arena, "Service account (%s)", base + 4);
		if (rng_chance(r, 900))
			pr->flags |= PF_PWD_NEVER_EXPIRES;
		pr->pwd_last_set = (int32_t)((200 + rng_below(r, 2000)) * DAY);
		pr->last_logon = (int32_t)(rng_below(r, 2) * DAY + rng_below(r, DAY));
	}
	return WS_OK;
}

static int memberships(struct gen_world *w, int d)
{
	struct gen_domain *dm = &w->dom[d];
	const int32_t *g = dm->wk;
	uint32_t i;
	int rc = WS_OK, e;

	for (i = 0; i < dm->npeople && rc == WS_OK; i++) {
		int32_t pi = (int32_t)(dm->people0 + i);
		const struct gen_principal *pr = PRIN(w, pi);

		rc |= gen_add_memb(w, pi, g[G_DU]);
		rc |= gen_add_memb(w, pi, dm->dept_grp0 + pr->dept);
		if (pr->admin_tier == 0)
			rc |= gen_add_memb(w, pi, g[G_DA]);
		if (pr->admin_tier == 1) {
			rc |= gen_add_memb(w, pi, g[G_SRVADM]);
			if (i % 3 == 0)
				rc |= gen_add_memb(w, pi, g[G_SQLADM]);
		}
		if (pr->admin_tier == 2) {
			rc |= gen_add_memb(w, pi, g[G_HELPDESK]);
			rc |= gen_add_memb(w, pi, g[G_WSADM]);
		}
	}
	rc |= gen_add_memb(w, dm->administrator, g[G_DU]);
	rc |= gen_add_memb(w, dm->administrator, g[G_DA]);
	rc |= gen_add_memb(w, dm->administrator, g[G_ADMINS]);
	rc |= gen_add_memb(w, dm->administrator, g[G_EA]);
	rc |= gen_add_memb(w, dm->administrator, g[G_SA]);
	rc |= gen_add_memb(w, dm->guest, g[G_DG]);
	rc |= gen_add_memb(w, g[G_DA], g[G_ADMINS]);
	rc |= gen_add_memb(w, w->dom[dm->forest_root].wk[G_EA], g[G_ADMINS]);
	rc |= gen_add_memb(w, g[G_HELPDESK], g[G_RDU]);
	rc |= gen_add_memb(w, g[G_SRVADM], g[G_RMU]);
	rc |= gen_add_memb(w, g[G_SRVADM], g[G_LAPS]);
	for (e = 1; e < 3 && e < w->preset->departments; e++)
		rc |= gen_add_memb(w, dm->dept_grp0 + e, g[G_VPN]);
	for (e = 0; e < dm->nsvc; e++) {
		int32_t pi = dm->svc0 + e;
		const char *sam = PRIN(w, pi)->sam;

		rc |= gen_add_memb(w, pi, g[G_DU]);
		if (strncmp(sam, "svc_backup", 10) == 0)
			rc |= gen_add_memb(w, pi, g[G_BKOPS]);
		if (strncmp(sam, "svc_sql", 7) == 0)
			rc |= gen_add_memb(w, pi, g[G_SQLADM]);
	}
	return rc ? WS_ENOMEM : WS_OK;
}

int gen_build_groups(struct gen_world *w)
{
	struct rng r;
	int d, rc;

	rng_stream(&r, w->p.seed, "group");
	for (d = 0; d < w->ndomains; d++) {
		if ((rc = builtin_accounts(w, d, &r)) != WS_OK || (rc = groups_of(w, d)) != WS_OK ||
		    (rc = service_accounts(w, d, &r)) != WS_OK)
			return rc;
	}
	/* Second pass: a child domain's Administrators takes the forest root's Enterprise Admins. */
	for (d = 0; d < w->ndomains; d++)
		if ((rc = memberships(w, d)) != WS_OK)
			return rc;
	return w->arena.err ? WS_ENOMEM : gen_tick(w, 0.35);
}
