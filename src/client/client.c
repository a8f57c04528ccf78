/*
 * The program's flow: global options, the verb, its options, the settings, then the
 * verb's one or few requests. Every usage mistake ends here with exit status 2 before
 * anything is sent.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/internal.h"

static const struct exit_row {
	int value;
	const char *text;
} exits[] = {
#define CLIENT_EXIT_ROW(name, value, text) { value, text },
	CLIENT_EXITS(CLIENT_EXIT_ROW)
#undef CLIENT_EXIT_ROW
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: worlds [OPTIONS] VERB [ARGS] [OPTIONS]\n\n"
	    "The command-line client of a worlds server: synthetic Active Directory worlds and\n"
	    "attack-path trajectories, made as jobs. Options go before or after the verb.\n\n"
	    "verbs:\n");
	for (i = 0; i < client_nverbs; i++) {
		fprintf(f, "  %-19s ", client_verbs[i].name);
		args_wrap(f, 22, 22, client_verbs[i].summary);
	}
	fprintf(f, "\noptions:\n");
	args_help(f, client_globals, G_COUNT);
	fputc('\n', f);
	settings_help(f);
	fprintf(f, "\nexit status:\n");
	for (i = 0; i < W_ARRAY_LEN(exits); i++) {
		fprintf(f, "  %3d  ", exits[i].value);
		args_wrap(f, 7, 7, exits[i].text);
	}
	fprintf(f, "\n'worlds VERB --help' describes one verb; worlds(1) has the rest.\n");
}

static void verb_usage(FILE *f, const struct verb *v)
{
	fprintf(f, "usage: worlds [OPTIONS] %s%s%s%s\n\n%s.\n", v->name, v->synopsis[0] ? " " : "",
	    v->synopsis, v->nflags ? " [VERB OPTIONS]" : "", v->summary);
	if (v->help_extra != NULL)
		fprintf(f, "\n%s", v->help_extra);
	if (v->nflags > 0) {
		fprintf(f, "\nverb options:\n");
		args_help(f, v->flags, v->nflags);
	}
	fprintf(f, "\nThe global options (--server, --token, --json, ...): worlds --help.\n");
}

/* The verb's words and options; exit status 2 after a message, or -1 to go on. */
static int parse(struct client *c, int argc, char **argv, struct argset *s,
    const struct verb **verb)
{
	char err[512];
	int next;

	if (args_parse(s, argc, argv, 1, 1, &next, err, sizeof(err)) != WS_OK) {
		fprintf(c->err, "worlds: %s (worlds --help)\n", err);
		return CLIENT_EXIT_USAGE;
	}
	if (s->val[0][G_VERSION].set) {
		fprintf(c->out, "worlds %s\n", PACKAGE_VERSION);
		return CLIENT_EXIT_OK;
	}
	if (next >= argc) {
		usage(s->val[0][G_HELP].set ? c->out : c->err);
		return s->val[0][G_HELP].set ? CLIENT_EXIT_OK : CLIENT_EXIT_USAGE;
	}
	*verb = client_verb_find(argv[next]);
	if (*verb == NULL) {
		fprintf(c->err, "worlds: unknown verb '%.100s' (worlds --help lists them)\n",
		    argv[next]);
		return CLIENT_EXIT_USAGE;
	}
	s->val[1] = calloc((*verb)->nflags + 1, sizeof(struct flag_val));
	if (s->val[1] == NULL) {
		fprintf(c->err, "worlds: out of memory\n");
		return CLIENT_EXIT_USAGE;
	}
	s->table[1] = (*verb)->flags;
	s->ntable[1] = (*verb)->nflags;
	s->maxpos = (*verb)->npos;
	if (args_parse(s, argc, argv, next + 1, 0, NULL, err, sizeof(err)) != WS_OK) {
		fprintf(c->err, "worlds: %s: %s (worlds %s --help)\n", (*verb)->name, err,
		    (*verb)->name);
		return CLIENT_EXIT_USAGE;
	}
	if (s->val[0][G_HELP].set) {
		verb_usage(c->out, *verb);
		return CLIENT_EXIT_OK;
	}
	if (s->npos < (*verb)->npos) {
		fprintf(c->err, "worlds: %s: %s is missing (worlds %s --help)\n", (*verb)->name,
		    (*verb)->synopsis, (*verb)->name);
		return CLIENT_EXIT_USAGE;
	}
	return -1;
}

static int run(struct client *c, int argc, char **argv)
{
	struct flag_val gv[G_COUNT];
	const char *pos[4];
	struct argset s = { { client_globals, NULL }, { G_COUNT, 0 }, { gv, NULL }, pos,
		W_ARRAY_LEN(pos), 0 };
	const struct verb *verb = NULL;
	struct verb_args a;
	char err[CLIENT_URL_MAX + 512];
	int rc;

	memset(gv, 0, sizeof(gv));
	rc = parse(c, argc, argv, &s, &verb);
	if (rc >= 0)
		goto out;
	rc = CLIENT_EXIT_USAGE;
	if (settings_resolve(c, gv, verb->needs_ws, err, sizeof(err)) != WS_OK) {
		fprintf(c->err, "worlds: %s\n", err);
		goto out;
	}
	if (net_open(c, err, sizeof(err)) != WS_OK) {
		fprintf(c->err, "worlds: %s\n", err);
		goto out;
	}
	a.verb = verb;
	a.val = s.val[1];
	a.pos = pos;
	a.npos = s.npos;
	rc = verb->run(c, &a);
out:
	args_free(&s);
	free(s.val[1]);
	return rc;
}

int client_main(int argc, char **argv, volatile sig_atomic_t *interrupted)
{
	struct client *c = calloc(1, sizeof(*c));
	int rc;

	if (c == NULL) {
		fprintf(stderr, "worlds: out of memory\n");
		return CLIENT_EXIT_USAGE;
	}
	c->out = stdout;
	c->err = stderr;
	c->err_tty = isatty(STDERR_FILENO);
	c->interrupted = interrupted;
	rc = run(c, argc, argv);
	/* What a pipe or a full disk refused is a failure too, not a silent truncation. */
	if (fflush(c->out) != 0 || ferror(c->out)) {
		fprintf(c->err, "worlds: cannot write the output\n");
		if (rc == CLIENT_EXIT_OK)
			rc = CLIENT_EXIT_USAGE;
	}
	net_close(c);
	memset(c->token, 0, sizeof(c->token));
	free(c);
	return rc;
}
