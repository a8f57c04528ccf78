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
	struct db d;
	int ch, rc, applied = 0, total = 0;

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
	db_init(&d, c->database_url, 0);
	if (db_open(&d) != WS_OK) {
		fprintf(stderr, "worldsctl migrate: %s\n", d.err);
		return 1;
	}
	rc = db_migrate(&d, dir, 1, &applied, &total);
	if (rc != WS_OK)
		fprintf(stderr, "worldsctl migrate: %s\n", d.err);
	else if (applied == 0)
		printf("worldsctl migrate: up to date (%d migrations)\n", total);
	else
		printf("worldsctl migrate: applied %d of %d migrations\n", applied, total);
	db_close(&d);
	return rc == WS_OK ? 0 : 1;
}

const struct wcmd db_ctl_cmds[] = {
	{ "migrate", cmd_migrate, "apply database migrations" },
	{ NULL, NULL, NULL },
};
