/*
 * db: PostgreSQL connections, the one way statements are run, and migrations. Every
 * statement of the code base goes through db_run (parameters only, prepared once per
 * connection); failures come back one way: NULL or WS_EDB, and the reason in d->err.
 */
#ifndef WORLDS_DB_H
#define WORLDS_DB_H

#include <stddef.h>

#include <libpq-fe.h>

#include "util/util.h"

#define DB_DEFAULT_SQL_DIR PKGDATADIR "/sql"

/* One connection and what it takes to open it again. */
struct db {
	PGconn *pg;         /* NULL while not connected */
	const char *url;    /* the conninfo, borrowed (the configuration's database_url) */
	int reconnect;      /* db_run may open a lost connection again and retry (see there) */
	char err[512];      /* why the last call failed, one line */
	char state[6];      /* its SQLSTATE ("" when the server gave none), e.g. 23505 */
	char constraint[64]; /* the constraint it broke, "" when none */
	char primary[256];  /* the server's primary message alone (for people), else err's */
};

/*
 * Sets d up for url (nothing is connected yet). reconnect: see db_run. A generator must
 * not reconnect: its advisory locks die with its session, and a job run on without them
 * could be run twice.
 */
void db_init(struct db *d, const char *url, int reconnect);
/* Connects unless d holds a healthy connection: WS_OK, or WS_EDB with d->err. Sessions
 * speak UTC and ISO dates, so timestamps need no formatting in SQL. */
int db_open(struct db *d);
/* Closes the connection (d stays usable: db_open or db_run connect again). */
void db_close(struct db *d);
/* 1 when the connection is gone (never opened, closed, or broken by the server; d NULL). */
int db_lost(const struct db *d);

/* db_run flags. */
#define DB_BINARY 1 /* results in binary format: bytea comes back as its bytes */
#define DB_ONCE 2   /* a text seen once (dynamic names, utility statements): not prepared */

/*
 * Runs one parameterised statement and returns its result (rows or command status; the
 * caller PQclears it), or NULL with d->err. Each distinct text is prepared once per
 * connection and then only executed. With d->reconnect, a closed connection is opened
 * first, and when the statement finds the connection broken while no transaction was
 * open, it is opened again and the statement tried once more: a connection that died
 * between two requests (a restarted server) costs nobody an error.
 */
PGresult *db_run(struct db *d, const char *sql, int n, const char *const *params, int flags);
/* db_run when the result is not read: WS_OK or WS_EDB. */
int db_do(struct db *d, const char *sql, int n, const char *const *params);
/* One statement with parameters of explicit lengths and formats (binary uploads). */
PGresult *db_run_lens(struct db *d, const char *sql, int n, const char *const *params,
    const int *lengths, const int *formats);
/* Transactions: BEGIN (after db_open), COMMIT, ROLLBACK (harmless when none is open). */
int db_begin(struct db *d);
int db_commit(struct db *d);
void db_rollback(struct db *d);
/* Several statements in one text, no parameters (scripts, session settings). */
int db_script(struct db *d, const char *sql);

/* 1 when the last failure was this SQLSTATE ("57014": cancelled, "23505": unique). */
int db_failed_with(const struct db *d, const char *sqlstate);

/*
 * Result columns by name: db_cols resolves names[0..n) once per result into cols, and
 * WS_EINVAL (with d->err naming the column) when the statement lacks one, so that a
 * renamed column fails loudly instead of reading a neighbour.
 */
int db_cols(struct db *d, const PGresult *r, const char *const *names, int *cols, size_t n);
/* A column's value, NULL for SQL NULL. */
const char *db_val(const PGresult *r, int row, int col);

/*
 * Applies every NNN_name.sql in dir not yet recorded in schema_migrations, in order, each
 * in its own transaction, under an advisory lock. Running it again does nothing. *applied
 * gets how many were applied now, *total how many the directory holds. Prints one line
 * per applied file to stderr when verbose. A directory without migrations is WS_EIO.
 */
int db_migrate(struct db *d, const char *dir, int verbose, int *applied, int *total);

/* worldsctl migrate [--sql-dir DIR] */
extern const struct wcmd db_ctl_cmds[];

#endif
