/*
 * client: option parsing and its messages, request bodies and query strings built from
 * the flag tables, the error envelope's rendering, the progress line and its ETA,
 * settings from flags, environment and client.conf, and the exit codes of worlds(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/internal.h"
#include "tap.h"


/* Parses words (NULL-terminated) for verb v: the verb's flags and the globals. */
struct parsed {
	struct flag_val gv[G_COUNT];
	struct flag_val vv[32];
	const char *pos[4];
	struct argset s;
	char err[512];
	int rc;
};

static void parse(struct parsed *p, const struct verb *v, const char **words)
{
	char *argv[32];
	int argc = 0;

	memset(p, 0, sizeof(*p));
	argv[argc++] = (char *)"worlds";
	while (*words != NULL && argc < 31)
		argv[argc++] = (char *)*words++;
	argv[argc] = NULL;
	p->s.table[0] = client_globals;
	p->s.ntable[0] = G_COUNT;
	p->s.val[0] = p->gv;
	p->s.table[1] = v->flags;
	p->s.ntable[1] = v->nflags;
	p->s.val[1] = p->vv;
	p->s.pos = p->pos;
	p->s.maxpos = v->npos;
	p->rc = args_parse(&p->s, argc, argv, 1, 0, NULL, p->err, sizeof(p->err));
}

static void test_args(struct tap *t)
{
	const struct verb *mc = client_verb_find("manifest-create"), *jw = client_verb_find("job-wait");
	struct parsed p;
	struct verb_args a;
	struct wbuf b;

	parse(&p, mc, (const char *[]){ "--num-users", "abc", NULL });
	tap_int(t, p.rc, WS_EINVAL, "a bad number is refused");
	tap_str(t, p.err, "--num-users: expected a whole number, got 'abc'", "naming the flag");
	args_free(&p.s);
	parse(&p, mc, (const char *[]){ "--seed", "99999999999999999999", NULL });
	tap_str(t, p.err, "--seed: expected a whole number, got '99999999999999999999'",
	    "past 64 bits is not a number");
	args_free(&p.s);
	parse(&p, mc, (const char *[]){ "--nope", NULL });
	tap_str(t, p.err, "unknown option '--nope'", "an unknown option is named");
	args_free(&p.s);
	parse(&p, mc, (const char *[]){ "--name", NULL });
	tap_str(t, p.err, "--name needs a value (TEXT)", "a missing value is named");
	args_free(&p.s);
	parse(&p, mc, (const char *[]){ "--wait=yes", NULL });
	tap_str(t, p.err, "--wait takes no value", "a switch takes no value");
	args_free(&p.s);
	parse(&p, mc, (const char *[]){ "extra", NULL });
	tap_str(t, p.err, "unexpected argument 'extra'", "a word too many is named");
	args_free(&p.s);
	parse(&p, jw, (const char *[]){ "ID", "--poll-interval-sec", "0", NULL });
	tap_str(t, p.err, "--poll-interval-sec: expected a number of seconds above 0, got '0'",
	    "a poll interval of 0 is refused");
	args_free(&p.s);
	parse(&p, jw, (const char *[]){ "--timeout-sec=1.5", "--", "-ID", NULL });
	tap_int(t, p.rc, WS_OK, "fractions of seconds, --opt=value, and -- before a word");
	tap_ok(t, p.vv[1].set && p.vv[1].secs == 1.5 && p.s.npos == 1 &&
	    strcmp(p.pos[0], "-ID") == 0, "their values");
	args_free(&p.s);

	parse(&p, mc, (const char *[]){ "--json", "--seed=-5", "--name", "n\"1", "--domain",
	    "a.example", "--num-users", "10", "--domain", "b.example", "-q", "--wait", NULL });
	tap_int(t, p.rc, WS_OK, "globals and verb flags mixed, in any order");
	tap_ok(t, p.gv[G_JSON].set && p.gv[G_QUIET].set, "the globals are seen");
	a.verb = mc;
	a.val = p.vv;
	a.pos = p.pos;
	a.npos = p.s.npos;
	wbuf_init(&b);
	tap_int(t, verb_body(&a, &b), WS_OK, "the body is built");
	tap_str(t, wbuf_cstr(&b),
	    "{\"name\":\"n\\\"1\",\"seed\":-5,\"num_users\":10,\"domains\":[\"a.example\",\"b.example\"]}",
	    "the body has the set flags' fields only, --domain as a list, numbers as numbers");
	tap_ok(t, verb_flag(&a, "--wait")->set && !verb_flag(&a, "--idempotency-key")->set,
	    "verb_flag reads a verb's flag");
	args_free(&p.s);
	wbuf_free(&b);

	parse(&p, client_verb_find("job-list"), (const char *[]){ "--status", "running", "--kind", "a b&c=d",
	    NULL });
	a.verb = client_verb_find("job-list");
	a.val = p.vv;
	wbuf_init(&b);
	verb_query(&a, &b);
	tap_str(t, wbuf_cstr(&b), "?status=running&kind=a%20b%26c%3Dd&page_size=50",
	    "the query: set filters URL-encoded, page_size 50 by default");
	args_free(&p.s);
	wbuf_free(&b);
	parse(&p, client_verb_find("trajectory-list"), (const char *[]){ "--page-size", "7", "--page", "2", NULL });
	a.verb = client_verb_find("trajectory-list");
	a.val = p.vv;
	wbuf_init(&b);
	verb_query(&a, &b);
	tap_str(t, wbuf_cstr(&b), "?page=2&page_size=7", "an explicit page_size is kept");
	args_free(&p.s);
	wbuf_free(&b);
}

/* What out_error prints for this body. */
static void rendered(long status, const char *body, char *out, size_t n)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);

	out_error(f, "https://w.example", status, body, strlen(body));
	fclose(f);
	snprintf(out, n, "%s", p ? p : "");
	free(p);
}

static void test_errors(struct tap *t)
{
	char got[2048];

	rendered(422, "{\"code\":422,\"type\":\"validation_error\",\"detail\":\"2 validation errors\","
	    "\"errors\":[{\"loc\":[\"body\",\"num_users\"],\"msg\":\"Input should be less than or "
	    "equal to 50000\",\"type\":\"less_than_equal\"},{\"loc\":[\"body\",\"domains\",3],"
	    "\"msg\":\"bad\",\"type\":\"x\"}]}", got, sizeof(got));
	tap_str(t, got, "worlds: HTTP 422 validation_error: 2 validation errors\n"
	    "num_users: Input should be less than or equal to 50000\n"
	    "domains[3]: bad\n", "422: one line per field error, loc without body");
	rendered(422, "{\"code\":422,\"type\":\"validation_error\",\"detail\":\"d\",\"errors\":"
	    "[{\"loc\":[\"query\",\"page_size\"],\"msg\":\"m\",\"type\":\"t\"},{\"loc\":[\"body\"],"
	    "\"msg\":\"Invalid JSON\",\"type\":\"json_invalid\"}]}", got, sizeof(got));
	tap_str(t, got, "worlds: HTTP 422 validation_error: d\npage_size: m\nbody: Invalid JSON\n",
	    "a query parameter, and a loc of body alone");
	rendered(404, "{\"code\":404,\"type\":\"not_found_error\",\"detail\":\"Job not found\"}\n",
	    got, sizeof(got));
	tap_str(t, got, "worlds: HTTP 404 not_found_error: Job not found\n",
	    "404 without errors, nginx's trailing newline");
	rendered(503, "<html>busy\n</html>", got, sizeof(got));
	tap_str(t, got, "worlds: HTTP 503 from https://w.example, not the API's error envelope: "
	    "<html>busy </html>\n", "a body that is not the envelope, control characters blanked");
	rendered(401, "{\"code\":401,\"type\":\"token_error\",\"detail\":\"bad\\u001b[2J\"}", got,
	    sizeof(got));
	tap_str(t, got, "worlds: HTTP 401 token_error: bad [2J\n",
	    "an escape sequence from the server never reaches the terminal");
}

static void test_progress(struct tap *t)
{
	char line[256];

	progress_line(line, sizeof(line), 80, "1234abcd-0000", "running", 0.5, 12000, 12000);
	tap_str(t, line, "job 1234abcd [#################----------------]  50%  running   0:12  ETA 0:12",
	    "80 columns: bar, percent, status, elapsed, ETA");
	progress_line(line, sizeof(line), 40, "1234abcd", "queued", 0, 3723000, -1);
	tap_str(t, line, "job 1234abcd [----------]   0%  queued    1:02:03",
	    "narrow: the bar stays 10 wide; no ETA before progress moves; hours");
	progress_line(line, sizeof(line), 200, "1234abcd", "completed", 1.5, 0, -1);
	tap_str(t, line, "job 1234abcd [########################################] 100%  completed 0:00",
	    "wide: the bar stops at 40; progress clamped to 1");
	tap_int(t, progress_eta(0.1, 0, 0.1, 5000), -1, "no ETA while progress stands still");
	tap_int(t, progress_eta(0.2, 1000, 0.6, 5000), 4000, "ETA from the rate since the first sample");
	tap_int(t, progress_eta(0.0, 0, 1e-9, 1), 100LL * 3600 * 1000, "ETA capped at 100 h");
}

static void test_views(struct tap *t)
{
	struct json_object *o = json_tokener_parse(
	    "{\"a\":{\"b\":77135846},\"t\":\"2026-11-28T14:43:32.123456Z\",\"p\":0.456,"
	    "\"u\":{\"username\":\"al\",\"email\":\"al@x.io\"},\"l\":[\"x\",\"y\"],\"n\":null}");
	static const struct {
		const char *path;
		enum view_kind kind;
		int wide;
		const char *want, *what;
	} cases[] = {
		{ "a.b", V_BYTES, 1, "77.1 MB (77135846 bytes)", "a size in a summary" },
		{ "a.b", V_BYTES, 0, "77.1 MB", "a size in a table" },
		{ "t", V_TIME, 0, "2026-11-28 14:43:32Z", "a timestamp to the second" },
		{ "p", V_PERCENT, 0, "46%", "a percent" },
		{ "u", V_USER, 1, "al <al@x.io>", "a user" },
		{ "l", V_LIST, 0, "x, y", "a list" },
		{ "n", V_STR, 0, "", "null is empty" },
	};
	char buf[256];
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(cases); i++) {
		out_value(out_at(o, cases[i].path), cases[i].kind, cases[i].wide, buf, sizeof(buf));
		tap_str(t, buf, cases[i].want, cases[i].what);
	}
	tap_ok(t, out_at(o, "a.b.c") == NULL && out_at(o, "zz") == NULL, "absent paths are NULL");
	json_object_put(o);
}

/* settings_resolve with these flags set (NULL-terminated name, value pairs). */
static int resolve(struct client *c, int needs_ws, const char **flags, char *err, size_t n)
{
	struct flag_val gv[G_COUNT];
	size_t i, k;

	memset(gv, 0, sizeof(gv));
	memset(c, 0, sizeof(*c));
	for (k = 0; flags != NULL && flags[k] != NULL; k += 2) {
		for (i = 0; i < G_COUNT; i++) {
			if (strcmp(client_globals[i].name, flags[k]) == 0) {
				gv[i].set = 1;
				gv[i].str = flags[k + 1];
			}
		}
	}
	err[0] = '\0';
	return settings_resolve(c, gv, needs_ws, err, n);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_settings(struct tap *t)
{
	static struct client c; /* large: the token buffer */
	char dir[] = "/tmp/worlds-client-XXXXXX", conf[128], tok[256], err[2048];
	const char *none[] = { NULL };

	if (mkdtemp(dir) == NULL) {
		tap_ok(t, 0, "mkdtemp");
		return;
	}
	snprintf(conf, sizeof(conf), "%s/worlds/client.conf", dir);
	snprintf(tok, sizeof(tok), "%s/token", dir);
	snprintf(err, sizeof(err), "%s/worlds", dir);
	mkdir(err, 0700);
	write_file(tok, "  v4.public.from-file\n\n");
	unsetenv("WORLDS_SERVER"), unsetenv("WORLDS_TOKEN"), unsetenv("WORLDS_TOKEN_FILE");
	unsetenv("WORLDS_ORGANIZATION"), unsetenv("WORLDS_WORKSPACE"), unsetenv("WORLDS_CACERT");
	unsetenv("DREADNODE_ORGANIZATION"), unsetenv("DREADNODE_WORKSPACE");
	setenv("XDG_CONFIG_HOME", dir, 1);

	tap_int(t, resolve(&c, 1, none, err, sizeof(err)), WS_EINVAL, "no server: refused");
	tap_str(t, err, "no server: give --server URL or set WORLDS_SERVER", "saying how to give one");
	setenv("WORLDS_SERVER", "https://w.example:8443/api/v1/", 1);
	resolve(&c, 1, none, err, sizeof(err));
	tap_str(t, err, "no token: give --token TOKEN or --token-file FILE, or set WORLDS_TOKEN",
	    "no token: refused");
	snprintf(err, sizeof(err), "server = https://conf.example\n# a comment\n"
	    "token_file = %s\norganization = conf-org\nworkspace = conf-ws\nretries = 2\n", tok);
	write_file(conf, err);
	setenv("DREADNODE_ORGANIZATION", "dn-org", 1);
	tap_int(t, resolve(&c, 1, none, err, sizeof(err)), WS_OK, "client.conf and environment");
	tap_str(t, c.server, "https://w.example:8443", "WORLDS_SERVER beats the file; /api/v1/ dropped");
	tap_str(t, c.token, "v4.public.from-file", "the token file's word, blanks dropped");
	tap_str(t, c.org, "dn-org", "DREADNODE_ORGANIZATION when WORLDS_ORGANIZATION is unset");
	tap_str(t, c.ws, "conf-ws", "the file's workspace");
	tap_str(t, c.base, "/org/dn-org/ws/conf-ws/worlds", "the base path");
	tap_int(t, c.retries, 2, "the file's retries");
	setenv("WORLDS_ORGANIZATION", "w-org", 1);
	resolve(&c, 1, (const char *[]){ "--organization", "flag-org", "--token", "t0k", NULL }, err,
	    sizeof(err));
	tap_ok(t, strcmp(c.org, "flag-org") == 0 && strcmp(c.token, "t0k") == 0,
	    "flags beat the environment and the file");
	resolve(&c, 1, none, err, sizeof(err));
	tap_str(t, c.org, "w-org", "WORLDS_ORGANIZATION beats DREADNODE_ORGANIZATION");
	setenv("WORLDS_WORKSPACE", "Bad_WS", 1);
	tap_int(t, resolve(&c, 1, none, err, sizeof(err)), WS_EINVAL, "a bad slug is refused");
	tap_str(t, err, "environment WORLDS_WORKSPACE: 'Bad_WS' is not a slug ([a-z0-9][a-z0-9-]{0,62})",
	    "naming the variable");
	unsetenv("WORLDS_WORKSPACE");
	resolve(&c, 1, (const char *[]){ "--server", "w.example", NULL }, err, sizeof(err));
	tap_str(t, err, "--server: expected https://HOST[:PORT], got 'w.example'",
	    "a server without a scheme, naming the flag");
	write_file(conf, "server = https://x\n\nretries = 11\n");
	resolve(&c, 1, none, err, sizeof(err));
	snprintf(tok, sizeof(tok), "%s:3: key 'retries': expected a whole number from 0 to 10, "
	    "got '11'", conf);
	tap_str(t, err, tok, "a bad value in client.conf: file, line and key");
	write_file(conf, "serverz = https://x\n");
	resolve(&c, 1, none, err, sizeof(err));
	tap_ok(t, strstr(err, "client.conf:1: unknown key 'serverz'") != NULL, "an unknown key");
	resolve(&c, 1, (const char *[]){ "--config", "/nonexistent/c.conf", NULL }, err, sizeof(err));
	tap_str(t, err, "/nonexistent/c.conf: cannot read: No such file or directory",
	    "--config FILE must exist");
	unlink(conf);
	unsetenv("WORLDS_ORGANIZATION"), unsetenv("DREADNODE_ORGANIZATION");
	setenv("WORLDS_TOKEN", "t", 1);
	resolve(&c, 1, none, err, sizeof(err));
	tap_str(t, err, "no organization: give --organization SLUG or set WORLDS_ORGANIZATION "
	    "(worlds whoami lists yours)", "no organization for a workspace verb");
	tap_int(t, resolve(&c, 0, none, err, sizeof(err)), WS_OK, "whoami needs none");
	unsetenv("WORLDS_SERVER"), unsetenv("WORLDS_TOKEN"), unsetenv("XDG_CONFIG_HOME");
	snprintf(err, sizeof(err), "%s/worlds", dir);
	rmdir(err);
	snprintf(err, sizeof(err), "%s/token", dir);
	unlink(err);
	rmdir(dir);
}

/* Every exit status of client.h is in worlds(1), with its number. */
static void test_man_page(struct tap *t)
{
	static const int exits[] = {
#define VALUE(name, value, text) value,
		CLIENT_EXITS(VALUE)
#undef VALUE
	};
	const char *top = getenv("top_srcdir");
	char path[1024], line[512], want[32];
	size_t i, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/worlds.1", top ? top : ".");
	for (i = 0; i < W_ARRAY_LEN(exits); i++) {
		f = fopen(path, "r");
		if (f == NULL)
			break;
		snprintf(want, sizeof(want), ".B %d", exits[i]);
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, want, strlen(want)) == 0 &&
			    (line[strlen(want)] == '\n' || line[strlen(want)] == ' ')) {
				found++;
				break;
			}
		}
		fclose(f);
	}
	tap_int(t, (long long)found, (long long)W_ARRAY_LEN(exits),
	    "worlds(1) lists every exit status (.B N under EXIT STATUS)");
}

int main(void)
{
	struct tap t = { 0, 0 };

	test_args(&t);
	test_errors(&t);
	test_progress(&t);
	test_views(&t);
	test_settings(&t);
	test_man_page(&t);
	return tap_done(&t);
}
