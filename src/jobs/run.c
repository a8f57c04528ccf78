/*
 * worlds-gen --job ID: take a slot on this host, claim the job, build the world while
 * reporting progress and watching for a cancel, then store everything in one transaction.
 * A generator that finishes goes on with the oldest queued job while it holds its slot,
 * so a queue drains at full speed without waiting for the master's tick; each job still
 * gets its own claim, attempt, runner record and job lock.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sodium.h>

#include "conf/conf.h"
#include "db/db.h"
#include "gen/gen.h"
#include "jobs/internal.h"
#include "jobs/jobs.h"

#define PROGRESS_EVERY_MS 200 /* at most 5 writes a second, and a cancel seen within 1 s */
#define DOC_FLUSH_AT (256 * 1024)

/* Where the phases sit on the progress scale (1.0 only comes with completion). */
#define P_BUILD_FROM 0.02
#define P_BUILD_TO 0.80
#define P_STORE 0.95

struct run {
	const struct conf *c;
	struct db db;
	struct db watch_db; /* the cancel watcher's, opened for the first big world */
	char host[JOBS_HOST_MAX];
	char runner[JOBS_RUNNER_MAX];
	char job[37];
	int64_t last_ms;
	double progress;
	int cancel; /* a cancel was asked */
	int lost;   /* the connection died or the job is no longer ours */
	struct wbuf doc;
	crypto_hash_sha256_state sha;
	struct doc_writer *writer; /* the current job's document writer */
};

static void quiet_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Writes progress (never backwards) and reads the cancel flag; rate-limited unless force. */
static int report(struct run *r, double p, int force)
{
	int64_t now = time_mono_ms();
	int rc;

	if (r->cancel || r->lost)
		return 1;
	if (p > r->progress)
		r->progress = p > 0.99 ? 0.99 : p;
	if (!force && now - r->last_ms < PROGRESS_EVERY_MS)
		return 0;
	r->last_ms = now;
	rc = jobs_progress(&r->db, r->job, r->progress, &r->cancel);
	if (rc == WS_EDB)
		wlog("worlds-gen: job %s: %s", r->job, r->db.err);
	if (rc != WS_OK)
		r->lost = 1; /* the connection, or the job is no longer ours: nothing left to do */
	return r->cancel || r->lost;
}

static int on_build_progress(void *ctx, double f)
{
	struct run *r = ctx;

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return report(r, P_BUILD_FROM + (P_BUILD_TO - P_BUILD_FROM) * f, 0);
}

/*
 * The document is written by a second thread while the main one copies the graph rows
 * (the database works on those meanwhile): it reads the world, which nothing changes any
 * more, and its own buffer and digest; it never touches the connection.
 */
struct doc_writer {
	const struct gen_world *world;
	struct wbuf *doc;
	crypto_hash_sha256_state *sha;
	pthread_t thread;
	int started; /* a thread runs it: join before using the result or freeing the world */
	atomic_int stop; /* set when the document is no longer wanted (cancel, failure) */
	int rc;
};

static int on_doc_chunk(void *ctx, const char *p, size_t n)
{
	struct doc_writer *dw = ctx;

	if (atomic_load(&dw->stop))
		return WS_ECANCEL;
	wbuf_put(dw->doc, p, n);
	crypto_hash_sha256_update(dw->sha, (const unsigned char *)p, n);
	return dw->doc->err ? WS_ENOMEM : WS_OK;
}

static void *doc_write(void *arg)
{
	struct doc_writer *dw = arg;
	struct wbuf chunk;
	struct jw w;

	wbuf_init(&chunk);
	jw_init(&w, &chunk, 0);
	jw_set_sink(&w, on_doc_chunk, dw, DOC_FLUSH_AT);
	dw->rc = gen_world_write(dw->world, &w);
	if (dw->rc == WS_OK)
		dw->rc = jw_finish(&w);
	if (dw->rc != WS_OK && dw->doc->err)
		dw->rc = WS_ENOMEM;
	wbuf_free(&chunk);
	return NULL;
}

static int doc_join(struct doc_writer *dw)
{
	if (dw->started) {
		pthread_join(dw->thread, NULL);
		dw->started = 0;
	}
	return dw->rc;
}

/* jobs_done.document_start: the document's writing begins, in a thread of its own. */
static void doc_start(void *ctx)
{
	struct run *r = ctx;
	struct doc_writer *dw = r->writer;

	if (dw->started)
		return;
	dw->started = pthread_create(&dw->thread, NULL, doc_write, dw) == 0;
	if (!dw->started)
		doc_write(dw); /* no thread to be had: write it now, in this one */
}

/* jobs_done.document_ready: the document, its size and sha256, once written. */
static int doc_ready(void *ctx, struct jobs_done *d)
{
	struct run *r = ctx;
	unsigned char digest[crypto_hash_sha256_BYTES];
	int rc;

	doc_start(ctx); /* (nothing when it has started) */
	rc = doc_join(r->writer);

	if (rc != WS_OK)
		return rc;
	crypto_hash_sha256_final(&r->sha, digest);
	d->document = r->doc.p;
	d->size = r->doc.len;
	sodium_bin2hex(d->sha256, sizeof(d->sha256), digest, sizeof(digest));
	return WS_OK;
}

/* jobs_done.on_cancel (the watcher's thread): the document is no longer wanted. */
static void doc_stop(void *ctx)
{
	struct run *r = ctx;

	if (r->writer != NULL)
		atomic_store(&r->writer->stop, 1);
}

/* Moves our running job to a terminal state; error is NULL for cancelled. */
static void finish(struct run *r, enum jobs_status status, const char *error)
{
	if (jobs_finish(&r->db, r->job, status, error) != WS_OK)
		wlog("worlds-gen: job %s: cannot mark it %s: %s", r->job,
		    jobs_status_names[status], r->db.err);
	else
		wlog("worlds-gen: job %s %s%s%s", r->job, jobs_status_names[status],
		    error ? ": " : "", error ? error : "");
}

static void release_job_lock(struct run *r)
{
	const char *p[1] = { r->job };

	db_do(&r->db, "SELECT pg_advisory_unlock(" JOBS_JOB_KEY("$1") ")", 1, p);
}

static int parse_params(const char *json, struct gen_params *gp, char *err, size_t errlen)
{
	struct json_object *o = json_tokener_parse(json);
	struct verrs v;
	int rc;

	verrs_init(&v);
	if (o == NULL) {
		snprintf(err, errlen, "the job's parameters are not JSON; recreate the job");
		return WS_EINVAL;
	}
	rc = gen_params_from_json(o, gp, &v);
	if (rc == WS_OK)
		rc = gen_params_resolve(gp);
	if (rc != WS_OK) {
		if (v.n > 0)
			snprintf(err, errlen, "invalid parameters: %s %s; recreate the job",
			    v.item[0].loc, v.item[0].msg);
		else
			snprintf(err, errlen,
			    "invalid parameters (fewer users or hosts than domains); recreate the job");
	}
	json_object_put(o);
	return rc;
}

/* Sampling progress: 0 go on, 1 cancel asked, 2 the job is no longer ours. */
static int on_traj_progress(void *ctx, double f)
{
	struct run *r = ctx;

	return report(r, f, 0) ? (r->lost ? 2 : 1) : 0;
}

/* trajectory_generation: run_traj.c runs it to its end, cancel included; failures end here. */
static void run_traj(struct run *r, const char *params_json)
{
	char err[1024] = "";
	int rc;

	r->cancel = 0;
	r->progress = 0;
	r->last_ms = time_mono_ms();
	rc = jobs_run_traj(&r->db, r->job, params_json, on_traj_progress, r, err, sizeof(err));
	if (rc == WS_OK) {
		wlog("worlds-gen: job %s (trajectories) finished", r->job);
	} else if (r->lost || rc == WS_ECANCEL || db_lost(&r->db)) {
		r->lost = 1;
		wlog("worlds-gen: job %s: lost; the tick will requeue it", r->job);
	} else {
		if (rc == WS_EDB)
			wlog("worlds-gen: job %s: %s", r->job, err);
		finish(r, JOBS_failed, rc == WS_EDB ? "the trajectories could not be stored "
		    "(database error); retry, and ask the operator to check the log if it persists" :
		    err);
	}
}

/* Builds, writes and stores the claimed job; leaves it in a terminal state unless lost. */
static void run_one(struct run *r, const char *params_json)
{
	struct gen_params gp;
	struct gen_world *world = NULL;
	struct doc_writer dw;
	struct jobs_done d;
	char err[1024];
	int64_t t0 = time_mono_ms();
	int rc;

	memset(&dw, 0, sizeof(dw));
	atomic_init(&dw.stop, 0);
	wbuf_reset(&r->doc);
	r->cancel = 0;
	r->progress = 0;
	r->last_ms = t0;
	r->writer = &dw;
	crypto_hash_sha256_init(&r->sha);
	rc = parse_params(params_json, &gp, err, sizeof(err));
	if (rc != WS_OK) {
		finish(r, JOBS_failed, err);
		goto out;
	}
	rc = gen_world_build(&gp, &world, on_build_progress, r);
	if (rc == WS_OK && report(r, P_STORE, 1))
		rc = WS_ECANCEL;
	if (rc == WS_OK) {
		dw.world = world;
		dw.doc = &r->doc;
		dw.sha = &r->sha;
		memset(&d, 0, sizeof(d));
		d.job_id = r->job;
		d.runner = r->runner;
		d.document_start = doc_start;
		d.document_ready = doc_ready;
		d.world = world;
		d.watch_db = &r->watch_db;
		d.on_cancel = doc_stop;
		d.ctx = r;
		d.verbose = r->c->log_level >= CONF_LOG_DEBUG;
		if (d.verbose)
			wlog("worlds-gen: job %s: built in %lld ms", r->job,
			    (long long)(time_mono_ms() - t0));
		rc = jobs_store(&r->db, &d);
		if (rc == WS_EDB)
			snprintf(err, sizeof(err), "%s", r->db.err);
		/* On success the store has waited for the document; otherwise it is not wanted,
		 * and the job's end is not held up by its writing (joined at out). */
		atomic_store(&dw.stop, 1);
		if (rc == WS_ECANCEL)
			r->cancel = 1;
		else if (rc == WS_OK)
			wlog("worlds-gen: job %s completed in %lld ms (%zu bytes, sha256 %s)", r->job,
			    (long long)(time_mono_ms() - t0), d.size, d.sha256);
	}
	if (rc == WS_OK)
		goto out;
	if (r->lost || db_lost(&r->db)) {
		/* Our claim dies with our session: the tick requeues the job. */
		r->lost = 1;
		wlog("worlds-gen: job %s: lost the database; the tick will requeue it", r->job);
	} else if (r->cancel || rc == WS_ECANCEL) {
		finish(r, JOBS_cancelled, NULL);
	} else if (rc == WS_ENOMEM) {
		finish(r, JOBS_failed,
		    "out of memory while generating; ask for fewer users or hosts, or give the "
		    "generator host more memory");
	} else if (rc == WS_EDB) {
		wlog("worlds-gen: job %s: %s", r->job, err);
		finish(r, JOBS_failed, "the manifest could not be stored (database error); retry, "
				    "and ask the operator to check the worlds-api log if it persists");
	} else if (rc == WS_EINVAL) {
		finish(r, JOBS_failed, "invalid parameters for this generator version; recreate the job");
	} else {
		finish(r, JOBS_failed, "generation failed; retry, and report it if it persists");
	}
out:
	doc_join(&dw);
	r->writer = NULL;
	gen_world_free(world);
}

/*
 * The spawner's readiness descriptor (JOBS_READY_ENV), or -1 when started by hand. Taken
 * out of the environment so nothing after us inherits the name.
 */
static int ready_fd(void)
{
	const char *v = getenv(JOBS_READY_ENV);
	char *end;
	long fd;

	if (v == NULL)
		return -1;
	fd = strtol(v, &end, 10);
	unsetenv(JOBS_READY_ENV);
	if (*end != '\0' || fd < 3 || fd > 1023 || fcntl((int)fd, F_SETFD, FD_CLOEXEC) != 0)
		return -1;
	return (int)fd;
}

/* Tells the spawner we have tried for our slot: it may count slots again. */
static void signal_ready(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Takes one of this host's slots; 1 when taken, 0 when all are busy, -1 on error. */
static int take_slot(struct run *r)
{
	char max[16];
	const char *p[2] = { r->host, max };
	PGresult *q;
	int got;

	snprintf(max, sizeof(max), "%d", r->c->max_generators);
	q = db_run(&r->db,
	    "SELECT k FROM generate_series(0, $2::int - 1) AS k"
	    " WHERE pg_try_advisory_lock(" JOBS_SLOT_CLASS("$1") ", k) LIMIT 1", 2, p, 0);
	if (q == NULL) {
		wlog("worlds-gen: %s", r->db.err);
		return -1;
	}
	got = PQntuples(q) == 1;
	PQclear(q);
	return got;
}

int jobs_run(const struct conf *c, const char *job_id)
{
	struct run r;
	struct jobs_claimed job;
	int status = 0, rc, slot, ready = ready_fd();

	memset(&r, 0, sizeof(r));
	memset(&job, 0, sizeof(job));
	r.c = c;
	/* No reconnect: the job and slot locks die with the session, and a job run on
	 * without them could be taken by the tick and run twice. */
	db_init(&r.db, c->database_url, 0);
	db_init(&r.watch_db, c->database_url, 0);
	wbuf_init(&r.doc);
	if (job_id != NULL && uuid_version(job_id) < 0) {
		fprintf(stderr, "worlds-gen: --job needs a job id (a UUID), got '%s'\n", job_id);
		status = 2;
		goto out;
	}
	if (sodium_init() < 0) {
		wlog("worlds-gen: libsodium cannot start");
		status = 1;
		goto out;
	}
	jobs_hostname(r.host);
	snprintf(r.runner, sizeof(r.runner), "%s:%ld", r.host, (long)getpid());
	if (db_open(&r.db) != WS_OK) {
		wlog("worlds-gen: %s", r.db.err);
		status = 1;
		goto out;
	}
	PQsetNoticeProcessor(r.db.pg, quiet_notices, NULL);
	{
		/* Shows who we are in pg_stat_activity next to our locks. */
		const char *p[1] = { r.runner };

		db_do(&r.db, "SELECT set_config('application_name', 'worlds-gen ' || $1, false)",
		    1, p);
	}
	slot = take_slot(&r);
	signal_ready(&ready);
	if (slot <= 0) {
		/* Every slot busy: the job stays queued; a generator that finishes, or the
		 * tick, starts it. */
		status = slot < 0 ? 1 : 0;
		goto out;
	}
	for (;;) {
		rc = jobs_claim(&r.db, job_id, r.runner, &job);
		if (rc == WS_ENOTFOUND && job_id != NULL) {
			job_id = NULL; /* ours was taken or cancelled: help with the rest */
			continue;
		}
		if (rc == WS_EDB) {
			wlog("worlds-gen: claim: %s", r.db.err);
			r.lost = 1;
		}
		if (rc != WS_OK)
			break;
		snprintf(r.job, sizeof(r.job), "%s", job.id);
		if (job.kind == JOBS_trajectory_generation)
			run_traj(&r, job.params);
		else
			run_one(&r, job.params);
		free(job.params);
		job.params = NULL;
		if (r.lost) {
			status = 1;
			break;
		}
		release_job_lock(&r);
		job_id = NULL;
	}
	if (r.lost)
		status = 1;
out:
	signal_ready(&ready);
	free(job.params);
	wbuf_free(&r.doc);
	db_close(&r.watch_db);
	db_close(&r.db);
	return status;
}
