/*
 * The master's tick: recovery first (running jobs nobody runs any more), then generators
 * for the oldest queued jobs while this host has free slots. Everything it decides is
 * decided by PostgreSQL (conditional updates, advisory locks), so any number of masters
 * on any number of hosts may tick at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "jobs/internal.h"
#include "jobs/jobs.h"

struct tick_state {
	PGconn *db;
	char host[JOBS_HOST_MAX];
	int down_logged;
};

/*
 * One running job whose lock is free. Trying the job lock inside the statement is what
 * makes this safe against a generator that is alive: it holds the lock from before its
 * claim committed until after its last write, so while it lives the try fails and the row
 * is left alone. The lock taken here is transaction-scoped and gone at the statement's end.
 */
static const char reap_sql[] =
    "UPDATE jobs SET"
    " status = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'"
    "  WHEN attempts >= $2::int THEN 'failed' ELSE 'queued' END,"
    " error = CASE WHEN cancel_requested_at IS NULL AND attempts >= $2::int THEN"
    "  format('generator crashed %s times (last run %s); see that host''s worlds-api log',"
    "  attempts, coalesce(runner, 'unknown')) END,"
    " completed_at = CASE WHEN cancel_requested_at IS NOT NULL OR attempts >= $2::int"
    "  THEN now() END,"
    " progress = CASE WHEN cancel_requested_at IS NULL AND attempts < $2::int THEN 0"
    "  ELSE progress END"
    " WHERE id = $1 AND CASE WHEN status = 'running'"
    "  THEN pg_try_advisory_xact_lock(" JOBS_JOB_KEY("$1") ") ELSE false END"
    " RETURNING status, attempts, runner";

int jobs_reap(PGconn *db, int max_attempts, struct jobs_reaped *out, char *err,
    size_t errlen)
{
	PGresult *list, *r;
	char max[16];
	const char *p[2] = { NULL, max };
	int i, n, rc = WS_OK;

	memset(out, 0, sizeof(*out));
	snprintf(max, sizeof(max), "%d", max_attempts);
	list = jobs_q(db, "SELECT id FROM jobs WHERE status = 'running'", 0, NULL, err, errlen);
	if (list == NULL)
		return WS_EDB;
	n = PQntuples(list);
	for (i = 0; i < n; i++) {
		const char *status;

		p[0] = PQgetvalue(list, i, 0);
		r = jobs_q(db, reap_sql, 2, p, err, errlen);
		if (r == NULL) {
			rc = WS_EDB;
			break;
		}
		if (PQntuples(r) == 1) {
			status = PQgetvalue(r, 0, 0);
			if (strcmp(status, "queued") == 0)
				out->requeued++;
			else if (strcmp(status, "failed") == 0)
				out->failed++;
			else
				out->cancelled++;
			wlog("jobs: job %s had no live generator (attempt %s, last runner %s): %s",
			    p[0], PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
			    strcmp(status, "queued") == 0 ? "requeued" : status);
		}
		PQclear(r);
	}
	PQclear(list);
	return rc;
}

int jobs_start_queued(const struct conf *c, PGconn *db, const char *host)
{
	char lim[16], err[512];
	const char *p[1] = { lim };
	PGresult *r = NULL;
	int free_slots, i, started = 0, gated;
	int64_t ready_by = time_mono_ms() + JOBS_TICK_READY_MS;

	if (jobs_free_slots(db, host, c->max_generators) <= 0)
		return 0;
	/* Never wait for the gate here: whoever holds it is starting generators right now,
	 * and the master must stay quick to answer signals. Next tick, then. */
	switch (jobs_gate(db, host, JOBS_GATE_TRY)) {
	case WS_OK:
		gated = 1;
		break;
	case WS_EAGAIN:
		return 0;
	default:
		gated = 0; /* the generators' own try-locks still keep the cap */
		break;
	}
	free_slots = jobs_free_slots(db, host, c->max_generators);
	if (free_slots <= 0)
		goto out;
	snprintf(lim, sizeof(lim), "%d", free_slots);
	r = jobs_q(db,
	    "SELECT id FROM jobs WHERE status = 'queued' AND cancel_requested_at IS NULL"
	    " ORDER BY created_at, id LIMIT $1::int",
	    1, p, err, sizeof(err));
	if (r == NULL) {
		wlog("jobs: %s", err);
		started = -1;
		goto out;
	}
	for (i = 0; i < PQntuples(r); i++) {
		if (jobs_detach(c, PQgetvalue(r, i, 0), ready_by, err, sizeof(err)) != WS_OK) {
			wlog("jobs: job %s stays queued: %s", PQgetvalue(r, i, 0), err);
			started = -1;
			break;
		}
		started++;
	}
out:
	PQclear(r);
	if (gated)
		jobs_gate(db, host, JOBS_GATE_RELEASE);
	return started;
}

void jobs_tick(const struct conf *c, void **state)
{
	struct tick_state *s = *state;
	struct jobs_reaped reaped;
	char err[512];

	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return;
		jobs_hostname(s->host);
		*state = s;
	}
	if (db_ensure(c->database_url, &s->db) != WS_OK) {
		if (!s->down_logged)
			wlog("jobs: tick: the database is unreachable; retrying every tick");
		s->down_logged = 1;
		return;
	}
	if (s->down_logged)
		wlog("jobs: tick: the database is back");
	s->down_logged = 0;
	if (jobs_reap(s->db, c->max_attempts, &reaped, err, sizeof(err)) != WS_OK) {
		wlog("jobs: tick: %s", err);
		if (db_conn_lost(s->db))
			db_close(&s->db);
		return;
	}
	jobs_start_queued(c, s->db, s->host);
	if (db_conn_lost(s->db))
		db_close(&s->db);
}

void jobs_tick_free(void *state)
{
	struct tick_state *s = state;

	if (s == NULL)
		return;
	db_close(&s->db);
	free(s);
}
