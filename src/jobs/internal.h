/* Shared by the jobs module's files only. */
#ifndef WORLDS_JOBS_INTERNAL_H
#define WORLDS_JOBS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "jobs/jobs.h"
#include "util/util.h"

struct conf;
struct gen_world;

/* ---- the jobs table (queue.c: its only writer) ------------------------------------------ */

/* A job this generator claimed: its id, kind and stored parameters (free params). */
struct jobs_claimed {
	char id[37];
	enum jobs_kind kind;
	char *params;
};
/*
 * Claims job_id, or the oldest queued job when it is NULL, for runner, taking its job
 * lock. WS_OK, WS_ENOTFOUND (nothing to claim), WS_EDB, WS_ENOMEM.
 */
int jobs_claim(struct db *db, const char *job_id, const char *runner, struct jobs_claimed *out);
/* Progress (never backwards); *cancel when a cancel was asked. WS_ENOTFOUND when the job
 * is not running any more (nothing left for us to do), WS_EDB. */
int jobs_progress(struct db *db, const char *id, double progress, int *cancel);
/* *yes when a cancel was asked (a read, cheaper than a progress write). */
int jobs_cancel_asked(struct db *db, const char *id, int *yes);
/* Our running job to failed (with error) or cancelled (error NULL). */
int jobs_finish(struct db *db, const char *id, enum jobs_status status, const char *error);
/*
 * Inside the caller's completion transaction, the job's last move: with
 * JOBS_COMPLETE_OR_NOTHING completed unless a cancel was asked (then WS_ECANCEL and the
 * caller rolls back); with JOBS_COMPLETE_OR_CANCELLED completed, or cancelled keeping what
 * was stored when a cancel was asked (the result then says cancelled: true). WS_ECANCEL
 * too when the job is no longer ours.
 */
enum jobs_completion { JOBS_COMPLETE_OR_NOTHING, JOBS_COMPLETE_OR_CANCELLED };
int jobs_complete(struct db *db, const char *id, const char *resource_id, const char *result,
    enum jobs_completion how);

/* What one reap pass did. */
struct jobs_reaped {
	int requeued;
	int failed;
	int cancelled;
};
/*
 * Finds running jobs whose job lock is held by nobody and requeues them (or fails them
 * after max_attempts claims, or cancels them when a cancel was asked). Safe to run from
 * any number of hosts at once. Logs one line per job it moves. WS_OK or WS_EDB.
 */
int jobs_reap(struct db *db, int max_attempts, struct jobs_reaped *out);
/* The ids of the oldest queued jobs not cancelled (at most limit), or NULL. */
PGresult *jobs_oldest_queued(struct db *db, int limit);
/* This host's free slots as its running jobs say (a cheap first look, see queue.c). */
int jobs_running_here(struct db *db, const char *host, int max_generators, long *free_slots);

/* ---- generators -------------------------------------------------------------------------- */

/*
 * The two kinds of advisory locks, spelled once. A slot is the two-key lock
 * (hash of "worlds-slot:" + host, k) for k in 0..max_generators-1: a generator holds one
 * for its whole life, so the number of slot locks held is the number of generators on
 * that host, exactly, whoever started them. A job lock is the one-key lock on the hash of
 * "worlds-job:" + id, held by the generator running the job: if nobody holds it, nobody
 * runs the job. Both are session locks, so they vanish with the process or connection.
 * The start gate is the slot class with key JOBS_GATE_KEY (above every slot number, so it
 * is never counted as one): whoever starts a generator on a host holds it from counting
 * the free slots until that generator has taken its slot, so starts never race each
 * other past the cap.
 */
#define JOBS_SLOT_CLASS(host_param) "hashtext('worlds-slot:' || " host_param "::text)"
#define JOBS_GATE_KEY "-1"
#define JOBS_JOB_KEY(id_param) "hashtextextended('worlds-job:' || " id_param "::text, 0)"

#define JOBS_RUNNER_MAX (JOBS_HOST_MAX + 24)

/* Free slots on host (max - slot locks held), exactly; -1 when the database cannot say. */
int jobs_free_slots(struct db *db, const char *host, int max_generators);
/* jobs_spawn when a first look at the free slots was already taken (-1: none). */
int jobs_spawn_free(const struct conf *c, struct db *db, const char *job_id, long free_slots);

/*
 * Forks the detached generator for job_id (already known to be worth starting); reaps the
 * intermediate child before returning, and waits (until ready_by, a time_mono_ms() time)
 * for the generator to have taken or missed its slot, so that a caller holding the start
 * gate counts it. WS_OK once the exec succeeded, WS_EIO otherwise (err says why).
 */
int jobs_detach(const struct conf *c, const char *job_id, int64_t ready_by, char *err,
    size_t errlen);

/*
 * The environment variable naming the descriptor the generator closes once it has tried
 * for its slot (the spawner's readiness signal). Not a config key: never in worlds.conf.
 */
#define JOBS_READY_ENV "WORLDS_GEN_READY_FD"
#define JOBS_READY_MS 3000
/* All the starts of one tick together: the master must stay quick to answer signals. */
#define JOBS_TICK_READY_MS 1000

/*
 * Takes (waiting, or trying only) or releases the start gate of host on db's session.
 * WS_OK when done, WS_EAGAIN when JOBS_GATE_TRY found it taken, WS_EDB on trouble.
 */
enum jobs_gate_op { JOBS_GATE_RELEASE, JOBS_GATE_WAIT, JOBS_GATE_TRY };
int jobs_gate(struct db *db, const char *host, enum jobs_gate_op op);

/*
 * Starts generators for the oldest queued jobs, one per free slot of host. Returns how
 * many were started, -1 on a failure (logged).
 */
int jobs_start_queued(const struct conf *c, struct db *db, const char *host);

/*
 * A claimed trajectory_generation job whose stored params are params_json (run_traj.c):
 * rebuilds the manifest's world from its own job's parameters (same generator version),
 * samples, and in one transaction stores the trajectories and moves the job to completed,
 * or to cancelled when a cancel was asked (the trajectories finished by then are kept and
 * the result says so). progress(ctx, fraction) is called after each trajectory; it returns
 * 0 to go on, 1 when a cancel was asked, 2 when the job is no longer ours (nothing
 * stored). WS_OK when the job reached its terminal state here; otherwise the caller fails
 * it with err (WS_EINVAL, WS_ENOMEM, WS_EDB) or leaves it to the reaper (WS_ECANCEL: lost).
 */
int jobs_run_traj(struct db *db, const char *job_id, const char *params_json,
    int (*progress)(void *ctx, double fraction), void *ctx, char *err, size_t errlen);

/* ---- the completion transaction of a manifest job (store.c, graph.c, copy.c) ------------- */

/* The cancel watcher of a store (watch.c): it starts after JOBS_WATCH_AFTER_MS, then
 * listens for notifications, reads the job's row every JOBS_WATCH_READ_MS besides, and
 * interrupts every JOBS_WATCH_MS once it has seen a cancel; it waits in steps of
 * JOBS_WATCH_NAP_MS so that stopping it is quick. */
#define JOBS_WATCH_AFTER_MS 200
#define JOBS_WATCH_MS 100
#define JOBS_WATCH_READ_MS 500
#define JOBS_WATCH_NAP_MS 10
struct jobs_watch {
	pthread_t thread;
	int started;
	struct db *db;            /* its own connection */
	PGcancel *cancel;         /* the store connection's */
	const char *job_id;
	void (*on_cancel)(void *ctx); /* called once, from the watcher's thread */
	void *ctx;
	atomic_int stop;
	atomic_int seen;          /* a cancel was asked */
};
/*
 * Starts watching job_id on own (opened by the watcher when it first looks) for the
 * statements store runs; WS_OK, or an error (then nothing runs: the store's conditional
 * last update still honours a cancel, only later).
 */
int jobs_watch_start(struct jobs_watch *w, struct db *own, struct db *store,
    const char *job_id, void (*on_cancel)(void *ctx), void *ctx);
/* 1 once a cancel was seen (0 for a watcher that did not start). */
int jobs_watch_seen(struct jobs_watch *w);
/* Stops and joins the watcher (a no-op when it did not start). */
void jobs_watch_stop(struct jobs_watch *w);

/* The completion transaction's inputs. */
struct jobs_done {
	const char *job_id;
	const char *runner;
	const char *document;     /* the canonical document bytes */
	size_t size;
	char sha256[65];
	/* when not NULL: starts writing the document (meanwhile, in another thread); the store
	 * calls it once, when that competes least with its own work */
	void (*document_start)(void *ctx);
	/* when not NULL: fills document, size and sha256 (the document is being written
	 * meanwhile); WS_OK or the writer's error */
	int (*document_ready)(void *ctx, struct jobs_done *d);
	const struct gen_world *world;
	/* a second connection for the store's cancel watcher (opened when first needed,
	 * kept by the caller for its next jobs) */
	struct db *watch_db;
	/* called from the watcher's thread when it sees a cancel (stops the document) */
	void (*on_cancel)(void *ctx);
	void *ctx;
	int verbose; /* log each step's duration (log_level = debug) */
	struct jobs_watch *watch; /* set by the store while its watcher runs */
};

/*
 * Stores the manifest, its document, its graph rows and marks the job completed, all in
 * one transaction (d->document_ready, when set, is called once the rows are copied).
 * WS_ECANCEL when the job was cancelled meanwhile (nothing kept), WS_EDB with db->err on
 * a database failure (nothing kept).
 */
int jobs_store(struct db *db, struct jobs_done *d);

/*
 * Where one world's graph rows go (sql/012_own_tables.sql): the shared tables, or tables of
 * its own made for it in the completion transaction; name[] in the order the rows are
 * copied (nodes, edges, hosts, principals, credentials, artifacts).
 */
#define JOBS_GRAPH_TABLES 6
struct jobs_graph {
	int own;
	char name[JOBS_GRAPH_TABLES][128];
};

/* How many rows w puts in each graph table, in name[] order. */
void jobs_graph_rows(const struct gen_world *w, size_t rows[JOBS_GRAPH_TABLES]);
/* BEGIN, then where w's rows go (worlds.own_tables_rows); own tables are created empty. */
int jobs_graph_begin(struct db *db, const struct gen_world *w, const char *mid,
    struct jobs_graph *g);
/* The rows, COPYed table by table with looks for a cancel (WS_ECANCEL). */
int jobs_graph_copy(struct db *db, const struct jobs_done *d, const char *mid,
    const struct jobs_graph *g);
/* Own tables: their indexes, then the attach; nothing for the shared ones. */
int jobs_graph_close(struct db *db, const struct jobs_done *d, const char *mid,
    const struct jobs_graph *g);

/* One field of a binary-format COPY row: its length (big-endian int32), then its bytes;
 * NULL is the length -1. */
void jobs_copy_field(struct wbuf *b, const char *s, size_t n);

/*
 * One COPY ... FROM STDIN in progress: rows are buffered and handed over in large pieces.
 * Between two pieces *stop is looked at (the watcher's flag, when one runs): once set,
 * the rows stop and the COPY ends; the watcher has interrupted it already.
 */
struct jobs_copy {
	struct db *db;
	struct wbuf b;
	const char *mid; /* the manifest id every row starts with */
	unsigned char uuid[16]; /* the same, binary */
	size_t row_at;   /* where the current row's field count goes */
	unsigned fields; /* fields of the current row so far */
	atomic_int *stop; /* NULL: nothing to look at */
	int failed;
};

int jobs_copy_begin(struct jobs_copy *c, struct db *db, const char *mid, const char *sql);
/* A row starts with manifest_id, pos and (when type_pos >= 0) type_pos; the COPY
 * statement must say WITH (FORMAT binary). */
void jobs_copy_row(struct jobs_copy *c, size_t pos, long type_pos);
void jobs_copy_str(struct jobs_copy *c, const char *s);
void jobs_copy_json(struct jobs_copy *c, struct wbuf *json);
void jobs_copy_row_end(struct jobs_copy *c);
/* Ends the COPY; WS_EDB with db->err when any row or the server refused. */
int jobs_copy_end(struct jobs_copy *c);

#endif
