#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-events.h>

#include "db/db.h"
#include "util/util.h"

/* Any fixed number serves; it only has to be the same for every migrating process. */
#define DB_MIGRATION_LOCK 727274001

static void one_line(char *s)
{
	char *nl;

	while ((nl = strpbrk(s, "\r\n")) != NULL)
		*nl = (nl[1] == '\0') ? '\0' : ' ';
}

/*
 * The statements prepared on one connection, kept as libpq instance data so they die
 * with the connection and a new connection starts with none. A text is prepared the
 * second time it is run: a statement run once (a generator's claim, a one-off) costs no
 * extra round trip, and one run again and again is parsed and planned once.
 */
struct db_stmts {
	uint64_t hash[128];
	size_t n;
	uint64_t seen[64]; /* texts run once so far, a ring */
	size_t nseen;
};

static int db_event(PGEventId id, void *info, void *pass)
{
	(void)pass;
	if (id == PGEVT_CONNDESTROY) {
		PGEventConnDestroy *e = info;

		free(PQinstanceData(e->conn, db_event));
	} else if (id == PGEVT_CONNRESET) {
		PGEventConnReset *e = info;
		struct db_stmts *st = PQinstanceData(e->conn, db_event);

		if (st != NULL)
			st->n = st->nseen = 0;
	}
	return 1;
}

static void track_statements(PGconn *c)
{
	struct db_stmts *st = calloc(1, sizeof(*st));

	if (st == NULL || !PQregisterEventProc(c, db_event, "worlds-db", NULL) ||
	    !PQsetInstanceData(c, db_event, st))
		free(st);
}

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL;

	while (*sql != '\0')
		h = (h ^ (unsigned char)*sql++) * 1099511628211ULL;
	return h;
}

static void set_err(struct db *d, const char *what)
{
	d->state[0] = '\0';
	d->constraint[0] = '\0';
	snprintf(d->primary, sizeof(d->primary), "%s", what && *what ? what : "no answer");
	snprintf(d->err, sizeof(d->err), "database: %s", what && *what ? what : "no answer");
	one_line(d->err);
	one_line(d->primary);
}

void db_init(struct db *d, const char *url, int reconnect)
{
	memset(d, 0, sizeof(*d));
	d->url = url;
	d->reconnect = reconnect;
}

int db_open(struct db *d)
{
	PGconn *c;

	if (d->pg != NULL && PQstatus(d->pg) == CONNECTION_OK)
		return WS_OK;
	db_close(d);
	c = PQconnectdb(d->url != NULL ? d->url : "");
	if (c == NULL) {
		set_err(d, "out of memory");
		return WS_EDB;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		set_err(d, PQerrorMessage(c));
		PQfinish(c);
		return WS_EDB;
	}
	d->pg = c;
	if (db_script(d, "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'") != WS_OK) {
		db_close(d);
		return WS_EDB;
	}
	track_statements(c);
	return WS_OK;
}

void db_close(struct db *d)
{
	if (d->pg != NULL)
		PQfinish(d->pg);
	d->pg = NULL;
}

int db_lost(const struct db *d)
{
	return d == NULL || d->pg == NULL || PQstatus(d->pg) != CONNECTION_OK;
}

/* The prepared statement's name for sql on this connection, preparing it the first time;
 * 0 when it cannot be prepared (then it is simply executed with its parameters). */
static int prepared(PGconn *c, const char *sql, int n, char name[24])
{
	struct db_stmts *st = PQinstanceData(c, db_event);
	uint64_t h;
	size_t i;
	PGresult *p;
	int ok;

	if (st == NULL)
		return 0;
	h = sql_hash(sql);
	snprintf(name, 24, "w%016llx", (unsigned long long)h);
	for (i = 0; i < st->n; i++)
		if (st->hash[i] == h)
			return 1;
	if (st->n == W_ARRAY_LEN(st->hash))
		return 0;
	for (i = 0; i < st->nseen && i < W_ARRAY_LEN(st->seen) && st->seen[i] != h; i++) {
	}
	if (i == st->nseen || i == W_ARRAY_LEN(st->seen)) {
		st->seen[st->nseen++ % W_ARRAY_LEN(st->seen)] = h;
		return 0;
	}
	p = PQprepare(c, name, sql, n, NULL);
	ok = PQresultStatus(p) == PGRES_COMMAND_OK;
	PQclear(p);
	if (ok)
		st->hash[st->n++] = h;
	return ok;
}

/* d->err and d->state from a failed result (or the connection when there is none). */
static void fail(struct db *d, const PGresult *r)
{
	const char *st = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	const char *con = r != NULL ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *primary = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	set_err(d, r != NULL && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) :
	    PQerrorMessage(d->pg));
	snprintf(d->state, sizeof(d->state), "%s", st != NULL ? st : "");
	snprintf(d->constraint, sizeof(d->constraint), "%s", con != NULL ? con : "");
	if (primary != NULL)
		snprintf(d->primary, sizeof(d->primary), "%s", primary);
}

static PGresult *run_once(struct db *d, const char *sql, int n, const char *const *params,
    const int *lengths, const int *formats, int flags)
{
	char name[24];
	int fmt = (flags & DB_BINARY) ? 1 : 0;

	if (!(flags & DB_ONCE) && lengths == NULL && prepared(d->pg, sql, n, name))
		return PQexecPrepared(d->pg, name, n, params, NULL, NULL, fmt);
	return PQexecParams(d->pg, sql, n, NULL, params, lengths, formats, fmt);
}

static int result_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

static PGresult *run(struct db *d, const char *sql, int n, const char *const *params,
    const int *lengths, const int *formats, int flags)
{
	PGresult *r;
	int idle;

	if (d->pg == NULL && (!d->reconnect || db_open(d) != WS_OK)) {
		if (d->pg == NULL && !d->reconnect)
			set_err(d, "not connected");
		return NULL;
	}
	idle = PQtransactionStatus(d->pg) == PQTRANS_IDLE;
	r = run_once(d, sql, n, params, lengths, formats, flags);
	if (result_ok(r))
		return r;
	/* A server restarted since the last statement: nothing of this one took effect (no
	 * transaction was open, and the connection broke), so one fresh try is safe. */
	if (d->reconnect && idle && db_lost(d)) {
		PQclear(r);
		if (db_open(d) != WS_OK)
			return NULL;
		r = run_once(d, sql, n, params, lengths, formats, flags);
		if (result_ok(r))
			return r;
	}
	fail(d, r);
	PQclear(r);
	return NULL;
}

PGresult *db_run(struct db *d, const char *sql, int n, const char *const *params, int flags)
{
	return run(d, sql, n, params, NULL, NULL, flags);
}

PGresult *db_run_lens(struct db *d, const char *sql, int n, const char *const *params,
    const int *lengths, const int *formats)
{
	return run(d, sql, n, params, lengths, formats, DB_ONCE);
}

int db_do(struct db *d, const char *sql, int n, const char *const *params)
{
	PGresult *r = db_run(d, sql, n, params, 0);

	PQclear(r);
	return r != NULL ? WS_OK : WS_EDB;
}

int db_script(struct db *d, const char *sql)
{
	PGresult *r;
	int rc = WS_OK;

	if (d->pg == NULL) {
		set_err(d, "not connected");
		return WS_EDB;
	}
	r = PQexec(d->pg, sql);
	if (!result_ok(r)) {
		fail(d, r);
		rc = WS_EDB;
	}
	PQclear(r);
	return rc;
}

int db_begin(struct db *d)
{
	if (d->reconnect && db_open(d) != WS_OK)
		return WS_EDB;
	return db_script(d, "BEGIN");
}

int db_commit(struct db *d)
{
	return db_script(d, "COMMIT");
}

void db_rollback(struct db *d)
{
	char keep[sizeof(d->err)];

	/* The reason the transaction failed is what the caller reports, not this. */
	memcpy(keep, d->err, sizeof(keep));
	if (d->pg != NULL && PQtransactionStatus(d->pg) != PQTRANS_IDLE)
		db_script(d, "ROLLBACK");
	memcpy(d->err, keep, sizeof(keep));
}

int db_failed_with(const struct db *d, const char *sqlstate)
{
	return strcmp(d->state, sqlstate) == 0;
}

int db_cols(struct db *d, const PGresult *r, const char *const *names, int *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cols[i] = PQfnumber(r, names[i]);
		if (cols[i] < 0) {
			snprintf(d->err, sizeof(d->err), "database: the statement has no column '%s'",
			    names[i]);
			return WS_EINVAL;
		}
	}
	return WS_OK;
}

const char *db_val(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int is_migration(const char *name)
{
	size_t n = strlen(name);

	return n > 7 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' &&
	    name[2] >= '0' && name[2] <= '9' && name[3] == '_' &&
	    strcmp(name + n - 4, ".sql") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted list of migration file names in dir; the caller frees each and the array. */
static int list_migrations(const char *dir, char ***names, size_t *count, char *err,
    size_t errlen)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL, **nv;
	size_t n = 0;
	int rc = WS_OK;

	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: cannot open the migrations directory", dir);
		return WS_EIO;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_migration(e->d_name))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (nv == NULL || (nv[n] = strdup(e->d_name)) == NULL) {
			v = nv ? nv : v;
			rc = WS_ENOMEM;
			break;
		}
		v = nv;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return rc;
}

static int read_whole(const char *path, struct wbuf *b)
{
	FILE *f = fopen(path, "r");
	char chunk[8192];
	size_t n;
	int rc = WS_OK;

	if (f == NULL)
		return WS_EIO;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wbuf_put(b, chunk, n);
	if (ferror(f) || b->err)
		rc = WS_EIO;
	fclose(f);
	return rc;
}

static int already_applied(struct db *d, const char *name, int *yes)
{
	const char *params[1] = { name };
	PGresult *r = db_run(d, "SELECT 1 FROM schema_migrations WHERE name = $1", 1, params, 0);

	if (r == NULL)
		return WS_EDB;
	*yes = PQntuples(r) > 0;
	PQclear(r);
	return WS_OK;
}

/* Applies one file unless recorded; *applied is set when it was applied now. */
static int apply_one(struct db *d, const char *dir, const char *name, int verbose, int *applied)
{
	char path[4096];
	const char *params[1] = { name };
	struct wbuf sql;
	int rc, done = 0;

	*applied = 0;
	wbuf_init(&sql);
	rc = already_applied(d, name, &done);
	if (rc != WS_OK || done)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_whole(path, &sql) != WS_OK) {
		snprintf(d->err, sizeof(d->err), "%.400s: cannot read", path);
		rc = WS_EIO;
		goto out;
	}
	rc = db_begin(d);
	if (rc == WS_OK)
		rc = db_script(d, wbuf_cstr(&sql));
	if (rc == WS_OK)
		rc = db_do(d, "INSERT INTO schema_migrations (name) VALUES ($1)", 1, params);
	if (rc == WS_OK)
		rc = db_commit(d);
	if (rc != WS_OK) {
		char why[sizeof(d->err)];

		db_rollback(d);
		snprintf(why, sizeof(why), "%s", d->err);
		snprintf(d->err, sizeof(d->err), "%.200s: %.300s", path, why);
		one_line(d->err);
		goto out;
	}
	*applied = 1;
	if (verbose)
		wlog("migrate: applied %s", name);
out:
	wbuf_free(&sql);
	return rc;
}

int db_migrate(struct db *d, const char *dir, int verbose, int *applied, int *total)
{
	char **names = NULL, lock[128];
	size_t n = 0, i;
	int rc, locked = 0, now;

	*applied = *total = 0;
	rc = list_migrations(dir, &names, &n, d->err, sizeof(d->err));
	if (rc != WS_OK)
		goto out;
	*total = (int)n;
	/* A mistyped --sql-dir must not read as "up to date (0 migrations)". */
	if (n == 0) {
		snprintf(d->err, sizeof(d->err), "%s: no migrations (NNN_name.sql) there", dir);
		rc = WS_EIO;
		goto out;
	}
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_lock(%d)", DB_MIGRATION_LOCK);
	rc = db_script(d, lock);
	if (rc != WS_OK)
		goto out;
	locked = 1;
	/* A notice from IF NOT EXISTS on every later run would only be noise. */
	rc = db_script(d, "SET client_min_messages = warning;"
			  " CREATE TABLE IF NOT EXISTS schema_migrations ("
			  " name text PRIMARY KEY,"
			  " applied_at timestamptz NOT NULL DEFAULT now());"
			  " RESET client_min_messages");
	for (i = 0; i < n && rc == WS_OK; i++) {
		rc = apply_one(d, dir, names[i], verbose, &now);
		*applied += now;
	}
out:
	if (locked) {
		char keep[sizeof(d->err)];

		memcpy(keep, d->err, sizeof(keep));
		snprintf(lock, sizeof(lock), "SELECT pg_advisory_unlock(%d)", DB_MIGRATION_LOCK);
		db_script(d, lock);
		memcpy(d->err, keep, sizeof(keep));
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
