/*
 * traj text: the command line of a step (the vocabulary's usage template with the world's
 * names filled in) and the text the tool would print. Secrets are made up from the
 * names by a fixed hash, so the same step always reads the same.
 */
#include <stdio.h>
#include <string.h>

#include "traj/internal.h"

static const char *const weak_pw[] = { "Summer2025!", "Welcome1", "Password123", "Winter2024!",
	"Company2025", "Spring2026!" };

static const char *sam_of(const struct traj_graph *g, uint32_t node)
{
	const struct gen_principal *pr = traj_prin(g, node);

	return pr != NULL && pr->sam != NULL ? pr->sam : gen_node_id(g->w, node);
}

/* The account a command line uses: a group or OU acts through the operator's account. */
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

static void password(const struct traj_graph *g, uint32_t node, char out[40])
{
	const struct gen_principal *pr = traj_prin(g, node);
	const char *sam = sam_of(g, node);
	uint64_t h = gen_hash64(sam, strlen(sam), 0x9e3779b97f4a7c15ULL);

	if (pr != NULL && pr->pwd != PW_STRONG)
		snprintf(out, 40, "%s", weak_pw[h % W_ARRAY_LEN(weak_pw)]);
	else
		snprintf(out, 40, "Xq%08llx!v", (unsigned long long)(h & 0xffffffffULL));
}

static void nt_hash(const struct traj_graph *g, uint32_t node, char out[33])
{
	const char *sam = sam_of(g, node);

	snprintf(out, 33, "%016llx%016llx",
	    (unsigned long long)gen_hash64(sam, strlen(sam), 1),
	    (unsigned long long)gen_hash64(sam, strlen(sam), 2));
}

/* The target as a host name when it is a computer or host, else its account name. */
static void target_name(const struct traj_graph *g, uint32_t target, char out[300])
{
	const struct gen_principal *pr = traj_prin(g, target);
	char ip[16];

	if (pr != NULL && pr->type == PT_COMPUTER && pr->host >= 0)
		host_names(g, pr->host, out, ip);
	else if (target >= g->h0 && target - g->h0 < g->w->hosts.n)
		host_names(g, (int32_t)(target - g->h0), out, ip);
	else if (target < (uint32_t)g->w->ndomains)
		snprintf(out, 300, "%s", g->w->dom[target].fqdn);
	else
		snprintf(out, 300, "%s", sam_of(g, target));
}

static void value(const struct traj_graph *g, const struct traj_state *s, const char *key,
    uint32_t actor, uint32_t target, struct wbuf *out)
{
	int dom = traj_node_domain(g, account(g, s, actor));
	uint32_t acct = account(g, s, actor);
	char buf[300], ip[16];

	if (strcmp(key, "domain") == 0) {
		wbuf_puts(out, g->w->dom[dom].fqdn);
	} else if (strcmp(key, "user") == 0) {
		wbuf_puts(out, sam_of(g, acct));
	} else if (strcmp(key, "password") == 0) {
		password(g, acct, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "nt_hash") == 0) {
		nt_hash(g, acct, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "dc_ip") == 0 || strcmp(key, "dc") == 0) {
		if (g->dc_host[dom] >= 0) {
			host_names(g, g->dc_host[dom], buf, ip);
			wbuf_puts(out, strcmp(key, "dc") == 0 ? buf : ip);
		}
	} else if (strcmp(key, "base_dn") == 0) {
		wbuf_puts(out, g->w->dom[dom].dn);
	} else if (strcmp(key, "target_user") == 0 || strcmp(key, "target_group") == 0) {
		wbuf_puts(out, sam_of(g, target));
	} else if (strncmp(key, "target", 6) == 0) {
		target_name(g, target, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "found_password") == 0 || strcmp(key, "new_password") == 0) {
		password(g, target, buf);
		wbuf_puts(out, buf);
	} else if (strcmp(key, "subnet") == 0) {
		wbuf_puts(out, g->w->nsubnets > 0 ? SUBNET(g->w, 0)->cidr : "10.0.0.0/24");
	} else if (strcmp(key, "ports") == 0) {
		wbuf_puts(out, "22,88,135,389,445,3389,5985");
	} else if (strcmp(key, "users_file") == 0) {
		wbuf_puts(out, "users.txt");
	} else if (strcmp(key, "wordlist") == 0) {
		wbuf_puts(out, "rockyou.txt");
	} else if (strcmp(key, "hash_mode") == 0) {
		wbuf_puts(out, traj_has_flag(g, target, "spns") ? "13100" : "18200");
	} else {
		/* placeholders without a counterpart in the world read as their own name */
		wbuf_puts(out, key);
	}
}

void traj_text_command(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t actor, uint32_t target, struct wbuf *out)
{
	const char *p = c->usage, *q;
	char key[48];

	while (*p) {
		if (*p == '{' && (q = strchr(p, '}')) != NULL && (size_t)(q - p) < sizeof(key)) {
			memcpy(key, p + 1, (size_t)(q - p - 1));
			key[q - p - 1] = '\0';
			value(g, s, key, actor, target, out);
			p = q + 1;
			continue;
		}
		wbuf_putc(out, *p++);
	}
}

void traj_text_output(const struct traj_graph *g, const struct attack_cmd *c, uint32_t actor,
    uint32_t target, int ok, const char *reason, struct wbuf *out)
{
	const struct gen_world *w = g->w;
	int dom = traj_node_domain(g, target);
	char tname[300], hash[33];

	target_name(g, target, tname);
	if (!ok) {
		wbuf_printf(out, "[-] %s: %s", tname, reason);
		return;
	}
	switch (c->effect) {
	case ATTACK_FX_DISCOVER:
		wbuf_printf(out, "[*] %s: %u people, %u groups, %u computers, %zu hosts in %d domain(s)",
		    w->dom[dom].fqdn, w->dom[dom].npeople, w->ngroups, w->ncomputers, w->hosts.n,
		    w->ndomains);
		break;
	case ATTACK_FX_CREDENTIAL:
		nt_hash(g, target, hash);
		wbuf_printf(out, "[+] %s\\%s:%s (obtained with %s)", w->dom[dom].netbios,
		    sam_of(g, target), hash, c->name);
		break;
	case ATTACK_FX_EXECUTE:
		wbuf_printf(out, "[*] %s: session opened as %s\nC:\\> whoami\n%s\\%s", tname,
		    sam_of(g, actor), w->dom[traj_node_domain(g, actor)].netbios, sam_of(g, actor));
		break;
	case ATTACK_FX_CONTROL:
		wbuf_printf(out, "[+] %s: control gained through %s", tname, c->name);
		break;
	default:
		wbuf_printf(out, "[*] impersonating %s: ticket saved to %s.ccache", tname,
		    sam_of(g, target));
		break;
	}
}
