/*
 * gen internals: shared by the src/gen sources only (other modules use gen.h and the
 * published view, gen/world.h). The world is kept
 * as compact arrays of small structs; strings that can be derived (UPN, DN, SID, e-mail)
 * are formatted when written, which keeps a 50k-user world far below 128 MB.
 */
#ifndef WORLDS_GEN_INTERNAL_H
#define WORLDS_GEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gen/gen.h"
#include "gen/world.h"

/* ---- arena and string map --------------------------------------------------------------- */

struct arena_blk;
struct arena {
	struct arena_blk *blk;
	int err;
};

void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* Open-addressing map from a caller-owned string to a value; iteration order is never used. */
struct strmap_ent {
	const char *key;
	uint32_t klen;
	uint32_t val;
	uint64_t hash;
};
struct strmap {
	struct strmap_ent *e;
	size_t cap;
	size_t n;
};

int strmap_init(struct strmap *m, size_t expect);
void strmap_free(struct strmap *m);
/* Pointer to the value for key, or NULL. */
uint32_t *strmap_get(const struct strmap *m, const char *key, size_t klen);
/* Inserts key (kept by pointer); 1 if it was new, 0 if present (value untouched), <0 on ENOMEM. */
int strmap_put(struct strmap *m, const char *key, size_t klen, uint32_t val);

/* Growable array of fixed-size items. */
struct vec {
	void *p;
	size_t n;
	size_t cap;
	size_t size;
};
void vec_init(struct vec *v, size_t size);
void *vec_push(struct vec *v);
void vec_free(struct vec *v);

/* ---- presets (params.c) ----------------------------------------------------------------- */

struct gen_preset {
	const char *name;
	int users, hosts;
	int ndomains;
	const char *domains[3];
	int subnets[5];              /* minimum /24s per zone: dmz, server, workstation, mgmt, restricted */
	int departments;
	int dcs;
	int sites;
};
const struct gen_preset *gen_preset_find(const char *name);

/* ---- the world -------------------------------------------------------------------------- */

struct gen_world {
	struct gen_view view;       /* what readers see (gen_world_view), set when built */
	struct gen_params p;        /* resolved */
	const struct gen_preset *preset;
	struct arena arena;
	char network_id[24];
	int ndomains, ntrusts, nous, ngpos, nsites, nsubnets;
	struct gen_domain dom[GEN_MAX_DOMAINS];
	struct gen_trust trusts[GEN_MAX_DOMAINS * 2];
	struct vec ous;             /* struct gen_ou */
	struct vec gpos;            /* struct gen_gpo */
	struct gen_site sites[8];
	struct vec subnets;         /* struct gen_subnet */
	struct vec prin;            /* struct gen_principal */
	struct vec hosts;           /* struct gen_host */
	struct vec services;        /* struct gen_service */
	struct vec vulns;           /* uint16_t vuln def indices */
	struct vec hadmins;         /* int32_t principal indices */
	struct vec members;         /* int32_t principal indices */
	struct vec creds;           /* struct gen_cred */
	struct vec arts;            /* struct gen_artifact */
	struct vec artcreds;        /* int32_t credential indices */
	struct vec edges;           /* struct gen_edge */
	struct vec paths;           /* struct gen_path */
	struct vec pathedges;       /* uint32_t edge indices */
	struct vec memb;            /* build scratch: struct gen_memb (member, group) */
	struct vec sessions;        /* struct gen_memb (user, host), in host order */
	struct vec acl;             /* struct gen_edge: rights and misconfigurations */
	uint32_t npeople;           /* principals [0, npeople) are the people, in user-id order */
	uint32_t nsvc, ncomputers, ngroups, nbuiltin_users;
	int (*progress)(void *, double);
	void *progress_ctx;
	int64_t last_progress_ms;
	char scratch_err[128];
};

struct gen_memb {
	int32_t member, group;
};

#define PRIN(w, i) (&((struct gen_principal *)(w)->prin.p)[i])
#define HOST(w, i) (&((struct gen_host *)(w)->hosts.p)[i])
#define OU(w, i) (&((struct gen_ou *)(w)->ous.p)[i])
#define GPO(w, i) (&((struct gen_gpo *)(w)->gpos.p)[i])
#define SUBNET(w, i) (&((struct gen_subnet *)(w)->subnets.p)[i])
#define EDGE(w, i) (&((struct gen_edge *)(w)->edges.p)[i])
#define CRED(w, i) (&((struct gen_cred *)(w)->creds.p)[i])
#define ART(w, i) (&((struct gen_artifact *)(w)->arts.p)[i])
#define SERVICE(w, i) (&((struct gen_service *)(w)->services.p)[i])
#define I32(v, i) (((int32_t *)(v)->p)[i])

/* Allowed flows between zones (graph.c); from -1 is the internet. */
struct gen_flow {
	int from, to;
	const char *ports;          /* comma-separated */
};
extern const struct gen_flow gen_flows[];
extern const size_t gen_n_flows;

/* Build phases (build_*.c), each WS_OK / WS_ENOMEM / WS_ECANCEL. */
int gen_tick(struct gen_world *w, double fraction);
int gen_build_domains(struct gen_world *w);
int gen_build_people(struct gen_world *w);
int gen_build_groups(struct gen_world *w);
int gen_build_network(struct gen_world *w);
int gen_build_hosts(struct gen_world *w);
int gen_build_access(struct gen_world *w);
int gen_build_edges(struct gen_world *w);
int gen_build_paths(struct gen_world *w);
int gen_add_edge(struct gen_world *w, uint32_t src, uint32_t dst, int type);
int gen_add_memb(struct gen_world *w, int32_t member, int32_t group);
int32_t gen_add_principal(struct gen_world *w, int type, int domain);

/* DNS name check shared by validation and the checker: NULL when valid, else why not. */
const char *gen_dns_name_error(const char *s, size_t n);

/* ---- the checker (check.c, check_graph.c) ----------------------------------------------- */

enum gen_ck_kind { K_DOMAIN, K_SITE, K_SUBNET, K_OU, K_GPO, K_PRIN, K_HOST, K_SERVICE, K_CRED,
	K_ART, K_EDGE, K_PATH, K_COUNT };

struct gen_checker {
	struct json_object *doc;
	struct json_object *arr[K_COUNT];   /* the document's arrays (services: NULL) */
	void (*report)(void *ctx, const char *id, const char *msg);
	void *ctx;
	size_t violations;
	struct strmap ids;                  /* id -> kind << 24 | index */
	struct strmap fqdns;                /* fqdn -> domain index */
	int32_t *da;                        /* per domain: principal index of Domain Admins */
};

void gen_ck_fail(struct gen_checker *ck, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *gen_ck_str(struct json_object *o, const char *key);
int gen_ck_bool(struct json_object *o, const char *key);
/* Kind and index of an id, or -1 when the document has no such entity. */
int gen_ck_lookup(const struct gen_checker *ck, const char *id, size_t *index);
struct json_object *gen_ck_item(const struct gen_checker *ck, int kind, size_t i);
void gen_check_managers(struct gen_checker *ck);
void gen_check_paths(struct gen_checker *ck);
void gen_check_network(struct gen_checker *ck);

#endif
