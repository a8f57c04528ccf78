/* gen ctl: `worldsctl check FILE|-`, which proves a document's invariants. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "conf/conf.h"
#include "gen/gen.h"

static int read_all(FILE *f, struct wbuf *b)
{
	char tmp[1 << 16];
	size_t n;

	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		wbuf_put(b, tmp, n);
	return ferror(f) || b->err ? WS_EIO : WS_OK;
}

static void print_violation(void *ctx, const char *id, const char *msg)
{
	(void)ctx;
	printf("%s: %s\n", id, msg);
}

static int cmd_check(const struct conf *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_tokener *tok = NULL;
	struct json_object *doc = NULL;
	struct wbuf b;
	FILE *f = NULL;
	size_t bad;
	int ch, status = 2;

	(void)c;
	wbuf_init(&b);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			printf("usage: worldsctl check FILE|-\n"
			       "Proves every invariant of a manifest document (see world-model(7) in\n"
			       "docs/world-model.md) and prints each violation as 'ENTITY_ID: what'.\n"
			       "Exit 0 when it holds, 1 when anything is violated, 2 when unreadable.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "worldsctl check: expected one FILE (or - for standard input)\n");
		return 2;
	}
	f = strcmp(argv[optind], "-") == 0 ? stdin : fopen(argv[optind], "rb");
	if (f == NULL) {
		fprintf(stderr, "worldsctl check: cannot open %s\n", argv[optind]);
		goto out;
	}
	if (read_all(f, &b) != WS_OK) {
		fprintf(stderr, "worldsctl check: cannot read %s\n", argv[optind]);
		goto out;
	}
	tok = json_tokener_new_ex(64);
	if (tok == NULL)
		goto out;
	doc = json_tokener_parse_ex(tok, b.p ? b.p : "", (int)b.len);
	if (doc == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != b.len) {
		fprintf(stderr, "worldsctl check: %s is not one JSON document\n", argv[optind]);
		status = 1;
		goto out;
	}
	bad = gen_check_document(doc, print_violation, NULL);
	if (bad > 0)
		fprintf(stderr, "worldsctl check: %zu violation%s\n", bad, bad == 1 ? "" : "s");
	status = bad > 0 ? 1 : 0;
out:
	if (f != NULL && f != stdin)
		fclose(f);
	json_object_put(doc);
	if (tok != NULL)
		json_tokener_free(tok);
	wbuf_free(&b);
	return status;
}

const struct wcmd gen_ctl_cmds[] = {
	{ "check", cmd_check, "prove a manifest document's invariants (FILE or -)" },
	{ NULL, NULL, NULL },
};
