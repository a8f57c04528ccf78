/*
 * traj: deterministic attack-path sampling over a finished world. A trajectory starts from
 * the world's recorded foothold (the first node of its first attack path) and applies
 * commands of the attack vocabulary (src/attack) until the goal is controlled, the goal is
 * out of reach, no command applies, or max_steps is reached.
 *
 * The attacker's state is the set of nodes it controls (principals, computers, groups
 * whose rights it inherits, OUs and domains whose objects it owns), the hashes it holds
 * and the enumeration it has done. MemberOf and Contains are inherited at no step; every
 * other edge type with a command in the mode is walked by one command from a controlled
 * source. Same world + parameters + seed => identical bytes; trajectory i draws from its
 * own PRNG stream (seed, "trajectory/i"), so a batch's members never depend on each other.
 */
#ifndef WORLDS_TRAJ_H
#define WORLDS_TRAJ_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/util.h"

struct gen_world;
struct json_object;

#define TRAJ_GOAL_MAX 256
#define TRAJ_MAX_COUNT 100
#define TRAJ_MAX_STEPS 1000
#define TRAJ_MAX_THREADS 16
/* With only_successful, at most this many attempts per requested trajectory. */
#define TRAJ_TRIES_PER_SUCCESS 10

#define TRAJ_STRATEGIES(X) \
	X(RANDOM, "random") X(GREEDY, "greedy") X(RECON_FIRST, "recon-first") \
	X(SMART_RANDOM, "smart-random")
#define TRAJ_S_ENUM(k, s) TRAJ_##k,
enum traj_strategy { TRAJ_STRATEGIES(TRAJ_S_ENUM) TRAJ_STRATEGY_COUNT };
#undef TRAJ_S_ENUM

struct traj_params {
	char goal[TRAJ_GOAL_MAX];   /* group name (sam, case-insensitive) or principal/host id */
	int count;                  /* 1..100 */
	int strategy;               /* enum traj_strategy */
	int max_steps;              /* 1..1000 */
	int64_t seed;
	int threads;                /* accepted 1..16; sampling is sequential (output order fixed) */
	int only_successful;
	int mode;                   /* enum attack_mode */
};

/* Defaults of api.md: "Domain Admins", count 1, random, 100 steps, seed 42, kali. */
void traj_params_defaults(struct traj_params *p);
const char *traj_strategy_name(int s);
/* The strategy named s, or -1. */
int traj_strategy_find(const char *s);

/*
 * Validates the sampling fields of a POST /trajectories body (count, goal, max_steps, mode,
 * only_successful, seed, strategy, threads; null = absent) into p (defaults first), one
 * error per failing field into errs, loc ["body", field]; mode "agent" is refused with a
 * message saying no agent runtime exists here. Other keys are the caller's. WS_OK or
 * WS_EINVAL.
 */
int traj_params_from_json(struct json_object *body, struct traj_params *p, struct verrs *errs);
/* 1 when name is one of those fields. */
int traj_field_known(const char *name);
/* The fields as "key": value members of an open object (the job's stored params). */
void traj_params_write(const struct traj_params *p, struct jw *out);

/* ---- the graph index over a world --------------------------------------------------------- */

struct traj_graph;

/* Indexes w (which must outlive the graph) for sampling toward p->goal in p->mode. */
int traj_graph_build(const struct gen_world *w, const struct traj_params *p,
    struct traj_graph **out, char *err, size_t errlen);
void traj_graph_free(struct traj_graph *g);
/* Id of the foothold node, and the length (edges) of the world's first attack path. */
const char *traj_graph_foothold(const struct traj_graph *g);
size_t traj_graph_path_length(const struct traj_graph *g);

/* ---- sampling ------------------------------------------------------------------------------ */

struct traj_result {
	int sequence_index;
	int success;
	const char *termination_reason; /* goal_reached|goal_unreachable|max_steps|no_applicable_commands */
	int step_count;
	struct wbuf steps;               /* the steps, one JSON array */
};

void traj_result_init(struct traj_result *r);
void traj_result_free(struct traj_result *r);
/* Samples trajectory number index (its own PRNG stream) into r (reset first). */
int traj_sample(const struct traj_graph *g, const struct traj_params *p, int index,
    struct traj_result *r);
/*
 * Writes one trajectory object: sequence_index, goal, strategy, mode, seed, foothold,
 * success, termination_reason, step_count, steps.
 */
void traj_result_write(const struct traj_graph *g, const struct traj_params *p,
    const struct traj_result *r, struct jw *out);
/*
 * The batch: samples index 0, 1, ... and calls emit for each kept trajectory (all of them,
 * or with only_successful the successful ones) until p->count are kept or the tries run
 * out (count * TRAJ_TRIES_PER_SUCCESS). emit may return non-zero to stop (cancel): the
 * result is then WS_ECANCEL. *tried gets the number sampled, *kept the number emitted.
 */
int traj_batch(const struct traj_graph *g, const struct traj_params *p,
    int (*emit)(void *ctx, const struct traj_result *r), void *ctx, int *tried, int *kept);

/* ---- the replay checker -------------------------------------------------------------------- */

/*
 * Replays a trajectory object (as traj_result_write prints it) against the graph: every
 * step's command must exist in the mode and its precondition hold in the state before it
 * (a controlled actor, an edge of a type the command walks, a flag the command needs), and
 * success must mean the goal is controlled. Each violation goes to report(ctx, step, msg);
 * returns how many there were.
 */
size_t traj_check(const struct traj_graph *g, struct json_object *traj,
    void (*report)(void *ctx, int step, const char *msg), void *ctx);

/*
 * Replays every trajectory of doc against the world w: doc is worlds-gen trajectories'
 * output ({"trajectories": [...]}), one stored record (GET /trajectories/{id}) or an
 * array of records. Each trajectory is checked toward its own goal and in its own mode
 * (those of defaults when it records none). Each violation goes to report(ctx, i, step,
 * msg), i counting the trajectories from 0; *ntraj and *nsteps get what was replayed.
 * Returns the number of violations (a document of another shape is one).
 */
size_t traj_check_document(const struct gen_world *w, const struct traj_params *defaults,
    struct json_object *doc, void (*report)(void *ctx, int i, int step, const char *msg),
    void *ctx, size_t *ntraj, size_t *nsteps);

/* ---- storing (the trajectories table's one writer) ------------------------------------------ */

/* One trajectory of a batch, as the job keeps it until the batch is stored. */
struct traj_kept {
	char id[37];
	int index, success, steps;
	const char *reason;
	char *steps_json;   /* the steps array, owned */
};

/*
 * Inside the caller's transaction: inserts the n kept trajectories of job job_id (its
 * tenancy, manifest, name and sampling parameters are read from the job's row) under
 * batch_id, with the foothold they started from and the seed. WS_OK or WS_EDB (db->err).
 */
int traj_store(struct db *db, const char *job_id, const char *batch_id,
    const struct traj_kept *k, int n, const char *foothold, int64_t seed);

#endif
