/*
 * traj: every sampled step replays (the checker), greedy reaches Domain Admins within the
 * world's attack path length + 2, max_steps 1 stops at max_steps, an unknown goal is
 * unreachable, the same inputs give the same bytes, and the checker catches a forged step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "attack/attack.h"
#include "gen/gen.h"
#include "traj/traj.h"
#include "tap.h"

static void report(void *ctx, int step, const char *msg)
{
	(void)ctx;
	printf("#   step %d: %s\n", step, msg);
}

static struct gen_world *world(const char *preset, int64_t seed)
{
	struct gen_params p;
	struct gen_world *w = NULL;

	gen_params_defaults(&p);
	snprintf(p.preset, sizeof(p.preset), "%s", preset);
	p.seed = seed;
	p.seed_set = 1;
	if (gen_params_resolve(&p) != WS_OK || gen_world_build(&p, &w, NULL, NULL) != WS_OK)
		return NULL;
	return w;
}

/* One trajectory as text, or NULL. */
static char *sample_text(const struct traj_graph *g, const struct traj_params *p, int i,
    struct traj_result *r)
{
	struct wbuf b;
	struct jw j;
	char *s = NULL;

	wbuf_init(&b);
	if (traj_sample(g, p, i, r) == WS_OK) {
		jw_init(&j, &b, 0);
		traj_result_write(g, p, r, &j);
		if (jw_finish(&j) == WS_OK)
			s = strdup(wbuf_cstr(&b));
	}
	wbuf_free(&b);
	return s;
}

static size_t check_text(const struct traj_graph *g, const char *text)
{
	struct json_object *o = json_tokener_parse(text);
	size_t n = o ? traj_check(g, o, report, NULL) : 1;

	json_object_put(o);
	return n;
}

static void all_strategies(struct tap *t, const struct gen_world *w, const char *what)
{
	struct traj_params p;
	struct traj_result r;
	int s, m, i;
	char msg[160];

	traj_result_init(&r);
	for (m = 0; m < ATTACK_MODE_COUNT; m++)
		for (s = 0; s < TRAJ_STRATEGY_COUNT; s++) {
			struct traj_graph *g = NULL;
			char err[128];
			size_t bad = 0;

			traj_params_defaults(&p);
			p.strategy = s;
			p.mode = m;
			p.max_steps = 60;
			if (traj_graph_build(w, &p, &g, err, sizeof(err)) != WS_OK) {
				tap_ok(t, 0, err);
				continue;
			}
			for (i = 0; i < 4; i++) {
				char *txt = sample_text(g, &p, i, &r);

				bad += txt ? check_text(g, txt) : 1;
				free(txt);
			}
			snprintf(msg, sizeof(msg), "%s %s %s: 4 trajectories replay", what,
			    attack_mode_name((enum attack_mode)m), traj_strategy_name(s));
			tap_int(t, (long long)bad, 0, msg);
			traj_graph_free(g);
		}
	traj_result_free(&r);
}

static void greedy(struct tap *t, const struct gen_world *w, const char *what)
{
	struct traj_params p;
	struct traj_result r;
	struct traj_graph *g = NULL;
	char err[128], msg[160];

	traj_params_defaults(&p);
	p.strategy = TRAJ_GREEDY;
	traj_result_init(&r);
	if (traj_graph_build(w, &p, &g, err, sizeof(err)) != WS_OK || traj_sample(g, &p, 0, &r) != WS_OK) {
		tap_ok(t, 0, "greedy sampled");
		goto out;
	}
	snprintf(msg, sizeof(msg), "%s greedy reaches Domain Admins", what);
	tap_str(t, r.termination_reason, "goal_reached", msg);
	snprintf(msg, sizeof(msg), "%s greedy: %d steps <= attack path %zu + 2", what, r.step_count,
	    traj_graph_path_length(g));
	tap_ok(t, r.success && (size_t)r.step_count <= traj_graph_path_length(g) + 2, msg);
out:
	traj_graph_free(g);
	traj_result_free(&r);
}

/* api.md's defaults from an empty body; mode agent refused with its reason. */
static void defaults(struct tap *t)
{
	struct json_object *o = json_tokener_parse("{}");
	struct traj_params p;
	struct verrs e;

	verrs_init(&e);
	tap_int(t, traj_params_from_json(o, &p, &e), WS_OK, "an empty body is valid");
	tap_ok(t, strcmp(p.goal, "Domain Admins") == 0 && p.count == 1 && p.strategy == TRAJ_RANDOM &&
	    p.max_steps == 100 && p.seed == 42 && !p.only_successful && p.mode == ATTACK_KALI &&
	    p.threads >= 1 && p.threads <= TRAJ_MAX_THREADS,
	    "defaults: Domain Admins, count 1, random, 100 steps, seed 42, kali");
	json_object_put(o);
	o = json_tokener_parse("{\"mode\": \"agent\", \"count\": 0, \"threads\": 17}");
	verrs_init(&e);
	tap_int(t, traj_params_from_json(o, &p, &e), WS_EINVAL, "mode agent, count 0, threads 17 refused");
	tap_ok(t, e.n == 3 && strstr(e.item[1].loc, "mode") != NULL &&
	    strstr(e.item[1].msg, "no agent runtime") != NULL,
	    "three errors; mode agent says no agent runtime exists here");
	json_object_put(o);
}

int main(void)
{
	struct tap t = { 0, 0 };
	struct gen_world *small = world("small", 7), *medium = world("medium", 11), *again;
	struct traj_params p;
	struct traj_result r;
	struct traj_graph *g = NULL, *g2 = NULL;
	char err[128], *a = NULL, *b = NULL, *c = NULL;

	traj_result_init(&r);
	again = world("small", 7);
	if (!tap_ok(&t, small && medium && again, "worlds built"))
		goto out;
	greedy(&t, small, "small");
	greedy(&t, medium, "medium");
	/* The issue asks it of every preset's world: the two larger ones too. */
	{
		static const char *const big[] = { "large", "enterprise" };
		size_t i;

		for (i = 0; i < W_ARRAY_LEN(big); i++) {
			struct gen_world *w = world(big[i], 5);

			if (tap_ok(&t, w != NULL, big[i]))
				greedy(&t, w, big[i]);
			gen_world_free(w);
		}
	}
	all_strategies(&t, small, "small");
	all_strategies(&t, medium, "medium");
	defaults(&t);

	/* a goal that exists but that no edge reaches: random explores until nothing applies */
	traj_params_defaults(&p);
	snprintf(p.goal, sizeof(p.goal), "net-1");
	p.max_steps = TRAJ_MAX_STEPS;
	if (traj_graph_build(small, &p, &g, err, sizeof(err)) == WS_OK &&
	    traj_sample(g, &p, 0, &r) == WS_OK)
		tap_ok(&t, strcmp(r.termination_reason, "no_applicable_commands") == 0 && !r.success &&
		    r.step_count > 0 && r.step_count < TRAJ_MAX_STEPS,
		    "random toward an unreachable subnet: no_applicable_commands");
	traj_graph_free(g);
	g = NULL;
	p.strategy = TRAJ_GREEDY;
	if (traj_graph_build(small, &p, &g, err, sizeof(err)) == WS_OK &&
	    traj_sample(g, &p, 0, &r) == WS_OK)
		tap_ok(&t, strcmp(r.termination_reason, "goal_unreachable") == 0 && r.step_count == 0,
		    "greedy toward an unreachable subnet: goal_unreachable at once");
	traj_graph_free(g);
	g = NULL;

	traj_params_defaults(&p);
	p.max_steps = 1;
	if (traj_graph_build(small, &p, &g, err, sizeof(err)) == WS_OK &&
	    traj_sample(g, &p, 0, &r) == WS_OK) {
		tap_str(&t, r.termination_reason, "max_steps", "random, max_steps 1: ends max_steps");
		tap_int(&t, r.step_count, 1, "random, max_steps 1: one step");
	}
	traj_graph_free(g);
	g = NULL;

	traj_params_defaults(&p);
	snprintf(p.goal, sizeof(p.goal), "No Such Group");
	if (traj_graph_build(small, &p, &g, err, sizeof(err)) == WS_OK &&
	    traj_sample(g, &p, 0, &r) == WS_OK)
		tap_str(&t, r.termination_reason, "goal_unreachable", "unknown goal: goal_unreachable");
	traj_graph_free(g);
	g = NULL;

	/* same inputs, rebuilt world and graph: same bytes; another index: other bytes */
	traj_params_defaults(&p);
	p.strategy = TRAJ_SMART_RANDOM;
	p.max_steps = 40;
	if (traj_graph_build(small, &p, &g, err, sizeof(err)) == WS_OK &&
	    traj_graph_build(again, &p, &g2, err, sizeof(err)) == WS_OK) {
		a = sample_text(g, &p, 3, &r);
		b = sample_text(g2, &p, 3, &r);
		c = sample_text(g2, &p, 4, &r);
	}
	tap_ok(&t, a && b && strcmp(a, b) == 0, "same world, parameters and index: same bytes");
	tap_ok(&t, a && c && strcmp(a, c) != 0, "another index: another trajectory");
	if (a != NULL && strstr(a, "\"actor\":\"") != NULL) {
		/* forge the first step's actor: the domain's Domain Admins is never controlled first */
		char *forged = malloc(strlen(a) + 64), *at = strstr(a, "\"actor\":\"") + 9;
		char *end = strchr(at, '"');

		if (forged != NULL && end != NULL) {
			sprintf(forged, "%.*sd1-512%s", (int)(at - a), a, end);
			tap_ok(&t, check_text(g, forged) > 0, "the checker rejects a forged actor");
		}
		free(forged);
	}
out:
	free(a);
	free(b);
	free(c);
	traj_graph_free(g);
	traj_graph_free(g2);
	traj_result_free(&r);
	gen_world_free(small);
	gen_world_free(medium);
	gen_world_free(again);
	return tap_done(&t);
}
