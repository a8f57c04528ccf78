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

/* The statements prepared on one connection, kept as libpq instance data so they die
 * with the connection and a new connection starts with none. */
struct db_stmts {
	uint64_t hash[128];
	size_t n;
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
			st->n = 0;
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

PGresult *db_query(PGconn *conn, const char *sql, int nparams, const char *const *params,
    int result_format)
{
	struct db_stmts *st = PQinstanceData(conn, db_event);
	uint64_t h;
	char name[24];
	size_t i;

	if (st == NULL)
		return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, result_format);
	h = sql_hash(sql);
	snprintf(name, sizeof(name), "w%016llx", (unsigned long long)h);
	for (i = 0; i < st->n && st->hash[i] != h; i++) {
	}
	if (i == st->n) {
		PGresult *p;
		int ok;

		if (st->n == W_ARRAY_LEN(st->hash))
			return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL,
			    result_format);
		p = PQprepare(conn, name, sql, nparams, NULL);
		ok = PQresultStatus(p) == PGRES_COMMAND_OK;
		PQclear(p);
		if (!ok)
			return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL,
			    result_format);
		st->hash[st->n++] = h;
	}
	return PQexecPrepared(conn, name, nparams, params, NULL, NULL, result_format);
}

int db_connect(const char *url, PGconn **out, char *err, size_t errlen)
{
	PGconn *c;

	*out = NULL;
	c = PQconnectdb(url);
	if (c == NULL) {
		snprintf(err, errlen, "database: out of memory");
		return WS_EDB;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "database: %s", PQerrorMessage(c));
		one_line(err);
		PQfinish(c);
		return WS_EDB;
	}
	/* Every session speaks UTC and ISO dates, so timestamps need no SQL formatting. */
	if (db_exec(c, "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'", err, errlen) != WS_OK) {
		PQfinish(c);
		return WS_EDB;
	}
	track_statements(c);
	*out = c;
	return WS_OK;
}

int db_ensure(const char *url, PGconn **conn)
{
	char err[512];

	if (*conn != NULL && PQstatus(*conn) == CONNECTION_OK)
		return WS_OK;
	db_close(conn);
	return db_connect(url, conn, err, sizeof(err));
}

void db_close(PGconn **conn)
{
	if (*conn != NULL)
		PQfinish(*conn);
	*conn = NULL;
}

int db_conn_lost(PGconn *conn)
{
	return conn == NULL || PQstatus(conn) != CONNECTION_OK;
}

int db_exec(PGconn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(conn, sql);
	int rc = WS_OK;
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		one_line(err);
		rc = WS_EDB;
	}
	PQclear(r);
	return rc;
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

static int already_applied(PGconn *conn, const char *name, int *yes, char *err, size_t errlen)
{
	const char *params[1] = { name };
	PGresult *r;
	int rc = WS_OK;

	r = PQexecParams(conn, "SELECT 1 FROM schema_migrations WHERE name = $1", 1, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		one_line(err);
		rc = WS_EDB;
	} else {
		*yes = PQntuples(r) > 0;
	}
	PQclear(r);
	return rc;
}

static int apply_one(PGconn *conn, const char *dir, const char *name, int verbose, char *err,
    size_t errlen)
{
	char path[4096], msg[512];
	const char *params[1] = { name };
	struct wbuf sql;
	PGresult *r = NULL;
	int rc, done = 0;

	wbuf_init(&sql);
	rc = already_applied(conn, name, &done, err, errlen);
	if (rc != WS_OK || done)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_whole(path, &sql) != WS_OK) {
		snprintf(err, errlen, "%s: cannot read", path);
		rc = WS_EIO;
		goto out;
	}
	rc = db_exec(conn, "BEGIN", msg, sizeof(msg));
	if (rc == WS_OK)
		rc = db_exec(conn, wbuf_cstr(&sql), msg, sizeof(msg));
	if (rc == WS_OK) {
		r = PQexecParams(conn, "INSERT INTO schema_migrations (name) VALUES ($1)", 1, NULL,
		    params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
			rc = WS_EDB;
		}
	}
	if (rc == WS_OK)
		rc = db_exec(conn, "COMMIT", msg, sizeof(msg));
	if (rc != WS_OK) {
		char ignored[64];

		db_exec(conn, "ROLLBACK", ignored, sizeof(ignored));
		snprintf(err, errlen, "%s: %s", path, msg);
		one_line(err);
		goto out;
	}
	if (verbose)
		wlog("migrate: applied %s", name);
out:
	PQclear(r);
	wbuf_free(&sql);
	return rc;
}

int db_migrate(PGconn *conn, const char *dir, int verbose, char *err, size_t errlen)
{
	char **names = NULL, lock[128];
	size_t n = 0, i;
	int rc, locked = 0;

	rc = list_migrations(dir, &names, &n, err, errlen);
	if (rc != WS_OK)
		goto out;
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_lock(%d)", DB_MIGRATION_LOCK);
	rc = db_exec(conn, lock, err, errlen);
	if (rc != WS_OK)
		goto out;
	locked = 1;
	rc = db_exec(conn,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " name text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now())",
	    err, errlen);
	for (i = 0; i < n && rc == WS_OK; i++)
		rc = apply_one(conn, dir, names[i], verbose, err, errlen);
out:
	if (locked) {
		char ignored[64];

		snprintf(lock, sizeof(lock), "SELECT pg_advisory_unlock(%d)", DB_MIGRATION_LOCK);
		db_exec(conn, lock, ignored, sizeof(ignored));
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
