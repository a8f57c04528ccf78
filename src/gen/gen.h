/*
 * gen: the deterministic world generator. Parameters (validated by the same rules as the
 * API's CreateWorldManifestRequest), the in-memory world, the canonical document writer,
 * row accessors for the job runner's inspection tables, and `worldsctl check`.
 *
 * Same parameters + seed + gen_version() => byte-identical document on any machine.
 */
#ifndef WORLDS_GEN_H
#define WORLDS_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

struct json_object;

/* ---- parameters ------------------------------------------------------------------------ */

#define GEN_MAX_USERS 50000
#define GEN_MAX_HOSTS 10000
#define GEN_MAX_DOMAINS 16
#define GEN_DOMAIN_MAX 254     /* 253 characters + NUL */
#define GEN_NAME_MAX 804       /* 200 characters of up to 4 UTF-8 bytes + NUL */

/*
 * One row per request field: name, kind, bounds and the worlds-gen flag. Drives the API
 * validation and the CLI flags alike. Rows are in the model's field order (alphabetical),
 * which is the order errors are reported in.
 */
#define GEN_FIELDS(X)                                                       \
	X(domains,    GEN_F_DOMAINS, 1, GEN_MAX_DOMAINS, "--domain")        \
	X(name,       GEN_F_NAME,    1, 200,             "--name")          \
	X(num_hosts,  GEN_F_INT,     1, GEN_MAX_HOSTS,   "--hosts")         \
	X(num_users,  GEN_F_INT,     1, GEN_MAX_USERS,   "--users")         \
	X(preset,     GEN_F_PRESET,  0, 0,               "--preset")        \
	X(project_id, GEN_F_UUID4,   0, 0,               "--project-id")    \
	X(seed,       GEN_F_INT64,   0, 0,               "--seed")

enum gen_field_kind { GEN_F_NAME, GEN_F_UUID4, GEN_F_PRESET, GEN_F_INT64, GEN_F_INT, GEN_F_DOMAINS };

struct gen_params {
	char preset[16];           /* small|medium|large|enterprise; "" = not given */
	int64_t seed;
	int seed_set;              /* 0: gen_params_resolve draws one and sets this */
	int num_users;             /* 0 = not given (the preset's) */
	int num_hosts;             /* 0 = not given (the preset's) */
	int ndomains;              /* 0 = not given (the preset's) */
	char domains[GEN_MAX_DOMAINS][GEN_DOMAIN_MAX]; /* lower-case, validated */
	char name[GEN_NAME_MAX];   /* trimmed display name; "" = absent; not in the document */
	char project_id[37];       /* lower-case UUID v4; "" = absent; not in the document */
};

/* Everything absent (an empty request). */
void gen_params_defaults(struct gen_params *p);
/*
 * Fills what the request left out: the preset (inferred from the counts when only counts
 * are given, else small), its counts and domains, and a seed when none was set (drawn from
 * the OS, within +-2^53 so that JSON clients keep it exactly). Counts taken from a preset
 * are raised to the number of domains (every domain needs a user and a DC). WS_EINVAL when
 * explicit values contradict each other (fewer hosts or users than domains).
 */
int gen_params_resolve(struct gen_params *p);
/*
 * Validates a CreateWorldManifestRequest body (every rule of api.md; null = absent) into
 * out, adding one pydantic-style error per failing field to errs (loc ["body", field, ...]).
 * WS_OK, or WS_EINVAL when errs holds at least one error. body must be an object
 * (otherwise one model_type error at ["body"]).
 */
int gen_params_from_json(struct json_object *body, struct gen_params *out, struct verrs *errs);
/* The CLI flag spelling of a request field ("num_users" -> "--users"), or the name itself. */
const char *gen_field_flag(const char *field);

/* ---- the world -------------------------------------------------------------------------- */

struct gen_world;

/*
 * Builds the world for resolved parameters (call gen_params_resolve first; unresolved
 * parameters give WS_EINVAL). progress, when not NULL, is called with the fraction done
 * at least every ~50 ms of work; a non-zero return cancels: the result is WS_ECANCEL and
 * nothing is allocated. On success *out is the world (free with gen_world_free).
 */
int gen_world_build(const struct gen_params *p, struct gen_world **out,
    int (*progress)(void *ctx, double fraction), void *ctx);
/* Writes the canonical document through w (set a sink on w to stream it). WS_OK or jw's error. */
int gen_world_write(const struct gen_world *w, struct jw *out);
void gen_world_free(struct gen_world *w);
/* The generator_version recorded in every document; bumped whenever the output changes. */
const char *gen_version(void);
/* The schema_version recorded in every document (docs/manifest.schema.json). */
const char *gen_schema_version(void);

/* The document's stats object (also the manifest record's stats), written as one value. */
void gen_world_stats(const struct gen_world *w, struct jw *out);
/* The resolved parameters the world was built from. */
const struct gen_params *gen_world_params(const struct gen_world *w);

/* ---- rows for the inspection routes -------------------------------------------------------
 * Each accessor fills a row whose strings point into the world (valid until
 * gen_world_free) or into a scratch area inside the row. When row->json is not NULL it is
 * reset and receives the element's JSON text (one value, canonical, compact).
 */

/* Graph nodes: domains, OUs, GPOs, subnets, principals, hosts; ids are the document's. */
struct gen_node_row {
	const char *id;
	const char *node_type;  /* domain|ou|gpo|subnet|user|service_account|computer|group|host */
	const char *label;
	const char *domain;     /* fqdn, or "" for subnets */
	struct wbuf *json;      /* in: where to write {"data":{"id","node_type","label","properties"}} */
	char scratch[320];
};
/*
 * The counts behind the inspection overview, as one object: "nodes", "edges",
 * "nodes_by_type", "edges_by_type", "domains" (one object per domain holding nodes, in
 * domain order: "domain", "nodes", "edges" (by the domain of their source),
 * "nodes_by_type", "edges_by_type") and "subnets" (in node order: "id", "cidr",
 * "properties", "hosts" (its Contains edges to hosts), "hosts_by_role"). Zero counts are
 * left out of the *_by_* objects. WS_OK or WS_ENOMEM.
 */
int gen_world_overview(const struct gen_world *w, struct jw *out);
size_t gen_world_node_count(const struct gen_world *w);
void gen_world_node(const struct gen_world *w, size_t i, struct gen_node_row *row);

/* Graph edges, in document order; ids are the document's edge_id. */
struct gen_edge_row {
	const char *id;
	const char *source;
	const char *target;
	const char *edge_type;
	const char *severity;   /* info|low|medium|high|critical */
	struct wbuf *json;      /* in: where to write {"data":{"id","source","target","edge_type","severity"}} */
	char scratch[48];
};
size_t gen_world_edge_count(const struct gen_world *w);
void gen_world_edge(const struct gen_world *w, size_t i, struct gen_edge_row *row);

/* Hosts, in document order; json is the host object exactly as in the document. */
struct gen_host_row {
	const char *id;
	const char *hostname;
	const char *fqdn;
	const char *domain;
	const char *ip;
	const char *role;
	struct wbuf *json;
	char scratch[320];
};
size_t gen_world_host_count(const struct gen_world *w);
void gen_world_host(const struct gen_world *w, size_t i, struct gen_host_row *row);

/* Principals, in document order; json is the principal object exactly as in the document. */
struct gen_principal_row {
	const char *id;
	const char *principal_type; /* user|service_account|computer|group */
	const char *sam;
	const char *upn;            /* NULL for groups */
	const char *display_name;
	const char *email;          /* NULL when the principal has none */
	const char *domain;
	struct wbuf *json;
	char scratch[1024];
};
size_t gen_world_principal_count(const struct gen_world *w);
void gen_world_principal(const struct gen_world *w, size_t i, struct gen_principal_row *row);

/* Credentials and artifacts (for the details routes); json as in the document. */
struct gen_cred_row {
	const char *id;
	const char *principal_id;
	const char *host_id;        /* where it is found, or NULL (directory-wide) */
	struct wbuf *json;
	char scratch[64];
};
size_t gen_world_cred_count(const struct gen_world *w);
void gen_world_cred(const struct gen_world *w, size_t i, struct gen_cred_row *row);

struct gen_artifact_row {
	const char *id;
	const char *host_id;
	struct wbuf *json;
	char scratch[64];
};
size_t gen_world_artifact_count(const struct gen_world *w);
void gen_world_artifact(const struct gen_world *w, size_t i, struct gen_artifact_row *row);

/* ---- worldsctl ----------------------------------------------------------------------------- */

/* worldsctl subcommands this module owns: "check FILE|-". */
extern const struct wcmd gen_ctl_cmds[];

/*
 * Proves the invariants of world-model.md on a parsed document; every violation is
 * reported through report(ctx, entity_id, message). Returns the number of violations.
 */
size_t gen_check_document(struct json_object *doc,
    void (*report)(void *ctx, const char *id, const char *msg), void *ctx);

#endif
