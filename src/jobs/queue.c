/*
 * The jobs table's one writer. Every statement that changes a job is here, next to the
 * others, so that the state machine (api.md: queued → running → completed | failed |
 * cancelled, and queued → cancelled; a terminal status never changes) can be read in one
 * place. Each move is a conditional update: whoever loses a race finds the row moved on
 * and is told so, never overwrites it. The SQL enforces the same (sql/003's constraints).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "jobs/internal.h"

/* This host's free generator slots, a first ungated look (see admit_sql). */
#define FREE_SLOTS_SQL(host, max)                                                           \
	"(SELECT greatest(" max "::int - count(*), 0) FROM jobs WHERE status = "            \
	JOBS_LIT(running) " AND left(runner, length(" host "::text) + 1) = " host "::text || ':')"

#define JOBS_NAME(s) #s,
const char *const jobs_status_names[JOBS_NSTATUS + 1] = { JOBS_STATUSES(JOBS_NAME) NULL };
const char *const jobs_kind_names[JOBS_NKIND + 1] = { JOBS_KINDS(JOBS_NAME) NULL };
#undef JOBS_NAME

/* ---- admission ----------------------------------------------------------------------- */

/*
 * Admission and insert in one statement: lock the workspace's counter row, insert only
 * under the quota (the one place the quota is decided), and return the new job for the
 * answer. The lock is held only for this statement when no transaction is open, so
 * creators of one workspace queue for microseconds. With $13 (a kept tenancy's epoch)
 * nothing happens unless the epoch is still that one. Besides the job (all NULL when
 * nothing was inserted): this host's free slots as a first, ungated look (its running
 * jobs: every one has a generator holding a slot, so 0 safely means "all busy", and
 * anything else is checked exactly under the start gate), whether the counter row was
 * there, the epoch.
 */
#define ADMIT_SQL(project_cte, project_ok)                                                  \
    "WITH e AS (SELECT n FROM tenancy_epoch WHERE id = 1),"                                 \
    " lk AS (SELECT active FROM workspace_active_jobs WHERE workspace_id = $3"              \
    "        AND ($13::bigint IS NULL OR $13::bigint = (SELECT n FROM e)) FOR UPDATE),"     \
    project_cte                                                                             \
    " ins AS (INSERT INTO jobs (id, organization_id, workspace_id, project_id, kind, params," \
    "         name, idempotency_key, request_hash, created_by, resource_type)"              \
    "         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM lk"                  \
    "         WHERE lk.active < $12::int AND " project_ok " RETURNING *)"                   \
    " SELECT " JOBS_SELECT ", " FREE_SLOTS_SQL("$14", "$15") " AS free_slots,"              \
    "        lk.active IS NOT NULL AS locked, e.n AS epoch, " project_ok " AS project_ok"   \
    "   FROM e LEFT JOIN lk ON true LEFT JOIN ins j ON true"                                \
    "   LEFT JOIN users u ON u.id = j.created_by"
static const char admit_sql[] = ADMIT_SQL("", "true");
/*
 * The same, for a project the caller named: it becomes the workspace's on first use (sql/
 * 014), and a project of another workspace admits nothing. DO UPDATE rather than DO
 * NOTHING: it returns the owner even when another statement claimed the id a moment ago
 * and is not in this statement's snapshot.
 */
static const char admit_project_sql[] = ADMIT_SQL(
    " pj AS (INSERT INTO projects (id, workspace_id) SELECT $4, $3 FROM lk"
    "        ON CONFLICT (id) DO UPDATE SET workspace_id = projects.workspace_id"
    "        RETURNING workspace_id),",
    "coalesce((SELECT workspace_id = $3::uuid FROM pj), false)");
#define ADMIT_NPARAMS 15

/*
 * Runs admit_sql (admit_project_sql for a named project) for n under a fresh id; fills out
 * (CREATED, OVER_QUOTA, EPOCH_MOVED, FOREIGN_PROJECT).
 */
static int admit_insert(struct db *db, const struct conf *c, const struct jobs_new *n,
    struct jobs_admission *out)
{
	static const char *const cols[] = { "id", "free_slots", "locked", "epoch", "project_ok" };
	char max[16], slots[16], host[JOBS_HOST_MAX];
	const char *p[ADMIT_NPARAMS];
	int col[5];
	PGresult *r;

	uuid_v4(out->id);
	snprintf(max, sizeof(max), "%d", c->max_active_jobs_per_workspace);
	snprintf(slots, sizeof(slots), "%d", c->max_generators);
	jobs_hostname(host);
	p[0] = out->id;
	p[1] = n->organization_id;
	p[2] = n->workspace_id;
	p[3] = n->project_id;
	p[4] = jobs_kind_names[n->kind];
	p[5] = n->params;
	p[6] = n->name;
	p[7] = n->idempotency_key;
	p[8] = n->idempotency_key != NULL ? n->request_hash : NULL;
	p[9] = n->created_by;
	p[10] = n->resource_type;
	p[11] = max;
	p[12] = n->epoch;
	p[13] = host;
	p[14] = slots;
	r = db_run(db, n->claim_project ? admit_project_sql : admit_sql, ADMIT_NPARAMS, p, 0);
	if (r == NULL)
		return WS_EDB;
	if (db_cols(db, r, cols, col, 5) != WS_OK) {
		PQclear(r);
		return WS_EDB;
	}
	if (n->epoch != NULL && strcmp(PQgetvalue(r, 0, col[3]), n->epoch) != 0) {
		out->outcome = JOBS_EPOCH_MOVED;
		PQclear(r);
		return WS_OK;
	}
	if (strcmp(PQgetvalue(r, 0, col[2]), "t") != 0) {
		snprintf(db->err, sizeof(db->err), "workspace %s has no workspace_active_jobs row "
		    "(migration 008 not applied?)", n->workspace_id);
		PQclear(r);
		return WS_EDB;
	}
	if (PQgetisnull(r, 0, col[0])) {
		out->outcome = strcmp(PQgetvalue(r, 0, col[4]), "t") != 0 ? JOBS_FOREIGN_PROJECT :
										 JOBS_OVER_QUOTA;
		PQclear(r);
		return WS_OK;
	}
	out->outcome = JOBS_CREATED;
	out->free_slots = atol(PQgetvalue(r, 0, col[1]));
	out->job = r;
	return WS_OK;
}

/* The job's row for the answer (after the commit that made it visible). */
static int read_job(struct db *db, struct jobs_admission *out)
{
	const char *p[1] = { out->id };

	out->job = db_run(db, "SELECT " JOBS_SELECT JOBS_FROM " WHERE j.id = $1", 1, p, 0);
	return out->job != NULL ? WS_OK : WS_EDB;
}

/*
 * The keyed admission, inside the transaction: the counter row locked first, so that the
 * key's lookup and the insert happen as one for this workspace; keys free up after 24
 * hours; then admit_sql as without a key.
 */
static int admit_keyed_tx(struct db *db, const struct conf *c, const struct jobs_new *n,
    struct jobs_admission *out)
{
	const char *p[2] = { n->workspace_id, n->idempotency_key };
	PGresult *r;
	int rc;

	r = db_run(db, "SELECT 1 FROM workspace_active_jobs WHERE workspace_id = $1 FOR UPDATE",
	    1, p, 0);
	if (r == NULL)
		return WS_EDB;
	PQclear(r);
	rc = db_do(db, "UPDATE jobs SET idempotency_key = NULL WHERE workspace_id = $1"
	    " AND idempotency_key = $2 AND created_at < now() - interval '24 hours'", 2, p);
	if (rc != WS_OK)
		return rc;
	r = db_run(db, "SELECT id, request_hash FROM jobs WHERE workspace_id = $1"
	    " AND idempotency_key = $2", 2, p, 0);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) > 0) {
		snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(r, 0, 0));
		out->outcome = strcmp(PQgetvalue(r, 0, 1), n->request_hash) == 0 ? JOBS_REPLAYED :
		    JOBS_KEY_REUSED;
		PQclear(r);
		return WS_OK;
	}
	PQclear(r);
	return admit_insert(db, c, n, out);
}

int jobs_admit(struct db *db, const struct conf *c, const struct jobs_new *n,
    struct jobs_admission *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->free_slots = -1;
	if (n->idempotency_key == NULL)
		return admit_insert(db, c, n, out);
	if (db_begin(db) != WS_OK)
		return WS_EDB;
	rc = admit_keyed_tx(db, c, n, out);
	if (rc == WS_OK)
		rc = db_commit(db);
	if (rc != WS_OK) {
		db_rollback(db);
		PQclear(out->job);
		out->job = NULL;
		return rc;
	}
	/* The row admit_insert returned was read inside the transaction: fine to answer. */
	if (out->outcome == JOBS_REPLAYED)
		rc = read_job(db, out);
	return rc;
}

int jobs_start(const struct conf *c, struct db *db, const struct jobs_admission *a)
{
	if (a->outcome != JOBS_CREATED)
		return WS_OK;
	return jobs_spawn_free(c, db, a->id, a->free_slots);
}

/* A conditional update: WS_OK with *moved when it changed a row, WS_EDB. */
static int update(struct db *db, const char *sql, int n, const char *const *p, int *moved)
{
	PGresult *r = db_run(db, sql, n, p, 0);

	*moved = 0;
	if (r == NULL)
		return WS_EDB;
	*moved = atoi(PQcmdTuples(r)) > 0;
	PQclear(r);
	return WS_OK;
}

/* ---- cancel requests -------------------------------------------------------------------- */

int jobs_cancel(struct db *db, const char *id, const char *workspace_id, char status[16])
{
	const char *p[2] = { id, workspace_id };
	PGresult *r;
	int done;

	status[0] = '\0';
	/* Each step is conditional: a job that moves on between them is judged by its new
	 * status. */
	if (update(db, "UPDATE jobs SET status = " JOBS_LIT(cancelled) ", cancel_requested_at ="
	    " now(), completed_at = now() WHERE id = $1 AND workspace_id = $2 AND status = "
	    JOBS_LIT(queued), 2, p, &done) != WS_OK)
		return WS_EDB;
	if (done)
		return WS_OK;
	if (update(db, "UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now())"
	    " WHERE id = $1 AND workspace_id = $2 AND status = " JOBS_LIT(running), 2, p,
	    &done) != WS_OK)
		return WS_EDB;
	if (done)
		return WS_OK;
	r = db_run(db, "SELECT status FROM jobs WHERE id = $1 AND workspace_id = $2", 2, p, 0);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return WS_ENOTFOUND;
	}
	snprintf(status, 16, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return strcmp(status, jobs_status_names[JOBS_cancelled]) == 0 ? WS_OK : WS_ECONFLICT;
}

/* ---- the generator's side ------------------------------------------------------------------ */

int jobs_claim(struct db *db, const char *job_id, const char *runner, struct jobs_claimed *out)
{
	const char *p[2] = { job_id, runner };
	PGresult *r;
	int rc = WS_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	if (job_id != NULL) {
		/* CASE fixes the order: the job lock is only tried for a row we will claim. */
		r = db_run(db, "UPDATE jobs SET status = " JOBS_LIT(running) ", started_at = now(),"
		    " progress = 0, attempts = attempts + 1, runner = $2"
		    " WHERE id = $1 AND CASE WHEN status = " JOBS_LIT(queued)
		    " AND cancel_requested_at IS NULL"
		    " THEN pg_try_advisory_lock(" JOBS_JOB_KEY("$1") ") ELSE false END"
		    " RETURNING id, params::text, kind", 2, p, 0);
	} else {
		p[0] = runner;
		r = db_run(db, "WITH next AS (SELECT id FROM jobs WHERE status = " JOBS_LIT(queued)
		    " AND cancel_requested_at IS NULL ORDER BY created_at, id LIMIT 1"
		    " FOR UPDATE SKIP LOCKED)"
		    " UPDATE jobs j SET status = " JOBS_LIT(running) ", started_at = now(),"
		    " progress = 0, attempts = j.attempts + 1, runner = $1"
		    " FROM next WHERE j.id = next.id"
		    " AND pg_try_advisory_lock(" JOBS_JOB_KEY("next.id") ")"
		    " RETURNING j.id, j.params::text, j.kind", 1, p, 0);
	}
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 1) {
		snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(r, 0, 0));
		out->kind = strcmp(PQgetvalue(r, 0, 2), jobs_kind_names[JOBS_trajectory_generation]) == 0 ?
		    JOBS_trajectory_generation : JOBS_manifest_generation;
		out->params = strdup(PQgetvalue(r, 0, 1));
		rc = out->params != NULL ? WS_OK : WS_ENOMEM;
	}
	PQclear(r);
	return rc;
}

int jobs_progress(struct db *db, const char *id, double progress, int *cancel)
{
	char pbuf[32];
	const char *p[2] = { id, pbuf };
	PGresult *r;
	int rc = WS_OK;

	*cancel = 0;
	snprintf(pbuf, sizeof(pbuf), "%.4f", progress);
	r = db_run(db, "UPDATE jobs SET progress = GREATEST(progress, $2::float8)"
	    " WHERE id = $1 AND status = " JOBS_LIT(running)
	    " RETURNING cancel_requested_at IS NOT NULL", 2, p, 0);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) != 1)
		rc = WS_ENOTFOUND; /* not running any more: nothing left for us to do */
	else
		*cancel = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return rc;
}

int jobs_cancel_asked(struct db *db, const char *id, int *yes)
{
	const char *p[1] = { id };
	PGresult *r;

	*yes = 0;
	r = db_run(db, "SELECT cancel_requested_at IS NOT NULL FROM jobs WHERE id = $1", 1, p, 0);
	if (r == NULL)
		return WS_EDB;
	*yes = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return WS_OK;
}

int jobs_finish(struct db *db, const char *id, enum jobs_status status, const char *error)
{
	const char *p[3] = { id, jobs_status_names[status], error };

	return db_do(db, "UPDATE jobs SET status = $2, error = $3, completed_at = now()"
	    " WHERE id = $1 AND status = " JOBS_LIT(running), 3, p);
}

int jobs_complete(struct db *db, const char *id, const char *resource_id, const char *result,
    enum jobs_completion how)
{
	const char *p[3] = { id, result, resource_id };
	int moved, rc;

	if (how == JOBS_COMPLETE_OR_NOTHING)
		/* completed_at: the moment of this last step, not the transaction's start
		 * (now()), which for a big world is seconds earlier. */
		rc = update(db, "UPDATE jobs SET status = " JOBS_LIT(completed) ", progress = 1,"
		    " completed_at = clock_timestamp(), resource_id = $3, result = $2::jsonb"
		    " WHERE id = $1 AND status = " JOBS_LIT(running)
		    " AND cancel_requested_at IS NULL", 3, p, &moved);
	else
		rc = update(db, "UPDATE jobs SET status = CASE WHEN cancel_requested_at IS NULL"
		    " THEN " JOBS_LIT(completed) " ELSE " JOBS_LIT(cancelled) " END,"
		    " progress = CASE WHEN cancel_requested_at IS NULL THEN 1 ELSE progress END,"
		    " completed_at = now(), resource_id = $3::uuid,"
		    " result = CASE WHEN cancel_requested_at IS NULL THEN $2::jsonb"
		    " ELSE jsonb_set($2::jsonb, '{cancelled}', 'true') END"
		    " WHERE id = $1 AND status = " JOBS_LIT(running), 3, p, &moved);
	if (rc != WS_OK)
		return rc;
	return moved ? WS_OK : WS_ECANCEL;
}

/* ---- the tick's side ----------------------------------------------------------------------- */

/*
 * One running job whose lock is free. Trying the job lock inside the statement is what
 * makes this safe against a generator that is alive: it holds the lock from before its
 * claim committed until after its last write, so while it lives the try fails and the row
 * is left alone. The lock taken here is transaction-scoped and gone at the statement's end.
 */
static const char reap_sql[] =
    "UPDATE jobs SET"
    " status = CASE WHEN cancel_requested_at IS NOT NULL THEN " JOBS_LIT(cancelled)
    "  WHEN attempts >= $2::int THEN " JOBS_LIT(failed) " ELSE " JOBS_LIT(queued) " END,"
    " error = CASE WHEN cancel_requested_at IS NULL AND attempts >= $2::int THEN"
    "  format('generator crashed %s times (last run %s); see that host''s worlds-api log',"
    "  attempts, coalesce(runner, 'unknown')) END,"
    " completed_at = CASE WHEN cancel_requested_at IS NOT NULL OR attempts >= $2::int"
    "  THEN now() END,"
    " progress = CASE WHEN cancel_requested_at IS NULL AND attempts < $2::int THEN 0"
    "  ELSE progress END"
    " WHERE id = $1 AND CASE WHEN status = " JOBS_LIT(running)
    "  THEN pg_try_advisory_xact_lock(" JOBS_JOB_KEY("$1") ") ELSE false END"
    " RETURNING status, attempts, runner";

int jobs_reap(struct db *db, int max_attempts, struct jobs_reaped *out)
{
	PGresult *list, *r;
	char max[16];
	const char *p[2] = { NULL, max };
	int i, n, rc = WS_OK;

	memset(out, 0, sizeof(*out));
	snprintf(max, sizeof(max), "%d", max_attempts);
	list = db_run(db, "SELECT id FROM jobs WHERE status = " JOBS_LIT(running), 0, NULL, 0);
	if (list == NULL)
		return WS_EDB;
	n = PQntuples(list);
	for (i = 0; i < n; i++) {
		const char *status;

		p[0] = PQgetvalue(list, i, 0);
		r = db_run(db, reap_sql, 2, p, 0);
		if (r == NULL) {
			rc = WS_EDB;
			break;
		}
		if (PQntuples(r) == 1) {
			status = PQgetvalue(r, 0, 0);
			if (strcmp(status, jobs_status_names[JOBS_queued]) == 0)
				out->requeued++;
			else if (strcmp(status, jobs_status_names[JOBS_failed]) == 0)
				out->failed++;
			else
				out->cancelled++;
			wlog("jobs: job %s had no live generator (attempt %s, last runner %s): %s",
			    p[0], PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
			    strcmp(status, jobs_status_names[JOBS_queued]) == 0 ? "requeued" : status);
		}
		PQclear(r);
	}
	PQclear(list);
	return rc;
}

PGresult *jobs_oldest_queued(struct db *db, int limit)
{
	char lim[16];
	const char *p[1] = { lim };

	snprintf(lim, sizeof(lim), "%d", limit);
	return db_run(db, "SELECT id FROM jobs WHERE status = " JOBS_LIT(queued)
	    " AND cancel_requested_at IS NULL ORDER BY created_at, id LIMIT $1::int", 1, p, 0);
}

int jobs_running_here(struct db *db, const char *host, int max_generators, long *free_slots)
{
	char max[16];
	const char *p[2] = { host, max };
	PGresult *r;

	*free_slots = -1;
	snprintf(max, sizeof(max), "%d", max_generators);
	r = db_run(db, "SELECT " FREE_SLOTS_SQL("$1", "$2"), 2, p, 0);
	if (r == NULL)
		return WS_EDB;
	if (PQntuples(r) == 1)
		*free_slots = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return WS_OK;
}
