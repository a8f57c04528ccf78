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

/* The master's tick (http_app.tick): start queued jobs while slots are free, requeue
 * running jobs whose generator is gone. */
void jobs_tick(const struct conf *c, void **state);
void jobs_tick_free(void *state);

/* worlds-gen --job ID: claims and runs one job to its end; returns the exit status. */
int jobs_run(const struct conf *c, const char *job_id);

/* worldsctl jobs list, worldsctl jobs reap */
extern const struct wcmd jobs_ctl_cmds[];

#endif
