#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"

static int cmd_migrate(const struct conf *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sql-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = DB_DEFAULT_SQL_DIR;
	PGconn *conn = NULL;
	char err[1024];
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			printf("usage: worldsctl migrate [--sql-dir DIR]\n"
			       "Applies the numbered migrations in DIR (default %s) that the\n"
			       "database has not seen yet, each in one transaction.\n",
			    DB_DEFAULT_SQL_DIR);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "worldsctl migrate: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (db_connect(c->database_url, &conn, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl migrate: %s\n", err);
		return 1;
	}
	rc = db_migrate(conn, dir, 1, err, sizeof(err));
	if (rc != WS_OK)
		fprintf(stderr, "worldsctl migrate: %s\n", err);
	db_close(&conn);
	return rc == WS_OK ? 0 : 1;
}

const struct wcmd db_ctl_cmds[] = {
	{ "migrate", cmd_migrate, "apply database migrations" },
	{ NULL, NULL, NULL },
};
