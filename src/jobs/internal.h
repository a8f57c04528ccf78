/* Shared by the jobs module's files only. */
#ifndef WORLDS_JOBS_INTERNAL_H
#define WORLDS_JOBS_INTERNAL_H

#include <stddef.h>

#include <libpq-fe.h>

#include "jobs/jobs.h"
#include "util/util.h"

struct conf;
struct gen_world;

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
int jobs_free_slots(PGconn *db, const char *host, int max_generators);

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
int jobs_gate(PGconn *db, const char *host, enum jobs_gate_op op);

/*
 * Starts generators for the oldest queued jobs, one per free slot of host. Returns how
 * many were started, -1 on a failure (logged).
 */
int jobs_start_queued(const struct conf *c, PGconn *db, const char *host);

/* What one reap pass did. */
struct jobs_reaped {
	int requeued;
	int failed;
	int cancelled;
};

/*
 * Finds running jobs whose job lock is held by nobody and requeues them (or fails them
 * after max_attempts claims, or cancels them when a cancel was asked). Safe to run from
 * any number of hosts at once. Logs one line per job it moves.
 */
int jobs_reap(PGconn *db, int max_attempts, struct jobs_reaped *out, char *err, size_t errlen);

/* Runs one statement returning rows or a command status; NULL (and err) on failure. */
PGresult *jobs_q(PGconn *db, const char *sql, int n, const char *const *params, char *err,
    size_t errlen);

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
	/* returns non-zero when a cancel was asked; called between the steps */
	int (*cancelled)(void *ctx);
	void *ctx;
	int verbose; /* log each step's duration (log_level = debug) */
};

/*
 * Stores the manifest, its document, its graph rows and marks the job completed, all in
 * one transaction (d->document_ready, when set, is called once the rows are copied).
 * WS_ECANCEL when the job was cancelled meanwhile (nothing kept), WS_EDB with err on a
 * database failure (nothing kept).
 */
int jobs_store(PGconn *db, struct jobs_done *d, char *err, size_t errlen);

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
int jobs_graph_begin(PGconn *db, const struct gen_world *w, const char *mid,
    struct jobs_graph *g, char *err, size_t errlen);
/* The rows, COPYed table by table with looks for a cancel (WS_ECANCEL). */
int jobs_graph_copy(PGconn *db, const struct jobs_done *d, const char *mid,
    const struct jobs_graph *g, char *err, size_t errlen);
/* Own tables: their indexes, then the attach; nothing for the shared ones. */
int jobs_graph_close(PGconn *db, const struct jobs_done *d, const char *mid,
    const struct jobs_graph *g, char *err, size_t errlen);

/* One field of a binary-format COPY row: its length (big-endian int32), then its bytes;
 * NULL is the length -1. */
void jobs_copy_field(struct wbuf *b, const char *s, size_t n);

/*
 * One COPY ... FROM STDIN in progress: rows are buffered and handed over in large pieces.
 * With `cancelled` set, a long COPY is cut into several statements, at most every
 * JOBS_COPY_CHECK_MS, and cancelled(ctx) is asked between them (a connection in COPY
 * cannot run a query): a cancel is then seen within about a second even while hundreds
 * of thousands of rows are copied.
 */
#define JOBS_COPY_CHECK_MS 200
struct jobs_copy {
	PGconn *db;
	struct wbuf b;
	const char *mid; /* the manifest id every row starts with */
	unsigned char uuid[16]; /* the same, binary */
	size_t row_at;   /* where the current row's field count goes */
	unsigned fields; /* fields of the current row so far */
	const char *sql; /* the COPY statement, to start again after a check */
	int (*cancelled)(void *ctx);
	void *ctx;
	int64_t checked_ms;
	int failed;
	int cancel;      /* cancelled(ctx) said yes: the rows stop, the store ends cancelled */
	char *err;       /* where a failure between two statements is told */
	size_t errlen;
};

int jobs_copy_begin(struct jobs_copy *c, PGconn *db, const char *mid, const char *sql,
    char *err, size_t errlen);
/* A row starts with manifest_id, pos and (when type_pos >= 0) type_pos; the COPY
 * statement must say WITH (FORMAT binary). */
void jobs_copy_row(struct jobs_copy *c, size_t pos, long type_pos);
void jobs_copy_str(struct jobs_copy *c, const char *s);
void jobs_copy_json(struct jobs_copy *c, struct wbuf *json);
void jobs_copy_row_end(struct jobs_copy *c);
/* Ends the COPY; WS_EDB with err when any row or the server refused. */
int jobs_copy_end(struct jobs_copy *c, char *err, size_t errlen);

#endif
