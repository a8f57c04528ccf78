/* worldsctl: the administrator's tool. Subcommands live in the modules that own them. */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "conf/conf.h"
#include "db/db.h"
#include "gen/gen.h"
#include "jobs/jobs.h"
#include "util/util.h"

static void usage(FILE *out, const struct wcmd *const *tables, size_t ntables)
{
	size_t t;
	const struct wcmd *c;

	fprintf(out, "usage: worldsctl [--config FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (t = 0; t < ntables; t++)
		for (c = tables[t]; c->name != NULL; c++)
			fprintf(out, "  %-22s %s\n", c->name, c->summary);
	fprintf(out, "\n'worldsctl COMMAND --help' describes one command.\n");
}

/* How many leading words of argv spell name ("token issue" is two words). */
static int match_words(const char *name, int argc, char **argv)
{
	int used = 0;
	size_t len;

	while (*name != '\0') {
		len = strcspn(name, " ");
		if (used >= argc || strlen(argv[used]) != len || strncmp(argv[used], name, len) != 0)
			return 0;
		used++;
		name += len;
		while (*name == ' ')
			name++;
	}
	return used;
}

int main(int argc, char **argv)
{
	const struct wcmd *const tables[] = { db_ctl_cmds, auth_ctl_cmds, gen_ctl_cmds,
	    jobs_ctl_cmds };
	const size_t ntables = W_ARRAY_LEN(tables);
	const char *config = NULL;
	struct conf conf;
	char err[2048];
	int i = 1, best = 0;
	size_t t;
	const struct wcmd *c, *found = NULL;

	if (i < argc && strcmp(argv[i], "--config") == 0) {
		if (i + 1 >= argc) {
			fprintf(stderr, "worldsctl: --config needs a file\n");
			return 2;
		}
		config = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
		usage(i >= argc ? stderr : stdout, tables, ntables);
		return i >= argc ? 2 : 0;
	}
	if (strcmp(argv[i], "--version") == 0) {
		printf("worldsctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (t = 0; t < ntables; t++) {
		for (c = tables[t]; c->name != NULL; c++) {
			int used = match_words(c->name, argc - i, argv + i);

			if (used > best) {
				best = used;
				found = c;
			}
		}
	}
	if (found == NULL) {
		fprintf(stderr, "worldsctl: unknown command '%s' (see worldsctl --help)\n", argv[i]);
		return 2;
	}
	if (conf_load(&conf, config, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl: %s\n", err);
		return 2;
	}
	/* The command sees its own name as argv[0], like a program of its own. */
	argv[i + best - 1] = (char *)found->name;
	return found->run(&conf, argc - i - best + 1, argv + i + best - 1);
}
