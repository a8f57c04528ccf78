/*
 * db: PostgreSQL connections and migrations. Every statement elsewhere goes through
 * libpq with parameters; this module owns connecting, reconnecting and schema changes.
 */
#ifndef WORLDS_DB_H
#define WORLDS_DB_H

#include <stddef.h>

#include <libpq-fe.h>

#include "util/util.h"

#define DB_DEFAULT_SQL_DIR PKGDATADIR "/sql"

/* Opens a connection; WS_EDB with libpq's one-line reason in err on failure. */
int db_connect(const char *url, PGconn **out, char *err, size_t errlen);
/*
 * Makes sure *conn is usable: reconnects a missing or broken connection. Returns WS_OK, or
 * WS_EDB (and *conn stays NULL) while the database cannot be reached.
 */
int db_ensure(const char *url, PGconn **conn);
/* Closes and forgets the connection (NULL-safe). */
void db_close(PGconn **conn);
/*
 * Applies every NNN_name.sql in dir not yet recorded in schema_migrations, in order, each
 * in its own transaction, under an advisory lock. Running it again does nothing. Prints
 * one line per applied file to stderr when verbose.
 */
int db_migrate(PGconn *conn, const char *dir, int verbose, char *err, size_t errlen);
/*
 * PQexecParams with a memory: each distinct statement text is prepared once per
 * connection (named after a hash of the text) and then only executed, so hot queries are
 * parsed and planned once. Works for connections made by db_connect; for others it is
 * plain PQexecParams. resultFormat 1 asks for binary results.
 */
PGresult *db_query(PGconn *conn, const char *sql, int nparams, const char *const *params,
    int result_format);
/* True when the last result failed because the connection itself is gone. */
int db_conn_lost(PGconn *conn);
/* Runs a parameterless command; WS_EDB with the server's message in err on failure. */
int db_exec(PGconn *conn, const char *sql, char *err, size_t errlen);

/* worldsctl migrate [--sql-dir DIR] */
extern const struct wcmd db_ctl_cmds[];

#endif
