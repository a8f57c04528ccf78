/*
 * traj text: the command line of a step (the vocabulary's usage template with the world's
 * names filled in) and the text the tool would print. Both are written from the state
 * before the step: the operator types the account it already holds, never the one the
 * step is about to take. Secrets are made up from the names by a fixed hash, so the same
 * step always reads the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "traj/internal.h"

static const char *const weak_pw[] = { "Summer2025!", "Welcome1", "Password123", "Winter2024!",
	"Company2025", "Spring2026!" };
#define LM_EMPTY "aad3b435b51404eeaad3b435b51404ee"

/* What one step is about: the names the templates and outputs use, resolved once. */
struct step_names {
	const struct attack_cmd *c;
	uint32_t actor, target, acct; /* acct: the account on the command line */
	int dom, tdom;                /* the account's domain, the target's */
	int32_t host;                 /* the host the step runs against, or -1 */
};

static const char *sam_of(const struct traj_graph *g, uint32_t node)
{
	const struct gen_principal *pr = traj_prin(g, node);

	if (pr != NULL && pr->sam != NULL)
		return pr->sam;
	switch (traj_node_kind(g, node)) {
	case TN_HOST:
		return g->v->hosts[node - g->h0].hostname;
	case TN_DOMAIN:
		return g->v->domains[node].fqdn;
	case TN_OU:
		return g->v->ous[node - (uint32_t)g->v->ndomains].name;
	case TN_GPO:
		return g->v->gpos[node - g->gpo0].name;
	default:
		return gen_node_id(g->w, node);
	}
}

/* The host behind a node: a host node, or a computer account's machine; else -1. */
static int32_t host_of(const struct traj_graph *g, uint32_t node)
{
	const struct gen_principal *pr = traj_prin(g, node);

	if (pr != NULL)
		return pr->type == PT_COMPUTER ? pr->host : -1;
	if (node >= g->h0 && node - g->h0 < g->v->nhosts)
		return (int32_t)(node - g->h0);
	return -1;
}

/* The account a command line uses: a group, OU or domain acts through the operator's. */
static uint32_t account(const struct traj_graph *g, const struct traj_state *s, uint32_t actor)
{
	const struct gen_principal *pr = traj_prin(g, actor);

	return pr != NULL && pr->type != PT_GROUP ? actor : s->op;
}

static void host_names(const struct traj_graph *g, int32_t h, char fqdn[300], char ip[16])
{
	struct gen_host_row row;

	memset(&row, 0, sizeof(row));
	gen_world_host(g->w, (size_t)h, &row);
	snprintf(fqdn, 300, "%s", row.fqdn);
	snprintf(ip, 16, "%s", row.ip);
}

static uint64_t name_hash(const char *s, uint64_t salt)
{
	return rng_hash64(s, strlen(s), salt);
}

static void password(const struct traj_graph *g, uint32_t node, char out[40])
{
	const struct gen_principal *pr = traj_prin(g, node);
	uint64_t h = name_hash(sam_of(g, node), 0x9e3779b97f4a7c15ULL);

	if (pr != NULL && pr->pwd != PW_STRONG)
		snprintf(out, 40, "%s", weak_pw[h % W_ARRAY_LEN(weak_pw)]);
	else
		snprintf(out, 40, "Xq%08llx!v", (unsigned long long)(h & 0xffffffffULL));
}

static void nt_hash(const struct traj_graph *g, uint32_t node, char out[33])
{
	const char *sam = sam_of(g, node);

	snprintf(out, 33, "%016llx%016llx", (unsigned long long)name_hash(sam, 1),
	    (unsigned long long)name_hash(sam, 2));
}

static void put_hex(struct wbuf *out, const char *seed, int n)
{
	uint64_t h = name_hash(seed, 3);
	int i;

	for (i = 0; i < n; i++) {
		h = h * 6364136223846793005ULL + 1442695040888963407ULL;
		wbuf_putc(out, "0123456789abcdef"[(h >> 60) & 15]);
	}
}

static const char *rid_of(const struct traj_graph *g, uint32_t node, char buf[80])
{
	const struct gen_principal *pr = traj_prin(g, node);
	const char *dash;

	if (pr == NULL)
		return "1000";
	gen_fmt_sid(g->w, pr, buf, 80);
	dash = strrchr(buf, '-');
	return dash != NULL ? dash + 1 : buf;
}

static void upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* The GPO a step uses: the target or actor when one is a GPO, else the domain's first. */
static int gpo_of(const struct traj_graph *g, const struct step_names *n)
{
	size_t i;

	if (traj_node_kind(g, n->target) == TN_GPO)
		return (int)(n->target - g->gpo0);
	if (traj_node_kind(g, n->actor) == TN_GPO)
		return (int)(n->actor - g->gpo0);
	for (i = 0; i < g->v->ngpos; i++)
		if (g->v->gpos[i].domain == n->tdom)
			return (int)i;
	return g->v->ngpos > 0 ? 0 : -1;
}

/* The credential of the target found on the step's host (HasCredential), or NULL. */
static const struct gen_cred *cred_of(const struct traj_graph *g, const struct step_names *n)
{
	size_t i;

	if (n->target < g->p0 || n->target - g->p0 >= g->nprin)
		return NULL;
	for (i = 0; i < g->v->ncreds; i++) {
		const struct gen_cred *cr = &g->v->creds[i];

		if (cr->principal == (int32_t)(n->target - g->p0) && cr->host == n->host)
			return cr;
	}
	return NULL;
}

/* Share and path of the file a looted credential sits in ("\\FS01\Shared\x" -> Shared, x). */
static void loot_place(const struct traj_graph *g, const struct step_names *n, int want_share,
    struct wbuf *out)
{
	const struct gen_cred *cr = cred_of(g, n);
	const char *p = NULL, *slash;

	if (cr != NULL && cr->artifact >= 0)
		p = ((const struct gen_artifact *)g->v->artifacts)[cr->artifact].path;
	if (p != NULL && p[0] == '\\' && p[1] == '\\' && (slash = strchr(p + 2, '\\')) != NULL) {
		const char *rest = strchr(slash + 1, '\\');

		if (want_share)
			wbuf_printf(out, "%.*s", rest ? (int)(rest - slash - 1) : (int)strlen(slash + 1),
			    slash + 1);
		else
			wbuf_puts(out, rest ? rest + 1 : "");
		return;
	}
	if (want_share)
		wbuf_puts(out, "C$");
	else if (p != NULL && p[0] == '\\')
		wbuf_printf(out, "Windows\\System32\\Tasks%s", p); /* a scheduled task's file */
	else if (p != NULL)
		wbuf_puts(out, p);
	else
		wbuf_printf(out, "Users\\%s\\Documents\\notes.txt", sam_of(g, n->target));
}

static void quoted_name(struct wbuf *out, const char *s)
{
	if (strchr(s, ' ') != NULL)
		wbuf_printf(out, "'%s'", s);
	else
		wbuf_puts(out, s);
}

static void value(const struct traj_graph *g, const struct step_names *n, const char *key,
    struct wbuf *out)
{
	const struct gen_domain *d = &g->v->domains[n->dom], *td = &g->v->domains[n->tdom];
	char buf[300], ip[16];
	int gp;

	if (strcmp(key, "domain") == 0) {
		wbuf_puts(out, d->fqdn);
	} else if (strcmp(key, "domain_netbios") == 0) {
		wbuf_puts(out, d->netbios);
	} else if (strcmp(key, "domain_sid") == 0) {
		wbuf_puts(out, td->sid);
	} else if (strcmp(key, "sid") == 0) {
		/* extra SID of a forged ticket (the target forest's Enterprise Admins), or of
		 * the machine account StandIn writes into the RBCD attribute */
		if (strcmp(n->c->name, "rbcd-write") == 0)
			wbuf_printf(out, "%s-%u", d->sid, 9000u + (unsigned)(name_hash(sam_of(g, n->target), 4) % 900));
		else
			wbuf_printf(out, "%s-519", g->v->domains[g->v->domains[n->tdom].forest_root].sid);
	} else if (strcmp(key, "user") == 0 || strcmp(key, "member") == 0) {
		wbuf_puts(out, sam_of(g, n->acct));
	} else if (strcmp(key, "password") == 0) {
		/* a spray tries the common password that the sprayed account turned out to use */
		password(g, strcmp(n->c->name, "password-spray") == 0 ? n->target : n->acct, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "nt_hash") == 0) {
		nt_hash(g, n->acct, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "krbtgt_hash") == 0) {
		wbuf_printf(out, "%016llx%016llx", (unsigned long long)name_hash(d->fqdn, 5),
		    (unsigned long long)name_hash(d->fqdn, 6));
	} else if (strcmp(key, "dc_ip") == 0 || strcmp(key, "dc_host") == 0 ||
	    strcmp(key, "dc_computer") == 0) {
		int dom = strcmp(key, "dc_ip") == 0 ? n->dom : n->tdom;

		if (g->dc_host[dom] >= 0) {
			host_names(g, g->dc_host[dom], buf, ip);
			if (strcmp(key, "dc_computer") == 0)
				wbuf_printf(out, "%s$", g->v->hosts[g->dc_host[dom]].hostname);
			else
				wbuf_puts(out, strcmp(key, "dc_ip") == 0 ? ip : buf);
		}
	} else if (strcmp(key, "base_dn") == 0) {
		wbuf_puts(out, d->dn);
	} else if (strcmp(key, "target_user") == 0 || strcmp(key, "target_group") == 0 ||
	    strcmp(key, "target_computer") == 0 || strcmp(key, "group") == 0) {
		if (strcmp(key, "group") == 0 && traj_node_kind(g, n->target) != TN_GROUP)
			wbuf_puts(out, "Domain Admins");
		else
			wbuf_puts(out, sam_of(g, n->target));
	} else if (strcmp(key, "target_host") == 0 || strcmp(key, "listener_host") == 0) {
		if (n->host >= 0) {
			host_names(g, n->host, buf, ip);
			wbuf_puts(out, buf);
		} else {
			wbuf_puts(out, sam_of(g, n->target));
		}
	} else if (strcmp(key, "target") == 0 && strcmp(n->c->name, "share-enum") == 0) {
		/* shares are listed across the DC's subnet */
		wbuf_puts(out, n->host >= 0 ? g->v->subnets[g->v->hosts[n->host].subnet].cidr :
		    td->fqdn);
	} else if (strcmp(key, "target") == 0) {
		quoted_name(out, sam_of(g, n->target));
	} else if (strcmp(key, "computer") == 0) {
		wbuf_puts(out, "DESKTOP-");
		put_hex(out, sam_of(g, n->target), 7);
		wbuf_putc(out, '$');
	} else if (strcmp(key, "found_password") == 0) {
		password(g, n->target, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "new_password") == 0) {
		wbuf_puts(out, "Pwn3d!");
		put_hex(out, sam_of(g, n->target), 6);
	} else if ((strcmp(key, "gpo_guid") == 0 || strcmp(key, "gpo_name") == 0) &&
	    (gp = gpo_of(g, n)) >= 0) {
		wbuf_puts(out, strcmp(key, "gpo_guid") == 0 ? g->v->gpos[gp].guid : g->v->gpos[gp].name);
	} else if (strcmp(key, "command") == 0) {
		if (strcmp(n->c->name, "gpo-abuse") == 0)
			wbuf_printf(out, "net localgroup administrators %s\\%s /add", d->netbios,
			    sam_of(g, n->acct));
		else
			wbuf_puts(out, "whoami /all");
	} else if (strcmp(key, "task") == 0) {
		wbuf_puts(out, "WindowsUpdateCheck");
	} else if (strcmp(key, "listener") == 0) {
		wbuf_puts(out, "smb-pivot");
	} else if (strcmp(key, "share") == 0 || strcmp(key, "path") == 0) {
		loot_place(g, n, strcmp(key, "share") == 0, out);
	} else if (strcmp(key, "outfile") == 0) {
		wbuf_puts(out, strcmp(n->c->name, "kerberoast") == 0 ? "tgs.hashes" : "asrep.hashes");
	} else if (strcmp(key, "hash_file") == 0) {
		wbuf_printf(out, "%s.hash", sam_of(g, n->target));
	} else if (strcmp(key, "subnet") == 0) {
		wbuf_puts(out, g->v->nsubnets > 0 ? g->v->subnets[0].cidr : "10.0.0.0/24");
	} else if (strcmp(key, "ports") == 0) {
		wbuf_puts(out, "22,88,135,389,445,3389,5985");
	} else if (strcmp(key, "users_file") == 0) {
		wbuf_puts(out, "users.txt");
	} else if (strcmp(key, "wordlist") == 0) {
		wbuf_puts(out, "rockyou.txt");
	} else if (strcmp(key, "hash_mode") == 0) {
		wbuf_puts(out, traj_has_flag(g, n->target, "spns") ? "13100" : "18200");
	} else {
		/* placeholders without a counterpart in the world read as their own name */
		wbuf_puts(out, key);
	}
}

static void names(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t actor, uint32_t target, struct step_names *n)
{
	n->c = c;
	n->actor = actor;
	n->target = target;
	n->acct = account(g, s, actor);
	n->dom = traj_node_domain(g, n->acct);
	n->tdom = traj_node_domain(g, target);
	/* host -> principal edges (sessions, stored credentials) run on the actor's host;
	 * a step against a domain talks to its DC */
	n->host = host_of(g, target);
	if (n->host < 0)
		n->host = host_of(g, actor);
	if (n->host < 0 && traj_node_kind(g, target) == TN_DOMAIN)
		n->host = g->dc_host[n->tdom];
}

void traj_text_command(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t actor, uint32_t target, struct wbuf *out)
{
	const char *p = c->usage, *q;
	struct step_names n;
	char key[48];

	names(g, s, c, actor, target, &n);
	while (*p) {
		if (*p == '{' && (q = strchr(p, '}')) != NULL && (size_t)(q - p) < sizeof(key)) {
			memcpy(key, p + 1, (size_t)(q - p - 1));
			key[q - p - 1] = '\0';
			value(g, &n, key, out);
			p = q + 1;
			continue;
		}
		wbuf_putc(out, *p++);
	}
}

/* A secretsdump-style line for the target account: DOMAIN\sam:rid:lm:nt::: */
static void dump_line(const struct traj_graph *g, const struct step_names *n, struct wbuf *out)
{
	char hash[33], rid[80];

	nt_hash(g, n->target, hash);
	wbuf_printf(out, "%s\\%s:%s:" LM_EMPTY ":%s:::", g->v->domains[n->tdom].netbios,
	    sam_of(g, n->target), rid_of(g, n->target, rid), hash);
}

static void credential_output(const struct traj_graph *g, const struct step_names *n,
    char *realm, struct wbuf *out)
{
	const char *name = n->c->name, *tsam = sam_of(g, n->target);
	const struct gen_cred *cr;
	char pw[40], hash[33], fqdn[300], ip[16];

	password(g, n->target, pw);
	nt_hash(g, n->target, hash);
	if (strcmp(name, "kerberoast") == 0 || strcmp(name, "targeted-kerberoast") == 0) {
		wbuf_printf(out, "$krb5tgs$23$*%s$%s$%s/%s*$", tsam, realm, tsam, realm);
		put_hex(out, tsam, 32);
		wbuf_putc(out, '$');
		put_hex(out, realm, 64);
	} else if (strcmp(name, "asrep-roast") == 0) {
		wbuf_printf(out, "$krb5asrep$23$%s@%s:", tsam, realm);
		put_hex(out, tsam, 32);
		wbuf_putc(out, '$');
		put_hex(out, realm, 64);
	} else if (strcmp(name, "crack-hash") == 0) {
		wbuf_printf(out, "Status...........: Cracked\n%s:%s", tsam, pw);
	} else if (strcmp(name, "password-spray") == 0) {
		wbuf_printf(out, "SMB  %s  [+] %s\\%s:%s", realm, g->v->domains[n->tdom].netbios, tsam, pw);
	} else if (strcmp(name, "read-laps") == 0) {
		wbuf_printf(out, "LAPS  %s  Computer: %s  Password: %s", realm, tsam, pw);
	} else if (strcmp(name, "make-token") == 0) {
		wbuf_printf(out, "[+] Impersonated %s\\%s", g->v->domains[n->tdom].netbios, tsam);
	} else if (strcmp(name, "use-credential") == 0 || strcmp(name, "loot-share") == 0 ||
	    strcmp(name, "loot-file") == 0) {
		cr = cred_of(g, n);
		if (n->host >= 0)
			host_names(g, n->host, fqdn, ip);
		else
			snprintf(fqdn, sizeof(fqdn), "%s", realm);
		wbuf_printf(out, "[+] %s\\%s:%s (%s on %s)", g->v->domains[n->tdom].netbios, tsam, pw,
		    cr != NULL && cr->location != NULL ? cr->location : "stored credential", fqdn);
	} else {
		/* dumps: secretsdump, lsass, hashdump, logonpasswords, dcsync */
		dump_line(g, n, out);
	}
}

static void control_output(const struct traj_graph *g, const struct step_names *n,
    struct wbuf *out)
{
	const char *name = n->c->name, *who = sam_of(g, n->acct), *tsam = sam_of(g, n->target);
	char hash[33];

	if (strcmp(name, "add-member") == 0) {
		wbuf_printf(out, "[+] %s added to %s", who, tsam);
	} else if (strcmp(name, "force-change-password") == 0) {
		wbuf_printf(out, "[+] Password changed successfully for %s", tsam);
	} else if (strcmp(name, "write-dacl") == 0) {
		wbuf_printf(out, "[*] DACL modified successfully! %s has FullControl on %s", who, tsam);
	} else if (strcmp(name, "write-owner") == 0) {
		wbuf_printf(out, "[*] OwnerSid modified successfully! %s now owns %s", who, tsam);
	} else if (strcmp(name, "shadow-credentials") == 0) {
		nt_hash(g, n->target, hash);
		wbuf_printf(out, "[*] Got hash for '%s': " LM_EMPTY ":%s", tsam, hash);
	} else if (strcmp(name, "rbcd-write") == 0) {
		wbuf_printf(out, "[*] Delegation rights modified successfully!\n"
		    "[*] DESKTOP-");
		put_hex(out, tsam, 7);
		wbuf_printf(out, "$ can now impersonate users on %s via S4U2Proxy", tsam);
	} else if (strcmp(name, "gpo-abuse") == 0) {
		int gp = gpo_of(g, n);

		wbuf_printf(out, "[+] ScheduledTask WindowsUpdateCheck created in GPO %s; it runs at "
		    "the next policy refresh on %s", gp >= 0 ? g->v->gpos[gp].name : "?", tsam);
	} else {
		wbuf_printf(out, "[+] %s: control gained through %s", tsam, name);
	}
}

void traj_text_output(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t actor, uint32_t target, int ok, const char *reason,
    struct wbuf *out)
{
	const struct gen_view *v = g->v;
	struct step_names n;
	char realm[300], fqdn[300], ip[16];

	names(g, s, c, actor, target, &n);
	snprintf(realm, sizeof(realm), "%s", v->domains[n.tdom].fqdn);
	upper(realm);
	if (!ok) {
		wbuf_printf(out, "[-] %s: %s", sam_of(g, target), reason);
		return;
	}
	if (n.host >= 0)
		host_names(g, n.host, fqdn, ip);
	else
		snprintf(fqdn, sizeof(fqdn), "%s", sam_of(g, target));
	if (strcmp(c->name, "port-scan") == 0) {
		wbuf_printf(out, "Nmap scan report for %s (%s)\n53/tcp open domain\n88/tcp open "
		    "kerberos-sec\n389/tcp open ldap\n445/tcp open microsoft-ds\n5985/tcp open wsman",
		    fqdn, n.host >= 0 ? ip : "?");
		return;
	}
	if (strcmp(c->name, "share-enum") == 0) {
		wbuf_printf(out, "SMB  %s  [*] Enumerated shares\nADMIN$\nC$\nIPC$  READ\n"
		    "NETLOGON  READ\nSYSVOL  READ", fqdn);
		return;
	}
	if (strcmp(c->name, "use-credential") == 0 || strcmp(c->name, "make-token") == 0) {
		credential_output(g, &n, realm, out);
		return;
	}
	switch (c->effect) {
	case ATTACK_FX_DISCOVER:
		wbuf_printf(out, "[*] %s: %u people, %u groups, %u computers, %zu hosts in %d domain(s)",
		    v->domains[n.tdom].fqdn, v->domains[n.tdom].npeople, v->ngroups, v->ncomputers,
		    v->nhosts, v->ndomains);
		break;
	case ATTACK_FX_CREDENTIAL:
		credential_output(g, &n, realm, out);
		break;
	case ATTACK_FX_EXECUTE:
		wbuf_printf(out, "[*] %s: session opened as %s\\%s\nC:\\> whoami\n%s\\%s", fqdn,
		    v->domains[n.dom].netbios, sam_of(g, n.acct), v->domains[n.dom].netbios,
		    sam_of(g, n.acct));
		break;
	case ATTACK_FX_CONTROL:
		control_output(g, &n, out);
		break;
	default:
		if (n.host < 0)
			snprintf(fqdn, sizeof(fqdn), "%s", realm);
		wbuf_printf(out, "[*] Impersonating Administrator toward %s\n"
		    "[*] Saving ticket in Administrator@%s.ccache", fqdn, realm);
		break;
	}
}
