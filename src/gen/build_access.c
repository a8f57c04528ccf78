/*
 * gen build: credentials and the artifacts that hold them (stream "cred"), then rights,
 * misconfigurations and one planted chain per domain (stream "acl"). The attack paths
 * are found later by a search over every edge, so the planted chain only guarantees
 * that one exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/internal.h"

static int32_t add_cred(struct gen_world *w, int kind, int32_t principal, int32_t host,
    const char *location, int cracks)
{
	struct gen_cred *c = vec_push(&w->creds);

	if (c == NULL)
		return -1;
	snprintf(c->id, sizeof(c->id), "cred-%zu", w->creds.n);
	c->kind = (uint8_t)kind;
	c->principal = principal;
	c->host = host;
	c->artifact = -1;
	c->location = location;
	c->cracks = (uint8_t)(cracks != 0);
	return (int32_t)w->creds.n - 1;
}

static int32_t add_artifact(struct gen_world *w, int kind, int32_t host, const char *path,
    const char *description)
{
	struct gen_artifact *a = vec_push(&w->arts);

	if (a == NULL || path == NULL)
		return -1;
	snprintf(a->id, sizeof(a->id), "art-%zu", w->arts.n);
	a->kind = (uint8_t)kind;
	a->host = host;
	a->path = path;
	a->description = description;
	a->cred0 = (uint32_t)w->artcreds.n;
	return (int32_t)w->arts.n - 1;
}

static int link_cred(struct gen_world *w, int32_t art, int32_t cred)
{
	int32_t *slot;

	if (art < 0 || cred < 0)
		return WS_ENOMEM;
	if ((slot = vec_push(&w->artcreds)) == NULL)
		return WS_ENOMEM;
	*slot = cred;
	ART(w, art)->ncreds++;
	CRED(w, cred)->artifact = art;
	return WS_OK;
}

static int crackable(const struct gen_principal *pr)
{
	return pr->pwd == PW_WEAK || pr->pwd == PW_REUSED || pr->pwd == PW_IN_DESCRIPTION;
}

static int32_t first_host(const struct gen_world *w, int d, int role)
{
	uint32_t i;

	for (i = 0; i < w->dom[d].nhosts; i++)
		if (HOST(w, w->dom[d].hosts0 + i)->role == role)
			return (int32_t)(w->dom[d].hosts0 + i);
	return -1;
}

static int domain_artifacts(struct gen_world *w, struct rng *r, int d)
{
	const struct gen_domain *dm = &w->dom[d];
	int32_t dc = first_host(w, d, R_DC), fs = first_host(w, d, R_FILE), a, c;
	int rc = 0;
	uint32_t k, n;

	if (dc >= 0 && dm->nsvc > 0 && rng_chance(r, 400)) {
		int32_t who = dm->svc0 + (int32_t)rng_below(r, (uint32_t)dm->nsvc);

		a = add_artifact(w, AK_FILE, dc, arena_printf(&w->arena,
		    "\\\\%s\\SYSVOL\\%s\\Policies\\%s\\Machine\\Preferences\\Groups\\Groups.xml",
		    dm->fqdn, dm->fqdn, GPO(w, dm->gpo0 + 3)->guid),
		    "Group Policy Preferences file with an encrypted cpassword");
		c = add_cred(w, CK_GPP, who, dc, "SYSVOL Group Policy Preferences", 1);
		rc |= link_cred(w, a, c);
	}
	if (fs >= 0 && dm->nsvc > 0 && rng_chance(r, 500)) {
		int32_t who = dm->svc0 + (int32_t)rng_below(r, (uint32_t)dm->nsvc);

		a = add_artifact(w, AK_SCRIPT, fs, arena_printf(&w->arena,
		    "\\\\%s\\IT$\\scripts\\deploy.ps1", HOST(w, fs)->hostname),
		    "Deployment script with a hard-coded service account password");
		c = add_cred(w, CK_PASSWORD, who, fs, "script on a file share", 1);
		rc |= link_cred(w, a, c);
	}
	if (fs >= 0 && dm->npeople >= 10 && rng_chance(r, 600)) {
		a = add_artifact(w, AK_SHARE, fs, arena_printf(&w->arena,
		    "\\\\%s\\Shared\\Finance\\passwords.xlsx", HOST(w, fs)->hostname),
		    "Spreadsheet of account passwords on an open share");
		n = 1 + rng_below(r, 5);
		for (k = 0; k < n && rc == 0; k++) {
			int32_t who = (int32_t)(dm->people0 + rng_below(r, dm->npeople));

			c = add_cred(w, CK_PASSWORD, who, fs, "spreadsheet on a file share",
			    crackable(PRIN(w, who)));
			rc |= link_cred(w, a, c);
		}
	}
	return rc ? WS_ENOMEM : WS_OK;
}

static int host_creds(struct gen_world *w, struct rng *r)
{
	const struct gen_memb *s = w->sessions.p;
	size_t i;
	uint32_t k;
	int rc = 0;

	/* Sessions leave NT hashes in memory; servers always, workstations often. */
	for (i = 0; i < w->sessions.n && rc == 0; i++) {
		const struct gen_host *h = HOST(w, s[i].group);

		if (h->role == R_WS && !rng_chance(r, 600))
			continue;
		if (add_cred(w, CK_NTLM, s[i].member, s[i].group, "LSASS memory",
		    crackable(PRIN(w, s[i].member))) < 0)
			rc = 1;
	}
	for (i = 0; i < w->hosts.n && rc == 0; i++) {
		const struct gen_host *h = HOST(w, i);

		for (k = 0; k < h->nsvc && rc == 0; k++) {
			const struct gen_service *sv = SERVICE(w, h->svc0 + k);
			int32_t a, c;

			if (sv->run_as < 0)
				continue;
			c = add_cred(w, CK_LSA, sv->run_as, (int32_t)i, "LSA secrets", 1);
			if (rng_chance(r, 300)) {
				a = add_artifact(w, AK_TASK, (int32_t)i, "\\Maintenance\\Nightly",
				    "Scheduled task stored with the service account's password");
				rc |= link_cred(w, a, c);
			} else if (c < 0) {
				rc = 1;
			}
		}
		if (strcmp(gen_oses[h->os].family, "linux") == 0 && w->dom[h->domain].npeople > 0 &&
		    rng_chance(r, 300)) {
			const struct gen_domain *dm = &w->dom[h->domain];
			int32_t who = (int32_t)(dm->people0 + rng_below(r, dm->npeople));
			int32_t a = add_artifact(w, AK_FILE, (int32_t)i, arena_printf(&w->arena,
			    "/home/%s/.ssh/id_rsa", PRIN(w, who)->sam),
			    "Private SSH key without a passphrase");
			int32_t c = add_cred(w, CK_SSH, who, (int32_t)i, "home directory", 1);

			rc |= link_cred(w, a, c);
		}
	}
	return rc ? WS_ENOMEM : WS_OK;
}

static int directory_creds(struct gen_world *w)
{
	size_t i;

	for (i = 0; i < w->prin.n; i++) {
		const struct gen_principal *pr = PRIN(w, i);

		if (pr->type != PT_USER && pr->type != PT_SVC)
			continue;
		if (pr->pwd == PW_IN_DESCRIPTION &&
		    add_cred(w, CK_PASSWORD, (int32_t)i, -1, "description attribute", 1) < 0)
			return WS_ENOMEM;
		if (pr->nspns > 0 && add_cred(w, CK_TGS, (int32_t)i, -1, "Kerberos service ticket",
		    crackable(pr)) < 0)
			return WS_ENOMEM;
	}
	return WS_OK;
}

static int acl(struct gen_world *w, uint32_t src, uint32_t dst, int type)
{
	struct gen_edge *e = vec_push(&w->acl);

	if (e == NULL)
		return WS_ENOMEM;
	e->src = src;
	e->dst = dst;
	e->type = (uint8_t)type;
	e->sev = gen_edge_sev[type];
	return WS_OK;
}

#define P(i) gen_node_prin(w, i)

/* Rights every real domain has: replication, delegated administration, LAPS, remoting. */
static int standard_rights(struct gen_world *w, int d)
{
	const struct gen_domain *dm = &w->dom[d];
	const int32_t *g = dm->wk;
	int32_t ea = w->dom[dm->forest_root].wk[G_EA], adsync = -1;
	uint32_t dn = gen_node_domain(w, d), i, k;
	int rc = 0, j;

	rc |= acl(w, P(g[G_DA]), dn, E_DCSync);
	rc |= acl(w, P(g[G_ADMINS]), dn, E_DCSync);
	rc |= acl(w, P(g[G_DCS]), dn, E_DCSync);
	if (ea >= 0)
		rc |= acl(w, P(ea), dn, E_DCSync);
	for (j = 0; j < dm->nsvc; j++)
		if (strncmp(PRIN(w, dm->svc0 + j)->sam, "svc_adsync", 10) == 0)
			adsync = dm->svc0 + j;
	if (adsync >= 0)
		rc |= acl(w, P(adsync), dn, E_DCSync);
	rc |= acl(w, P(g[G_DA]), dn, E_GenericAll);
	for (j = 0; j < w->preset->departments; j++) {
		rc |= acl(w, P(g[G_HELPDESK]), gen_node_ou(w, dm->dept_ou0 + j), E_GenericAll);
		rc |= acl(w, P(g[G_HELPDESK]), P(dm->dept_grp0 + j), E_AddMember);
	}
	rc |= acl(w, P(g[G_ACCOPS]), gen_node_ou(w, dm->ou[O_TIER2]), E_GenericAll);
	rc |= acl(w, P(g[G_SRVADM]), P(g[G_SQLADM]), E_AddMember);
	rc |= acl(w, P(g[G_DA]), gen_node_gpo(w, dm->gpo0), E_Owns);
	for (i = 0; i < dm->nhosts; i++) {
		int32_t hi = (int32_t)(dm->hosts0 + i);
		const struct gen_host *h = HOST(w, hi);
		uint32_t tgt;

		if (h->computer < 0)
			continue;
		tgt = P(h->computer);
		if (h->laps)
			rc |= acl(w, P(h->role == R_WS ? g[G_HELPDESK] : g[G_LAPS]), tgt,
			    E_ReadLAPSPassword);
		for (k = 0; k < h->nsvc; k++) {
			const char *sn = gen_svcdefs[SERVICE(w, h->svc0 + k)->def].name;

			if (h->role != R_WS && h->role != R_DC && strcmp(sn, "winrm") == 0)
				rc |= acl(w, P(g[G_SRVADM]), tgt, E_CanPSRemote);
			if ((h->role == R_JUMP || h->role == R_FILE) && strcmp(sn, "rdp") == 0)
				rc |= acl(w, P(g[G_RDU]), tgt, E_CanRDP);
			if (h->role == R_APP && strcmp(sn, "rdp") == 0 && w->preset->departments > 1)
				rc |= acl(w, P(dm->dept_grp0 + 1), tgt, E_CanRDP);
		}
	}
	return rc ? WS_ENOMEM : WS_OK;
}

static const int misconfig_types[] = { E_GenericAll, E_GenericWrite, E_WriteDacl, E_WriteOwner,
	E_ForceChangePassword, E_Owns };

/* A handful of mistakes per domain, in proportion to its size. */
static int misconfigs(struct gen_world *w, struct rng *r, int d)
{
	const struct gen_domain *dm = &w->dom[d];
	uint32_t n = 2 + dm->npeople / 250, k, i;
	int rc = 0;

	if (dm->npeople < 2)
		return WS_OK;
	for (k = 0; k < n && rc == 0; k++) {
		int32_t src = (int32_t)(dm->people0 + rng_below(r, dm->npeople));
		int32_t dst = (int32_t)(dm->people0 + rng_below(r, dm->npeople));
		int type = misconfig_types[rng_below(r, W_ARRAY_LEN(misconfig_types))];

		if (rng_chance(r, 300))
			src = dm->dept_grp0 + (int32_t)rng_below(r, (uint32_t)w->preset->departments);
		if (src == dst || PRIN(w, dst)->admin_tier == 0)
			continue;
		rc |= acl(w, P(src), P(dst), type);
	}
	if (rng_chance(r, 300))
		rc |= acl(w, P(dm->wk[G_HELPDESK]), gen_node_gpo(w, dm->gpo0 + 4), E_GenericWrite);
	for (i = 0; i < dm->nhosts && rc == 0; i++) {
		const struct gen_host *h = HOST(w, dm->hosts0 + i);

		if (h->computer < 0 || h->role == R_WS || h->role == R_DC)
			continue;
		if (rng_chance(r, 30))
			rc |= acl(w, P((int32_t)(dm->people0 + rng_below(r, dm->npeople))),
			    P(h->computer), E_ExecuteDCOM);
		if (rng_chance(r, 15) && dm->plan[R_WS] > 0) {
			const struct gen_host *ws = HOST(w, dm->hosts0 + dm->nhosts - 1 -
			    rng_below(r, (uint32_t)dm->plan[R_WS]));

			if (ws->computer >= 0)
				rc |= acl(w, P(ws->computer), P(h->computer), E_AllowedToAct);
		}
		if (h->role == R_SQL && dm->nsvc > 2)
			rc |= acl(w, P(dm->svc0 + 2), P(h->computer), E_AllowedToDelegate);
	}
	return rc ? WS_ENOMEM : WS_OK;
}

/*
 * One chain per domain from its reserved starter to Domain Admins, so that every world is
 * attackable whatever the draws: through the starter's department group, a password
 * reset, an admin's session on a machine the starter administers, or a DACL on the group.
 */
static int planted_chain(struct gen_world *w, struct rng *r, int d)
{
	const struct gen_domain *dm = &w->dom[d];
	int32_t u = dm->starter, grp = dm->dept_grp0 + PRIN(w, u)->dept, t = dm->administrator;
	int32_t comp = -1;
	uint32_t i, n0 = 0, pick;
	int rc = 0;

	for (i = 0; i < dm->npeople; i++) {
		const struct gen_principal *pr = PRIN(w, dm->people0 + i);

		if (pr->admin_tier == 0 && pr->enabled && rng_below(r, ++n0) == 0)
			t = (int32_t)(dm->people0 + i);
	}
	for (i = 0; i < dm->nhosts; i++) {
		const struct gen_host *h = HOST(w, dm->hosts0 + i);

		if (h->computer >= 0 && h->role != R_DC) {
			comp = h->computer;
			if (rng_chance(r, 500))
				break;
		}
	}
	pick = rng_below(r, 4);
	if (pick == 2 && comp < 0)
		pick = 0;
	switch (pick) {
	case 0:
		rc |= acl(w, P(grp), P(t), E_GenericAll);
		break;
	case 1:
		rc |= acl(w, P(u), P(t), E_ForceChangePassword);
		break;
	case 2:
		rc |= acl(w, P(u), P(comp), E_AdminTo);
		rc |= acl(w, P(comp), P(t), E_HasSession);
		break;
	default:
		rc |= acl(w, P(grp), P(dm->wk[G_DA]), E_WriteDacl);
		break;
	}
	return rc ? WS_ENOMEM : WS_OK;
}

int gen_build_access(struct gen_world *w)
{
	struct rng r;
	int d, rc;

	rng_stream(&r, w->p.seed, "cred");
	if ((rc = directory_creds(w)) != WS_OK || (rc = gen_tick(w, 0.62)) != WS_OK ||
	    (rc = host_creds(w, &r)) != WS_OK)
		return rc;
	for (d = 0; d < w->ndomains; d++)
		if ((rc = domain_artifacts(w, &r, d)) != WS_OK)
			return rc;
	if ((rc = gen_tick(w, 0.7)) != WS_OK)
		return rc;
	rng_stream(&r, w->p.seed, "acl");
	for (d = 0; d < w->ndomains; d++) {
		if ((rc = standard_rights(w, d)) != WS_OK || (rc = misconfigs(w, &r, d)) != WS_OK ||
		    (rc = planted_chain(w, &r, d)) != WS_OK ||
		    (rc = gen_tick(w, 0.7 + 0.05 * (d + 1) / w->ndomains)) != WS_OK)
			return rc;
	}
	return w->arena.err ? WS_ENOMEM : gen_tick(w, 0.75);
}
