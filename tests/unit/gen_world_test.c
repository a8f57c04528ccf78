/*
 * gen world: determinism in one process, seeds that differ, the compact fast path equal
 * to plain jw, stability of the people when only num_hosts changes, progress and cancel,
 * the row accessors, the PRNG streams, dates, and the checker on fresh worlds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "gen/gout.h"
#include "tap.h"

static struct gen_params params(const char *preset, int users, int hosts, int64_t seed)
{
	struct gen_params p;

	gen_params_defaults(&p);
	snprintf(p.preset, sizeof(p.preset), "%s", preset);
	p.num_users = users;
	p.num_hosts = hosts;
	p.seed = seed;
	p.seed_set = 1;
	gen_params_resolve(&p);
	return p;
}

/* The document as one string (mode: 0 plain jw, 1 fast path, 2 pretty). */
static char *doc(const struct gen_world *w, int mode, size_t *len)
{
	struct wbuf b;
	struct jw j;
	char *s;

	wbuf_init(&b);
	jw_init(&j, &b, mode == 2);
	if (gen_world_write_mode(w, &j, mode == 1) != WS_OK) {
		wbuf_free(&b);
		return NULL;
	}
	*len = b.len;
	s = strdup(wbuf_cstr(&b));
	wbuf_free(&b);
	return s;
}

static char *build_doc(const struct gen_params *p, size_t *len)
{
	struct gen_world *w = NULL;
	char *s;

	if (gen_world_build(p, &w, NULL, NULL) != WS_OK)
		return NULL;
	s = doc(w, 1, len);
	gen_world_free(w);
	return s;
}

static int calls;
static int count_progress(void *ctx, double f)
{
	double *last = ctx;

	calls++;
	if (f < *last || f > 1.0)
		calls = -1000;
	*last = f;
	return 0;
}

static int cancel_now(void *ctx, double f)
{
	(void)ctx;
	(void)f;
	return 1;
}

/* Work, not wall time: a busy shared machine must not make the gaps look longer. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct gaps {
	double last, max;
};

static int time_progress(void *ctx, double f)
{
	struct gaps *g = ctx;
	double now = cpu_ms();

	(void)f;
	if (now - g->last > g->max)
		g->max = now - g->last;
	g->last = now;
	return 0;
}

/* Sanitizers or valgrind slow every instruction down: no timing bound holds there. */
static int instrumented(void)
{
	const char *pre = getenv("LD_PRELOAD");

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
	return 1;
#else
	return pre != NULL && strstr(pre, "vgpreload") != NULL;
#endif
}

/*
 * The job runner relies on a progress call (its cancel check) at least every ~50 ms of
 * work: measured in CPU time on the largest world.
 */
static void test_progress_gaps(struct tap *t)
{
	struct gen_params p = params("enterprise", 50000, 10000, 2026);
	struct gen_world *w = NULL;
	struct gaps g = { 0, 0 };
	double t0, total;
	int rc;

	g.last = t0 = cpu_ms();
	rc = gen_world_build(&p, &w, time_progress, &g);
	total = cpu_ms() - t0;
	printf("# largest gap between progress calls: %.1f ms of CPU in a %.0f ms build\n", g.max,
	    total);
	tap_ok(t, rc == WS_OK, "50000 users, 10000 hosts build");
	if (instrumented())
		tap_ok(t, 1, "progress at least every 50 ms of work # SKIP instrumented build");
	else
		tap_ok(t, g.max <= 50.0, "50000 users, 10000 hosts: progress at least every 50 ms of work");
	gen_world_free(w);
}

static void report_count(void *ctx, const char *id, const char *msg)
{
	(void)ctx;
	printf("# violation %s: %s\n", id, msg);
}

static void test_rows(struct tap *t, const struct gen_world *w)
{
	struct wbuf b;
	struct gen_node_row nr;
	struct gen_edge_row er;
	struct gen_principal_row pr;
	struct gen_host_row hr;
	struct json_object *o;
	size_t i, bad = 0, users = 0;

	wbuf_init(&b);
	for (i = 0; i < gen_world_node_count(w); i++) {
		nr.json = &b;
		gen_world_node(w, i, &nr);
		o = json_tokener_parse(wbuf_cstr(&b));
		if (o == NULL || strcmp(json_object_get_string(json_object_object_get(
		    json_object_object_get(o, "data"), "id")), nr.id) != 0)
			bad++;
		users += strcmp(nr.node_type, "user") == 0;
		json_object_put(o);
	}
	tap_int(t, (long long)bad, 0, "every node row is Cytoscape JSON with its id");
	tap_ok(t, users >= 50, "user nodes present");
	er.json = &b;
	gen_world_edge(w, 0, &er);
	tap_ok(t, strcmp(er.id, "e-1") == 0 && strstr(wbuf_cstr(&b), "\"edge_type\":") != NULL,
	    "edge row");
	pr.json = &b;
	gen_world_principal(w, 0, &pr);
	tap_ok(t, strcmp(pr.principal_type, "user") == 0 && pr.upn && strchr(pr.upn, '@') &&
	    pr.email && strncmp(wbuf_cstr(&b), "{\"principal_id\":\"u-1\",", 22) == 0,
	    "principal row: upn, email, JSON as in the document");
	hr.json = &b;
	gen_world_host(w, 0, &hr);
	tap_ok(t, strcmp(hr.role, "dc") == 0 && strstr(hr.fqdn, ".corp.local") != NULL &&
	    strncmp(wbuf_cstr(&b), "{\"host_id\":\"h-1\"", 16) == 0, "host row");
	wbuf_free(&b);
}

int main(void)
{
	struct tap t = { 0, 0 };
	struct gen_params p = params("small", 0, 0, 42), q;
	struct gen_world *w = NULL;
	char *a, *b, *c;
	size_t la, lb, lc;
	struct rng r1, r2;
	char tm[24];
	double last = 0;
	int i, same = 1;

	a = build_doc(&p, &la);
	b = build_doc(&p, &lb);
	tap_ok(&t, a && b && la == lb && memcmp(a, b, la) == 0, "same parameters, same bytes");
	free(b);
	q = params("small", 0, 0, 43);
	b = build_doc(&q, &lb);
	tap_ok(&t, b && (la != lb || memcmp(a, b, la) != 0), "another seed, another world");
	free(b);
	free(a);

	p = params("medium", 300, 60, -7);
	tap_int(&t, gen_world_build(&p, &w, NULL, NULL), WS_OK, "medium builds");
	a = doc(w, 0, &la);
	b = doc(w, 1, &lb);
	tap_ok(&t, a && b && la == lb && memcmp(a, b, la) == 0, "fast path = plain jw, byte for byte");
	c = doc(w, 2, &lc);
	tap_ok(&t, c && lc > la, "pretty output is longer");
	{
		struct json_object *x = json_tokener_parse(a), *y = json_tokener_parse(c);

		tap_ok(&t, x && y && json_object_equal(x, y), "pretty and compact hold the same JSON");
		tap_int(&t, (long long)gen_check_document(x, report_count, NULL), 0,
		    "fresh world passes the checker");
		json_object_put(x);
		json_object_put(y);
	}
	free(a);
	free(b);
	free(c);
	gen_world_free(w);
	w = NULL;

	/* Only num_hosts changes: the people and the domains must not move. */
	p = params("small", 120, 10, 99);
	q = params("small", 120, 40, 99);
	{
		struct gen_world *w1 = NULL, *w2 = NULL;
		struct gen_principal_row r1row, r2row;
		struct gen_node_row n1, n2;
		struct wbuf b1, b2;
		size_t k;

		gen_world_build(&p, &w1, NULL, NULL);
		gen_world_build(&q, &w2, NULL, NULL);
		wbuf_init(&b1);
		wbuf_init(&b2);
		for (k = 0; k < 120 && w1 && w2; k++) {
			r1row.json = &b1;
			r2row.json = &b2;
			gen_world_principal(w1, k, &r1row);
			gen_world_principal(w2, k, &r2row);
			if (strcmp(wbuf_cstr(&b1), wbuf_cstr(&b2)) != 0)
				same = 0;
		}
		n1.json = &b1;
		n2.json = &b2;
		gen_world_node(w1, 0, &n1);
		gen_world_node(w2, 0, &n2);
		tap_ok(&t, same, "every person identical with 10 or 40 hosts");
		tap_str(&t, wbuf_cstr(&b2), wbuf_cstr(&b1), "domain (SID) identical");
		tap_ok(&t, gen_world_host_count(w1) == 10 && gen_world_host_count(w2) == 40,
		    "host counts follow num_hosts");
		wbuf_free(&b1);
		wbuf_free(&b2);
		if (w1)
			test_rows(&t, w1);
		gen_world_free(w1);
		gen_world_free(w2);
	}

	p = params("large", 0, 0, 5);
	calls = 0;
	tap_int(&t, gen_world_build(&p, &w, count_progress, &last), WS_OK, "large builds");
	tap_ok(&t, calls >= 2 && last == 1.0, "progress reported, rising, ending at 1");
	gen_world_free(w);
	w = NULL;
	tap_int(&t, gen_world_build(&p, &w, cancel_now, NULL), WS_ECANCEL, "cancel stops the build");
	tap_ok(&t, w == NULL, "nothing returned on cancel");
	test_progress_gaps(&t);
	gen_params_defaults(&q);
	tap_int(&t, gen_world_build(&q, &w, NULL, NULL), WS_EINVAL, "unresolved parameters refused");

	rng_stream(&r1, 1, "user");
	rng_stream(&r2, 1, "user");
	for (i = 0; i < 100; i++)
		if (rng_next(&r1) != rng_next(&r2))
			same = 0;
	tap_ok(&t, same, "a stream repeats for the same (seed, kind)");
	rng_stream(&r2, 1, "host");
	tap_ok(&t, rng_next(&r1) != rng_next(&r2), "kinds have their own streams");
	for (i = 0, same = 1; i < 10000; i++)
		if (rng_below(&r1, 7) >= 7)
			same = 0;
	tap_ok(&t, same, "rng_below stays below its bound");
	gen_fmt_time(tm, 0);
	tap_str(&t, tm, "2026-01-01T00:00:00Z", "reference time");
	gen_fmt_time(tm, 5184001);
	tap_str(&t, tm, "2025-11-01T23:59:59Z", "60 days and a second before");
	gen_fmt_time(tm, 1000000000);
	tap_str(&t, tm, "1994-04-24T22:13:20Z", "a billion seconds before");
	tap_str(&t, gen_version(), "1.0.0", "generator version");
	return tap_done(&t);
}
