/*
 * jobs: running accepted jobs to exactly one terminal state. Detached generators (one per
 * job), the per-host cap, claiming, progress and cancellation, the completion
 * transaction, and the master's tick that starts queued jobs and requeues dead ones.
 */
#ifndef WORLDS_JOBS_H
#define WORLDS_JOBS_H

#include <libpq-fe.h>

#include "util/util.h"

struct conf;

/*
 * Starts a detached `worlds-gen --job ID` for a committed queued job when this host runs
 * fewer than conf->max_generators generators; otherwise leaves the job queued for the
 * tick. Never blocks on the child; never leaves a zombie. Returns WS_OK when a generator
 * was started or the job was left for later, a negative code on failure to fork/exec.
 */
int jobs_spawn(const struct conf *c, PGconn *db, const char *job_id);

/*
 * jobs_spawn's first, ungated look at this host's free slots, for callers that fold it
 * into a statement of their own (one round trip less per job): a scalar subquery on
 * parameters host_param (jobs_hostname) and max_param (max_generators). It counts the
 * host's running jobs, a cheap index read, where the exact count (slot locks in
 * pg_locks) costs a scan of the lock tables: every running job has a generator holding
 * a slot, so 0 is a safe "all busy" (a dead generator's job is the tick's), and anything
 * else is checked exactly under the start gate. Then call jobs_spawn_free with it.
 */
#define JOBS_LOOK_SLOTS_SQL(host_param, max_param)                                          \
	"(SELECT greatest(" max_param "::int - count(*), 0) FROM jobs"                      \
	" WHERE status = 'running'"                                                          \
	" AND left(runner, length(" host_param "::text) + 1) = " host_param "::text || ':')"
int jobs_spawn_free(const struct conf *c, PGconn *db, const char *job_id, long free_slots);
/* This host's name as the slot locks spell it (what host_param above must carry). */
#define JOBS_HOST_MAX 256
void jobs_hostname(char out[JOBS_HOST_MAX]);

/* The master's tick (http_app.tick): start queued jobs while slots are free, requeue
 * running jobs whose generator is gone. */
void jobs_tick(const struct conf *c, void **state);
void jobs_tick_free(void *state);

/* worlds-gen --job ID: claims and runs one job to its end; returns the exit status. */
int jobs_run(const struct conf *c, const char *job_id);

/* worldsctl jobs list, worldsctl jobs reap */
extern const struct wcmd jobs_ctl_cmds[];

#endif
