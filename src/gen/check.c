/*
 * gen check: proves the invariants of world-model.md on any document (not only ours):
 * unique ids, SIDs, names and addresses; every reference resolves; counts match the
 * parameters; rates stay in their bands; stats agree. Graph-shaped rules (manager
 * cycles, subnets, attack paths) are in check_graph.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "gen/internal.h"

static const char *const arrays[K_COUNT] = { "domains", "sites", "subnets", "ous", "gpos",
	"principals", "hosts", NULL, "credentials", "artifacts", "edges", "attack_paths" };
static const char *const id_keys[K_COUNT] = { "domain_id", "site_id", "subnet_id", "ou_id",
	"gpo_id", "principal_id", "host_id", "service_id", "cred_id", "artifact_id", "edge_id",
	"path_id" };

void gen_ck_fail(struct gen_checker *ck, const char *id, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ck->violations++;
	if (ck->report != NULL)
		ck->report(ck->ctx, id != NULL ? id : "document", msg);
}

const char *gen_ck_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int gen_ck_bool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v);
}

static int ck_int(struct json_object *o, const char *key, int64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	*out = json_object_get_int64(v);
	return 1;
}

static struct json_object *ck_get(struct json_object *o, const char *key, json_type t)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

int gen_ck_lookup(const struct gen_checker *ck, const char *id, size_t *index)
{
	uint32_t *v;

	if (id == NULL || (v = strmap_get(&ck->ids, id, strlen(id))) == NULL)
		return -1;
	if (index != NULL)
		*index = *v & 0xffffff;
	return (int)(*v >> 24);
}

struct json_object *gen_ck_item(const struct gen_checker *ck, int kind, size_t i)
{
	return json_object_array_get_idx(ck->arr[kind], i);
}

static int is_node(int kind)
{
	return kind == K_DOMAIN || kind == K_OU || kind == K_GPO || kind == K_SUBNET ||
	    kind == K_PRIN || kind == K_HOST;
}

/* A reference that must name an entity of one of the kinds in mask (1 << kind). */
static void ref(struct gen_checker *ck, const char *owner, struct json_object *o, const char *key,
    unsigned mask, int nullable)
{
	struct json_object *v;
	const char *id;
	int kind;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (!nullable || !json_object_object_get_ex(o, key, &v))
			gen_ck_fail(ck, owner, "%s is missing", key);
		return;
	}
	if ((id = json_object_get_string(v)) == NULL || !json_object_is_type(v, json_type_string)) {
		gen_ck_fail(ck, owner, "%s is not a string", key);
		return;
	}
	kind = gen_ck_lookup(ck, id, NULL);
	if (kind < 0 || !(mask & (1u << kind)))
		gen_ck_fail(ck, owner, "%s names %s, which is not an entity it may point to", key, id);
}

static void ref_list(struct gen_checker *ck, const char *owner, struct json_object *o,
    const char *key, unsigned mask)
{
	struct json_object *a = ck_get(o, key, json_type_array);
	size_t i, n;

	if (a == NULL) {
		gen_ck_fail(ck, owner, "%s is missing or not an array", key);
		return;
	}
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(a, i));
		int kind = gen_ck_lookup(ck, id, NULL);

		if (kind < 0 || !(mask & (1u << kind)))
			gen_ck_fail(ck, owner, "%s[%zu] names %s, which does not exist", key, i,
			    id ? id : "null");
	}
}

static void domain_ref(struct gen_checker *ck, const char *owner, struct json_object *o)
{
	const char *d = gen_ck_str(o, "domain");

	if (d == NULL || strmap_get(&ck->fqdns, d, strlen(d)) == NULL)
		gen_ck_fail(ck, owner, "domain %s is not a domain of the document", d ? d : "null");
}

/* A key unique in its scope: scope-prefixed, case-folded copy kept in the arena. */
static void unique(struct gen_checker *ck, struct strmap *m, struct arena *a, const char *owner,
    const char *scope, const char *what, const char *value)
{
	char *k;
	size_t i, n;

	if (value == NULL)
		return;
	k = arena_printf(a, "%s|%s", scope, value);
	if (k == NULL)
		return;
	for (i = 0, n = strlen(k); i < n; i++)
		k[i] = (char)tolower((unsigned char)k[i]);
	if (strmap_put(m, k, n, 0) == 0)
		gen_ck_fail(ck, owner, "duplicate %s %s", what, value);
}

static void collect_ids(struct gen_checker *ck)
{
	int kind;
	size_t i, n, s;

	for (kind = 0; kind < K_COUNT; kind++) {
		if (ck->arr[kind] == NULL)
			continue;
		n = json_object_array_length(ck->arr[kind]);
		for (i = 0; i < n; i++) {
			struct json_object *o = json_object_array_get_idx(ck->arr[kind], i), *svcs;
			const char *id = gen_ck_str(o, id_keys[kind]);

			if (id == NULL) {
				gen_ck_fail(ck, NULL, "%s[%zu] has no %s", arrays[kind], i, id_keys[kind]);
				continue;
			}
			if (strmap_put(&ck->ids, id, strlen(id), ((uint32_t)kind << 24) | (uint32_t)i) == 0)
				gen_ck_fail(ck, id, "duplicate id");
			if (kind == K_DOMAIN) {
				const char *fq = gen_ck_str(o, "fqdn");

				if (fq == NULL || strmap_put(&ck->fqdns, fq, strlen(fq), (uint32_t)i) == 0)
					gen_ck_fail(ck, id, "fqdn missing or duplicate");
			}
			if (kind != K_HOST || (svcs = ck_get(o, "services", json_type_array)) == NULL)
				continue;
			for (s = 0; s < json_object_array_length(svcs); s++) {
				const char *sid = gen_ck_str(json_object_array_get_idx(svcs, s), "service_id");

				if (sid == NULL || strmap_put(&ck->ids, sid, strlen(sid),
				    ((uint32_t)K_SERVICE << 24) | (uint32_t)i) == 0)
					gen_ck_fail(ck, id, "service %zu: id missing or duplicate", s);
			}
		}
	}
}

#define M(k) (1u << (k))

static void check_principals(struct gen_checker *ck, struct arena *a)
{
	struct strmap seen;
	size_t i, n = json_object_array_length(ck->arr[K_PRIN]), d;

	if (strmap_init(&seen, n * 4 + 64) != WS_OK)
		return;
	for (d = 0; d < json_object_array_length(ck->arr[K_DOMAIN]); d++)
		unique(ck, &seen, a, gen_ck_str(gen_ck_item(ck, K_DOMAIN, d), "domain_id"), "sid",
		    "SID", gen_ck_str(gen_ck_item(ck, K_DOMAIN, d), "sid"));
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_PRIN, i);
		const char *id = gen_ck_str(o, "principal_id"), *type = gen_ck_str(o, "principal_type");
		const char *dom = gen_ck_str(o, "domain");

		if (id == NULL)
			continue;
		if (type == NULL || (strcmp(type, "user") && strcmp(type, "service_account") &&
		    strcmp(type, "computer") && strcmp(type, "group")))
			gen_ck_fail(ck, id, "principal_type %s is not one of the four", type ? type : "null");
		domain_ref(ck, id, o);
		if (gen_ck_str(o, "sid") == NULL || gen_ck_str(o, "sam") == NULL)
			gen_ck_fail(ck, id, "sid or sam missing");
		unique(ck, &seen, a, id, "sid", "SID", gen_ck_str(o, "sid"));
		unique(ck, &seen, a, id, dom ? dom : "", "sam", gen_ck_str(o, "sam"));
		unique(ck, &seen, a, id, "upn", "UPN", gen_ck_str(o, "upn"));
		unique(ck, &seen, a, id, "email", "email", gen_ck_str(o, "email"));
		ref(ck, id, o, "ou_id", M(K_OU), 0);
		ref(ck, id, o, "manager_id", M(K_PRIN), 1);
		if (type != NULL && strcmp(type, "group") == 0)
			ref_list(ck, id, o, "members", M(K_PRIN));
		if (type != NULL && strcmp(type, "computer") == 0)
			ref(ck, id, o, "host_id", M(K_HOST), 0);
	}
	strmap_free(&seen);
}

static void check_hosts(struct gen_checker *ck, struct arena *a)
{
	struct strmap seen;
	size_t i, n = json_object_array_length(ck->arr[K_HOST]), s;

	if (strmap_init(&seen, n * 2 + 64) != WS_OK)
		return;
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_HOST, i), *svcs;
		const char *id = gen_ck_str(o, "host_id"), *dom = gen_ck_str(o, "domain");

		if (id == NULL)
			continue;
		domain_ref(ck, id, o);
		unique(ck, &seen, a, id, dom ? dom : "", "hostname", gen_ck_str(o, "hostname"));
		if (gen_ck_str(o, "hostname") == NULL)
			gen_ck_fail(ck, id, "hostname missing");
		ref(ck, id, o, "subnet", M(K_SUBNET), 0);
		ref(ck, id, o, "site", M(K_SITE), 0);
		ref(ck, id, o, "primary_user", M(K_PRIN), 1);
		ref(ck, id, o, "computer_id", M(K_PRIN), 1);
		ref_list(ck, id, o, "local_admins", M(K_PRIN));
		if ((svcs = ck_get(o, "services", json_type_array)) == NULL) {
			gen_ck_fail(ck, id, "services missing");
			continue;
		}
		for (s = 0; s < json_object_array_length(svcs); s++)
			ref(ck, id, json_object_array_get_idx(svcs, s), "run_as", M(K_PRIN), 1);
	}
	strmap_free(&seen);
}

static void check_rest(struct gen_checker *ck)
{
	size_t i, n;

	n = json_object_array_length(ck->arr[K_CRED]);
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_CRED, i);
		const char *id = gen_ck_str(o, "cred_id");

		ref(ck, id, o, "principal_id", M(K_PRIN), 0);
		ref(ck, id, o, "found_on", M(K_HOST), 1);
		ref(ck, id, o, "artifact_id", M(K_ART), 1);
	}
	n = json_object_array_length(ck->arr[K_ART]);
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_ART, i);
		const char *id = gen_ck_str(o, "artifact_id");

		ref(ck, id, o, "host_id", M(K_HOST), 0);
		ref_list(ck, id, o, "credential_ids", M(K_CRED));
	}
	n = json_object_array_length(ck->arr[K_OU]);
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_OU, i);
		const char *id = gen_ck_str(o, "ou_id");

		domain_ref(ck, id, o);
		ref(ck, id, o, "parent_id", M(K_OU), 1);
	}
	n = json_object_array_length(ck->arr[K_GPO]);
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_GPO, i);

		ref(ck, gen_ck_str(o, "gpo_id"), o, "linked_to", M(K_OU) | M(K_DOMAIN), 0);
	}
	n = json_object_array_length(ck->arr[K_EDGE]);
	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_EDGE, i);
		const char *id = gen_ck_str(o, "edge_id"), *t = gen_ck_str(o, "edge_type");
		const char *sev = gen_ck_str(o, "severity");
		unsigned nodes = M(K_DOMAIN) | M(K_OU) | M(K_GPO) | M(K_SUBNET) | M(K_PRIN) | M(K_HOST);
		int k, known = 0;

		ref(ck, id, o, "source", nodes, 0);
		ref(ck, id, o, "target", nodes, 0);
		for (k = 0; k < E_COUNT && t != NULL; k++)
			known |= strcmp(t, gen_edge_names[k]) == 0;
		if (!known)
			gen_ck_fail(ck, id, "edge_type %s is not in the vocabulary", t ? t : "null");
		for (k = 0, known = 0; k < 5 && sev != NULL; k++)
			known |= strcmp(sev, gen_sev_names[k]) == 0;
		if (!known)
			gen_ck_fail(ck, id, "severity %s is not a severity", sev ? sev : "null");
	}
	(void)is_node;
}

/* Counts against the parameters, the rates of world-model.md, and the stats. */
static void check_counts(struct gen_checker *ck)
{
	struct json_object *par = ck_get(ck->doc, "parameters", json_type_object), *doms, *st;
	size_t i, n = json_object_array_length(ck->arr[K_PRIN]), nd;
	size_t people = 0, disabled = 0, asrep = 0;
	int64_t want = -1;

	for (i = 0; i < n; i++) {
		struct json_object *o = gen_ck_item(ck, K_PRIN, i), *fl;
		const char *t = gen_ck_str(o, "principal_type");

		if (t == NULL || strcmp(t, "user") != 0 || gen_ck_bool(o, "builtin"))
			continue;
		people++;
		disabled += !gen_ck_bool(o, "enabled");
		fl = ck_get(o, "flags", json_type_object);
		asrep += fl != NULL && gen_ck_bool(fl, "dont_req_preauth");
	}
	if (par == NULL) {
		gen_ck_fail(ck, NULL, "parameters missing");
		return;
	}
	if (!ck_int(par, "num_users", &want) || (size_t)want != people)
		gen_ck_fail(ck, NULL, "%zu people (non-builtin users) but num_users is %lld", people,
		    (long long)want);
	if (!ck_int(par, "num_hosts", &want) ||
	    (size_t)want != json_object_array_length(ck->arr[K_HOST]))
		gen_ck_fail(ck, NULL, "%zu hosts but num_hosts is %lld",
		    json_object_array_length(ck->arr[K_HOST]), (long long)want);
	doms = ck_get(par, "domains", json_type_array);
	nd = doms ? json_object_array_length(doms) : 0;
	for (i = 0; i < nd; i++) {
		const char *fq = json_object_get_string(json_object_array_get_idx(doms, i));

		if (fq == NULL || strmap_get(&ck->fqdns, fq, strlen(fq)) == NULL)
			gen_ck_fail(ck, NULL, "requested domain %s is missing", fq ? fq : "null");
	}
	if (people >= 20 && (disabled * 100 < people * 5 || disabled * 100 > people * 15))
		gen_ck_fail(ck, NULL, "disabled accounts are %zu of %zu people, outside 5-15 %%",
		    disabled, people);
	if (people >= 100 && (asrep * 100 < people * 2 || asrep * 100 > people * 5))
		gen_ck_fail(ck, NULL, "AS-REP roastable users are %zu of %zu, outside 2-5 %%", asrep,
		    people);
	if ((st = ck_get(ck->doc, "stats", json_type_object)) == NULL) {
		gen_ck_fail(ck, NULL, "stats missing");
		return;
	}
	if (!ck_int(st, "total_hosts", &want) || (size_t)want != json_object_array_length(ck->arr[K_HOST]))
		gen_ck_fail(ck, NULL, "stats.total_hosts disagrees with the hosts");
	if (!ck_int(st, "total_principals", &want) || (size_t)want != n)
		gen_ck_fail(ck, NULL, "stats.total_principals disagrees with the principals");
	if (!ck_int(st, "total_edges", &want) ||
	    (size_t)want != json_object_array_length(ck->arr[K_EDGE]))
		gen_ck_fail(ck, NULL, "stats.total_edges disagrees with the edges");
}

size_t gen_check_document(struct json_object *doc,
    void (*report)(void *ctx, const char *id, const char *msg), void *ctx)
{
	struct gen_checker ck;
	struct arena a = { NULL, 0 };
	int k, missing = 0;

	memset(&ck, 0, sizeof(ck));
	ck.doc = doc;
	ck.report = report;
	ck.ctx = ctx;
	if (!json_object_is_type(doc, json_type_object)) {
		gen_ck_fail(&ck, NULL, "the document is not a JSON object");
		return ck.violations;
	}
	for (k = 0; k < K_COUNT; k++) {
		if (arrays[k] == NULL)
			continue;
		if ((ck.arr[k] = ck_get(doc, arrays[k], json_type_array)) == NULL) {
			gen_ck_fail(&ck, NULL, "%s missing or not an array", arrays[k]);
			missing = 1;
		}
	}
	if (gen_ck_str(doc, "schema_version") == NULL || gen_ck_str(doc, "generator_version") == NULL)
		gen_ck_fail(&ck, NULL, "schema_version or generator_version missing");
	if (missing || strmap_init(&ck.ids, 1024) != WS_OK || strmap_init(&ck.fqdns, 32) != WS_OK)
		goto out;
	collect_ids(&ck);
	check_principals(&ck, &a);
	check_hosts(&ck, &a);
	check_rest(&ck);
	check_counts(&ck);
	gen_check_managers(&ck);
	gen_check_network(&ck);
	gen_check_paths(&ck);
out:
	strmap_free(&ck.ids);
	strmap_free(&ck.fqdns);
	free(ck.da);
	arena_free(&a);
	return ck.violations;
}
