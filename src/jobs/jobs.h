/*
 * jobs: the life of a job, from admission to exactly one terminal state. This module is
 * the only writer of the `jobs` table (src/jobs/queue.c holds every statement that
 * changes it): admission (quota, idempotency, insert), cancel requests, and on the
 * generator's side claim, progress, completion, failure; the master's tick that starts
 * queued jobs and requeues dead ones; detached generators (one per job) and the per-host
 * cap; the completion transaction of a manifest job and the run of a trajectory job.
 */
#ifndef WORLDS_JOBS_H
#define WORLDS_JOBS_H

#include <libpq-fe.h>

#include "db/db.h"
#include "util/util.h"

struct conf;

/* The job statuses and kinds, each one table: the names SQL, JSON and the API use. */
#define JOBS_STATUSES(X) X(queued) X(running) X(completed) X(failed) X(cancelled)
#define JOBS_KINDS(X) X(manifest_generation) X(trajectory_generation)
#define JOBS_ENUM(s) JOBS_##s,
enum jobs_status { JOBS_STATUSES(JOBS_ENUM) JOBS_NSTATUS };
enum jobs_kind { JOBS_KINDS(JOBS_ENUM) JOBS_NKIND };
#undef JOBS_ENUM
/* In enum order, NULL-terminated (the API's filters list them as they are). */
extern const char *const jobs_status_names[JOBS_NSTATUS + 1];
extern const char *const jobs_kind_names[JOBS_NKIND + 1];
/* A status or kind as an SQL literal inside a statement's text: JOBS_LIT(queued). */
#define JOBS_LIT(name) "'" #name "'"

/*
 * A job as api.md's WorldJobResponse needs it: the select list over j (a jobs row) and u
 * (its creator), columns named as the response's keys (the creator's as creator_*), and
 * the FROM clause that goes with it. Renderers read the columns by name.
 */
#define JOBS_SELECT                                                                          \
	"j.id, j.organization_id, j.workspace_id, j.project_id, j.kind, j.status, j.progress,"  \
	" j.resource_type, j.resource_id, j.result::text AS result, j.error, j.created_by,"     \
	" u.id AS creator_id, u.email AS creator_email, u.username AS creator_username,"        \
	" u.full_name AS creator_full_name, j.created_at, j.started_at, j.completed_at,"        \
	" j.cancel_requested_at"
#define JOBS_FROM " FROM jobs j LEFT JOIN users u ON u.id = j.created_by"

/* ---- admission ----------------------------------------------------------------------- */

/* A job to create. Every pointer is borrowed for the call. */
struct jobs_new {
	enum jobs_kind kind;
	const char *organization_id;
	const char *workspace_id;
	const char *project_id;
	const char *created_by;
	const char *resource_type;   /* manifest | trajectory | trajectory_batch */
	const char *params;          /* the job's parameters, a JSON object */
	const char *name;            /* NULL when absent */
	const char *idempotency_key; /* NULL: none */
	const char *request_hash;    /* with a key: what "the same body" means */
	const char *epoch;           /* a kept tenancy's epoch (sql/011): create nothing unless
				      * it still holds; NULL: the tenancy was just resolved */
	int claim_project;           /* project_id was named by the caller: the workspace's
				      * already, or made its own now (sql/014), unless it is
				      * another workspace's (FOREIGN_PROJECT) */
};

enum jobs_outcome {
	JOBS_CREATED,     /* the job is queued; id and job are its */
	JOBS_REPLAYED,    /* the key's first job, same body: id and job are that job */
	JOBS_KEY_REUSED,  /* the key was used with another body (409) */
	JOBS_OVER_QUOTA,  /* max_active_jobs_per_workspace queued or running already (429) */
	JOBS_EPOCH_MOVED, /* the kept tenancy is stale: resolve it, then admit again */
	JOBS_FOREIGN_PROJECT /* claim_project: project_id is another workspace's (422) */
};

struct jobs_admission {
	enum jobs_outcome outcome;
	char id[37];
	PGresult *job;    /* CREATED, REPLAYED: the job's row (JOBS_SELECT); caller PQclears */
	long free_slots;  /* CREATED: a first look at this host's free generator slots, or -1 */
};

/*
 * Admits a job under the workspace's quota and honours an idempotency key (the same key
 * and body within 24 hours give the first job back). Creates serialise per workspace on
 * its row of workspace_active_jobs (sql/008), whose count the quota is checked against.
 * Without a key this is one statement; with one, one transaction. WS_OK (out->outcome
 * says what happened) or WS_EDB with db->err.
 */
int jobs_admit(struct db *db, const struct conf *c, const struct jobs_new *n,
    struct jobs_admission *out);
/*
 * Starts a detached generator for a CREATED job, after the caller has read what it
 * answers (a generator that claims at once would make the answer say running). Returns
 * WS_OK when started or left queued for the tick.
 */
int jobs_start(const struct conf *c, struct db *db, const struct jobs_admission *a);

/*
 * A cancel request (api.md): queued → cancelled at once; running → cancel_requested_at
 * set (the generator stops within a second); already cancelled → unchanged. WS_OK for
 * those three, WS_ENOTFOUND (not a job of that workspace), WS_ECONFLICT with status
 * ("completed" or "failed"), WS_EDB.
 */
int jobs_cancel(struct db *db, const char *id, const char *workspace_id, char status[16]);

/*
 * Deletes a manifest of workspace_id, its document and graph with it (sql/004's and
 * sql/012's triggers; own tables are dropped). The manifests table is written here and
 * in the completion transaction only. WS_OK, WS_ENOTFOUND, WS_EDB.
 */
int jobs_manifest_delete(struct db *db, const char *id, const char *workspace_id);

/* ---- generators -------------------------------------------------------------------------- */

/*
 * Starts a detached `worlds-gen --job ID` for a committed queued job when this host runs
 * fewer than conf->max_generators generators; otherwise leaves the job queued for the
 * tick. Never blocks on the child; never leaves a zombie. Returns WS_OK when a generator
 * was started or the job was left for later, a negative code on failure to fork/exec.
 */
int jobs_spawn(const struct conf *c, struct db *db, const char *job_id);
/* This host's name as the slot locks spell it. */
#define JOBS_HOST_MAX 256
void jobs_hostname(char out[JOBS_HOST_MAX]);

/* The master's tick (http_app.tick): start queued jobs while slots are free, requeue
 * running jobs whose generator is gone. */
void jobs_tick(const struct conf *c, void **state);
void jobs_tick_free(void *state);

/* worlds-gen --job ID: claims and runs one job to its end; returns the exit status. */
int jobs_run(const struct conf *c, const char *job_id);

/* worldsctl jobs start|list|reap */
extern const struct wcmd jobs_ctl_cmds[];

#endif
