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
	struct db db;
	char host[JOBS_HOST_MAX];
	int down_logged;
};

int jobs_start_queued(const struct conf *c, struct db *db, const char *host)
{
	char err[512];
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
	r = jobs_oldest_queued(db, free_slots);
	if (r == NULL) {
		wlog("jobs: %s", db->err);
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

	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return;
		db_init(&s->db, c->database_url, 1);
		jobs_hostname(s->host);
		*state = s;
	}
	if (db_open(&s->db) != WS_OK) {
		if (!s->down_logged)
			wlog("jobs: tick: the database is unreachable; retrying every tick");
		s->down_logged = 1;
		return;
	}
	if (s->down_logged)
		wlog("jobs: tick: the database is back");
	s->down_logged = 0;
	if (jobs_reap(&s->db, c->max_attempts, &reaped) != WS_OK) {
		wlog("jobs: tick: %s", s->db.err);
		if (db_lost(&s->db))
			db_close(&s->db);
		return;
	}
	jobs_start_queued(c, &s->db, s->host);
	if (db_lost(&s->db))
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
