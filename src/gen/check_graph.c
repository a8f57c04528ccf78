/*
 * gen check, graph-shaped rules: the manager chain has no cycle, subnets do not overlap
 * and hold their hosts' addresses, every domain has a DC, admin rates, and every attack
 * path is a real walk over the document's edges from an unprivileged enabled user to
 * Domain Admins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "gen/internal.h"

void gen_check_managers(struct gen_checker *ck)
{
	size_t n = json_object_array_length(ck->arr[K_PRIN]), i, j;
	unsigned char *state = calloc(n + 1, 1);

	if (state == NULL)
		return;
	/* 0 unseen, 1 on the current walk, 2 known to reach a root. */
	for (i = 0; i < n; i++) {
		size_t cur = i;

		while (state[cur] == 0) {
			const char *m = gen_ck_str(gen_ck_item(ck, K_PRIN, cur), "manager_id");

			state[cur] = 1;
			if (m == NULL || gen_ck_lookup(ck, m, &j) != K_PRIN)
				break;
			if (state[j] == 1) {
				gen_ck_fail(ck, gen_ck_str(gen_ck_item(ck, K_PRIN, j), "principal_id"),
				    "the manager chain loops back here");
				break;
			}
			cur = j;
		}
		for (cur = i; state[cur] == 1;) {
			const char *m = gen_ck_str(gen_ck_item(ck, K_PRIN, cur), "manager_id");

			state[cur] = 2;
			if (m == NULL || gen_ck_lookup(ck, m, &j) != K_PRIN)
				break;
			cur = j;
		}
	}
	free(state);
}

static int parse_ip(const char *s, uint32_t *out)
{
	unsigned a, b, c, d;
	char tail;

	if (s == NULL || sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 ||
	    b > 255 || c > 255 || d > 255)
		return 0;
	*out = (a << 24) | (b << 16) | (c << 8) | d;
	return 1;
}

static int parse_cidr(const char *s, uint32_t *base, uint32_t *mask)
{
	char ip[32];
	const char *slash = s ? strchr(s, '/') : NULL;
	unsigned bits;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(ip))
		return 0;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	if (!parse_ip(ip, base) || sscanf(slash + 1, "%u", &bits) != 1 || bits < 8 || bits > 32)
		return 0;
	*mask = bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
	return (*base & ~*mask) == 0;
}

void gen_check_network(struct gen_checker *ck)
{
	size_t ns = json_object_array_length(ck->arr[K_SUBNET]), nh, i, j;
	uint32_t *base = calloc(ns + 1, sizeof(uint32_t)), *mask = calloc(ns + 1, sizeof(uint32_t));
	struct strmap ips;

	if (base == NULL || mask == NULL || strmap_init(&ips, 1024) != WS_OK)
		goto out;
	for (i = 0; i < ns; i++) {
		struct json_object *o = gen_ck_item(ck, K_SUBNET, i);
		const char *id = gen_ck_str(o, "subnet_id");

		if (!parse_cidr(gen_ck_str(o, "cidr"), &base[i], &mask[i])) {
			gen_ck_fail(ck, id, "cidr is not a network address with a prefix");
			mask[i] = 0xffffffffu;
			base[i] = 0;
			continue;
		}
		for (j = 0; j < i; j++)
			if (((base[i] ^ base[j]) & mask[i] & mask[j]) == 0)
				gen_ck_fail(ck, id, "overlaps %s",
				    gen_ck_str(gen_ck_item(ck, K_SUBNET, j), "subnet_id"));
	}
	nh = json_object_array_length(ck->arr[K_HOST]);
	for (i = 0; i < nh; i++) {
		struct json_object *o = gen_ck_item(ck, K_HOST, i);
		const char *id = gen_ck_str(o, "host_id"), *ipt = gen_ck_str(o, "ip");
		uint32_t ip;
		size_t s;

		if (!parse_ip(ipt, &ip)) {
			gen_ck_fail(ck, id, "ip %s is not an IPv4 address", ipt ? ipt : "null");
			continue;
		}
		if (strmap_put(&ips, ipt, strlen(ipt), 0) == 0)
			gen_ck_fail(ck, id, "duplicate ip %s", ipt);
		if (gen_ck_lookup(ck, gen_ck_str(o, "subnet"), &s) == K_SUBNET &&
		    ((ip ^ base[s]) & mask[s]) != 0)
			gen_ck_fail(ck, id, "ip %s is outside its subnet %s", ipt,
			    gen_ck_str(gen_ck_item(ck, K_SUBNET, s), "cidr"));
	}
out:
	strmap_free(&ips);
	free(base);
	free(mask);
}

static long sid_rid(const char *sid)
{
	const char *dash = sid ? strrchr(sid, '-') : NULL;

	return dash ? strtol(dash + 1, NULL, 10) : -1;
}

static int is_person(struct json_object *o)
{
	const char *t = gen_ck_str(o, "principal_type");

	return t != NULL && strcmp(t, "user") == 0 && !gen_ck_bool(o, "builtin");
}

/* Everything that is, directly or through nested groups, a member of a tier 0 group. */
static unsigned char *privileged_set(struct gen_checker *ck)
{
	static const long tier0[] = { 512, 516, 518, 519, 544, 548, 549, 551 };
	size_t n = json_object_array_length(ck->arr[K_PRIN]), i, head = 0, tail = 0, k;
	unsigned char *priv = calloc(n + 1, 1);
	size_t *queue = malloc((n + 1) * sizeof(size_t));

	if (priv == NULL || queue == NULL) {
		free(queue);
		free(priv);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_PRIN, i);
		const char *t = gen_ck_str(o, "principal_type");
		long rid = sid_rid(gen_ck_str(o, "sid"));

		if (t == NULL || strcmp(t, "group") != 0)
			continue;
		for (k = 0; k < W_ARRAY_LEN(tier0); k++)
			if (rid == tier0[k]) {
				priv[i] = 1;
				queue[tail++] = i;
			}
	}
	while (head < tail) {
		struct json_object *m;
		size_t g = queue[head++], j;

		if (!json_object_object_get_ex(gen_ck_item(ck, K_PRIN, g), "members", &m) ||
		    !json_object_is_type(m, json_type_array))
			continue;
		for (k = 0; k < json_object_array_length(m); k++) {
			if (gen_ck_lookup(ck, json_object_get_string(json_object_array_get_idx(m, k)),
			    &j) != K_PRIN || priv[j])
				continue;
			priv[j] = 1;
			queue[tail++] = j;
		}
	}
	free(queue);
	return priv;
}

/* Per domain: its Domain Admins group, a DC, and the admin rates. */
static void check_domains(struct gen_checker *ck)
{
	size_t nd = json_object_array_length(ck->arr[K_DOMAIN]), np, nh, i, d, k;

	ck->da = malloc((nd + 1) * sizeof(int32_t));
	if (ck->da == NULL)
		return;
	np = json_object_array_length(ck->arr[K_PRIN]);
	nh = json_object_array_length(ck->arr[K_HOST]);
	for (d = 0; d < nd; d++) {
		struct json_object *dom = gen_ck_item(ck, K_DOMAIN, d), *m;
		const char *fq = gen_ck_str(dom, "fqdn"), *id = gen_ck_str(dom, "domain_id");
		size_t admins = 0, das = 0, dcs = 0, j;

		ck->da[d] = -1;
		for (i = 0; i < np && fq != NULL; i++) {
			struct json_object *o = gen_ck_item(ck, K_PRIN, i), *tier;
			const char *pd = gen_ck_str(o, "domain"), *t = gen_ck_str(o, "principal_type");

			if (pd == NULL || strcmp(pd, fq) != 0)
				continue;
			if (t != NULL && strcmp(t, "group") == 0 && sid_rid(gen_ck_str(o, "sid")) == 512 &&
			    strncmp(gen_ck_str(o, "sid"), "S-1-5-21-", 9) == 0)
				ck->da[d] = (int32_t)i;
			if (is_person(o) && json_object_object_get_ex(o, "admin_tier", &tier) &&
			    tier != NULL)
				admins++;
		}
		for (i = 0; i < nh && fq != NULL; i++) {
			struct json_object *h = gen_ck_item(ck, K_HOST, i);
			const char *hd = gen_ck_str(h, "domain"), *role = gen_ck_str(h, "role");

			dcs += hd != NULL && role != NULL && strcmp(hd, fq) == 0 && strcmp(role, "dc") == 0;
		}
		if (dcs == 0)
			gen_ck_fail(ck, id, "domain %s has no domain controller", fq ? fq : "?");
		if (ck->da[d] < 0) {
			gen_ck_fail(ck, id, "domain %s has no Domain Admins group (RID 512)", fq ? fq : "?");
			continue;
		}
		if (json_object_object_get_ex(gen_ck_item(ck, K_PRIN, (size_t)ck->da[d]), "members", &m) &&
		    json_object_is_type(m, json_type_array))
			for (k = 0; k < json_object_array_length(m); k++)
				if (gen_ck_lookup(ck, json_object_get_string(json_object_array_get_idx(m, k)),
				    &j) == K_PRIN && is_person(gen_ck_item(ck, K_PRIN, j)))
					das++;
		if (das > 30)
			gen_ck_fail(ck, id, "%zu people in Domain Admins (at most 30)", das);
		if (admins >= 40 && (das * 100 < admins * 3 || das * 100 > admins * 5))
			gen_ck_fail(ck, id, "Domain Admins are %zu of %zu admins, outside 3-5 %%", das,
			    admins);
	}
}

static void check_path(struct gen_checker *ck, struct json_object *p, const unsigned char *priv,
    unsigned char *covered)
{
	const char *id = gen_ck_str(p, "path_id"), *dom = gen_ck_str(p, "domain");
	struct json_object *edges, *nodes, *first, *tier;
	const char *prev = NULL, *start = NULL;
	size_t n, k, e, s, d;
	uint32_t *dv;
	int64_t len;

	if ((dv = dom ? strmap_get(&ck->fqdns, dom, strlen(dom)) : NULL) == NULL) {
		gen_ck_fail(ck, id, "domain %s is not a domain of the document", dom ? dom : "null");
		return;
	}
	d = *dv;
	if (!json_object_object_get_ex(p, "edges", &edges) ||
	    !json_object_is_type(edges, json_type_array) ||
	    (n = json_object_array_length(edges)) == 0) {
		gen_ck_fail(ck, id, "has no edges");
		return;
	}
	if (!json_object_object_get_ex(p, "nodes", &nodes) ||
	    !json_object_is_type(nodes, json_type_array) || json_object_array_length(nodes) != n + 1)
		gen_ck_fail(ck, id, "nodes must list the %zu nodes the edges visit", n + 1);
	if (!json_object_object_get_ex(p, "length", &first) || json_object_get_int64(first) != (int64_t)n)
		gen_ck_fail(ck, id, "length is not the number of edges (%zu)", n);
	len = (int64_t)n;
	for (k = 0; k < n; k++) {
		const char *eid = json_object_get_string(json_object_array_get_idx(edges, k));
		struct json_object *eo;
		const char *src, *dst, *type;

		if (gen_ck_lookup(ck, eid, &e) != K_EDGE) {
			gen_ck_fail(ck, id, "step %zu: %s is not an edge of the document", k + 1,
			    eid ? eid : "null");
			return;
		}
		eo = gen_ck_item(ck, K_EDGE, e);
		src = gen_ck_str(eo, "source");
		dst = gen_ck_str(eo, "target");
		type = gen_ck_str(eo, "edge_type");
		if (src == NULL || dst == NULL)
			return;
		if (prev != NULL && strcmp(prev, src) != 0) {
			gen_ck_fail(ck, id, "step %zu: %s starts at %s, not where step %zu ended (%s)",
			    k + 1, eid, src, k, prev);
			return;
		}
		if (type != NULL && (strcmp(type, "TrustedBy") == 0 || strcmp(type, "CanReach") == 0))
			gen_ck_fail(ck, id, "step %zu: %s edges give no control", k + 1, type);
		if (nodes != NULL && json_object_array_length(nodes) == n + 1) {
			const char *a = json_object_get_string(json_object_array_get_idx(nodes, k));
			const char *b = json_object_get_string(json_object_array_get_idx(nodes, k + 1));

			if (a == NULL || b == NULL || strcmp(a, src) != 0 || strcmp(b, dst) != 0)
				gen_ck_fail(ck, id, "nodes disagree with step %zu", k + 1);
		}
		if (k == 0)
			start = src;
		prev = dst;
	}
	(void)len;
	if (gen_ck_lookup(ck, start, &s) != K_PRIN) {
		gen_ck_fail(ck, id, "starts at %s, which is not a principal", start);
		return;
	}
	first = gen_ck_item(ck, K_PRIN, s);
	if (!is_person(first) || !gen_ck_bool(first, "enabled") || priv[s] ||
	    (json_object_object_get_ex(first, "admin_tier", &tier) && tier != NULL) ||
	    gen_ck_bool(json_object_object_get(first, "flags"), "admin_count"))
		gen_ck_fail(ck, id, "starts at %s, which is not an unprivileged enabled user", start);
	if (ck->da[d] < 0 ||
	    strcmp(prev, gen_ck_str(gen_ck_item(ck, K_PRIN, (size_t)ck->da[d]), "principal_id")) != 0) {
		gen_ck_fail(ck, id, "ends at %s, not at %s's Domain Admins", prev, dom);
		return;
	}
	if (gen_ck_str(p, "source") == NULL || strcmp(gen_ck_str(p, "source"), start) != 0 ||
	    gen_ck_str(p, "target") == NULL || strcmp(gen_ck_str(p, "target"), prev) != 0)
		gen_ck_fail(ck, id, "source/target disagree with the edges");
	covered[d] = 1;
}

void gen_check_paths(struct gen_checker *ck)
{
	size_t nd = json_object_array_length(ck->arr[K_DOMAIN]), n, i;
	unsigned char *priv, *covered = calloc(nd + 1, 1);

	check_domains(ck);
	priv = privileged_set(ck);
	if (priv == NULL || covered == NULL || ck->da == NULL)
		goto out;
	n = json_object_array_length(ck->arr[K_PATH]);
	for (i = 0; i < n; i++)
		check_path(ck, gen_ck_item(ck, K_PATH, i), priv, covered);
	for (i = 0; i < nd; i++)
		if (!covered[i])
			gen_ck_fail(ck, gen_ck_str(gen_ck_item(ck, K_DOMAIN, i), "domain_id"),
			    "no valid attack path to this domain's Domain Admins");
out:
	free(priv);
	free(covered);
}
