/*
 * The cancel watcher of a completion transaction. The store runs long statements (COPYs
 * of hundreds of thousands of rows, index builds, the document's compression), and any of
 * them may wait on a lock somebody else holds; meanwhile its own connection cannot ask
 * anything, and on a busy machine one statement alone can take seconds. So a thread with
 * a connection of its own listens for cancel requests (a trigger notifies the moment one
 * is committed, sql/015) and reads the job's row now and then besides; once it sees one,
 * it interrupts whatever the store's connection is running (PQcancel, repeated until the
 * store is done: a request that lands between two statements interrupts nothing), and
 * tells the document writer to stop. A cancel is then honoured within a second in every
 * phase.
 *
 * Most stores are over in a few milliseconds: the watcher first waits JOBS_WATCH_AFTER_MS
 * and only then opens its connection (kept by the generator for its later jobs), so a
 * small job pays for a thread, not for a second session.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jobs/internal.h"

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0) {
	}
}

/* The watcher's connection, listening for cancel requests (sql/015's notifications). */
static int watch_open(struct jobs_watch *w)
{
	if (!db_lost(w->db))
		return WS_OK;
	if (db_open(w->db) != WS_OK || db_script(w->db, "LISTEN worlds_job_cancel") != WS_OK)
		return WS_EDB;
	return WS_OK;
}

/*
 * Waits up to ms for a notification on the watcher's connection: 1 when one names our
 * job, 0 when none did, -1 when the connection broke. Notifications of other jobs (the
 * connection serves the generator's later jobs too) are read and dropped.
 */
static int notified(struct jobs_watch *w, int ms)
{
	struct pollfd p = { .fd = PQsocket(w->db->pg), .events = POLLIN };
	PGnotify *n;
	int hit = 0;

	if (p.fd < 0)
		return -1;
	if (poll(&p, 1, ms) > 0 && !PQconsumeInput(w->db->pg))
		return -1;
	while ((n = PQnotifies(w->db->pg)) != NULL) {
		hit |= n->extra != NULL && strcmp(n->extra, w->job_id) == 0;
		PQfreemem(n);
	}
	return hit;
}

static void seen(struct jobs_watch *w)
{
	atomic_store(&w->seen, 1);
	if (w->on_cancel != NULL)
		w->on_cancel(w->ctx);
}

static void *watch(void *arg)
{
	struct jobs_watch *w = arg;
	char why[256];
	int yes, waited, since_read = 0, got;

	for (waited = 0; waited < JOBS_WATCH_AFTER_MS && !atomic_load(&w->stop);
	    waited += JOBS_WATCH_NAP_MS)
		nap_ms(JOBS_WATCH_NAP_MS);
	if (atomic_load(&w->stop))
		return NULL;
	if (watch_open(w) != WS_OK) {
		wlog("worlds-gen: job %s: no cancel watcher: %s; a cancel waits for the store's"
		    " next step", w->job_id, w->db->err);
		return NULL;
	}
	/* A request older than the LISTEN sent no notification we could hear: read the row
	 * first, then now and then (JOBS_WATCH_READ_MS) in case a notification went astray. */
	since_read = JOBS_WATCH_READ_MS;
	while (!atomic_load(&w->stop)) {
		if (!atomic_load(&w->seen) && since_read >= JOBS_WATCH_READ_MS) {
			since_read = 0;
			if (jobs_cancel_asked(w->db, w->job_id, &yes) != WS_OK) {
				/* The store's own looks and its conditional last update still hold. */
				wlog("worlds-gen: job %s: cancel watcher: %s", w->job_id, w->db->err);
				break;
			}
			if (yes)
				seen(w);
		}
		/* Interrupting again and again: a request that landed between two statements
		 * interrupted nothing. */
		if (atomic_load(&w->seen) && !PQcancel(w->cancel, why, sizeof(why)))
			wlog("worlds-gen: job %s: cancel watcher: %s", w->job_id, why);
		for (waited = 0; waited < JOBS_WATCH_MS && !atomic_load(&w->stop);
		    waited += JOBS_WATCH_NAP_MS) {
			got = atomic_load(&w->seen) ? 0 : notified(w, JOBS_WATCH_NAP_MS);
			if (got < 0) {
				wlog("worlds-gen: job %s: cancel watcher: the connection broke",
				    w->job_id);
				db_close(w->db);
				return NULL;
			}
			if (got > 0) {
				seen(w);
				break;
			}
			if (atomic_load(&w->seen))
				nap_ms(JOBS_WATCH_NAP_MS);
		}
		since_read += waited;
	}
	return NULL;
}

int jobs_watch_start(struct jobs_watch *w, struct db *own, struct db *store,
    const char *job_id, void (*on_cancel)(void *ctx), void *ctx)
{
	memset(w, 0, sizeof(*w));
	atomic_init(&w->stop, 0);
	atomic_init(&w->seen, 0);
	w->db = own;
	w->job_id = job_id;
	w->on_cancel = on_cancel;
	w->ctx = ctx;
	w->cancel = PQgetCancel(store->pg);
	if (w->cancel == NULL)
		return WS_ENOMEM;
	w->started = pthread_create(&w->thread, NULL, watch, w) == 0;
	if (!w->started) {
		PQfreeCancel(w->cancel);
		w->cancel = NULL;
		return WS_ERR;
	}
	return WS_OK;
}

int jobs_watch_seen(struct jobs_watch *w)
{
	return w != NULL && w->started && atomic_load(&w->seen);
}

void jobs_watch_stop(struct jobs_watch *w)
{
	if (w == NULL || !w->started)
		return;
	atomic_store(&w->stop, 1);
	pthread_join(w->thread, NULL);
	w->started = 0;
	PQfreeCancel(w->cancel);
	w->cancel = NULL;
}
