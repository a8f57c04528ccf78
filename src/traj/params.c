/*
 * traj params: the sampling fields of POST /trajectories, one row each (name, kind,
 * bounds), validated pydantic-style like the manifest request: every failing field is
 * reported, null means absent.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "traj/internal.h"

enum { F_INT, F_INT64, F_STR, F_BOOL, F_STRATEGY, F_MODE };

#define TRAJ_FIELDS(X)                                   \
	X(count, F_INT, 1, TRAJ_MAX_COUNT)               \
	X(goal, F_STR, 1, TRAJ_GOAL_MAX - 1)             \
	X(max_steps, F_INT, 1, TRAJ_MAX_STEPS)           \
	X(mode, F_MODE, 0, 0)                            \
	X(only_successful, F_BOOL, 0, 0)                 \
	X(seed, F_INT64, 0, 0)                           \
	X(strategy, F_STRATEGY, 0, 0)                    \
	X(threads, F_INT, 1, TRAJ_MAX_THREADS)

static const struct field {
	const char *name;
	int kind;
	long min, max;
} fields[] = {
#define TRAJ_FIELD_ROW(n, k, lo, hi) { #n, k, lo, hi },
	TRAJ_FIELDS(TRAJ_FIELD_ROW)
#undef TRAJ_FIELD_ROW
};

int traj_field_known(const char *name)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(fields); i++)
		if (strcmp(fields[i].name, name) == 0)
			return 1;
	return 0;
}

static void set_int(struct traj_params *p, const char *name, int64_t x)
{
	if (strcmp(name, "count") == 0)
		p->count = (int)x;
	else if (strcmp(name, "max_steps") == 0)
		p->max_steps = (int)x;
	else if (strcmp(name, "threads") == 0)
		p->threads = (int)x;
	else
		p->seed = x;
}

static void check(const struct field *f, struct json_object *v, struct traj_params *p,
    struct verrs *e)
{
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	int64_t x;
	size_t n;

	switch (f->kind) {
	case F_INT:
	case F_INT64:
		if (!json_object_is_type(v, json_type_int)) {
			verr_add(e, "body", f->name, -1, "int_type", "Input should be a valid integer");
			return;
		}
		x = json_object_get_int64(v);
		if (f->kind == F_INT && x < f->min)
			verr_add(e, "body", f->name, -1, "greater_than_equal",
			    "Input should be greater than or equal to %ld", f->min);
		else if (f->kind == F_INT && x > f->max)
			verr_add(e, "body", f->name, -1, "less_than_equal",
			    "Input should be less than or equal to %ld", f->max);
		else
			set_int(p, f->name, x);
		return;
	case F_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			verr_add(e, "body", f->name, -1, "bool_type", "Input should be a valid boolean");
		else
			p->only_successful = json_object_get_boolean(v);
		return;
	case F_STR:
		if (s == NULL) {
			verr_add(e, "body", f->name, -1, "string_type", "Input should be a valid string");
			return;
		}
		n = strlen(s);
		if (n < (size_t)f->min || strspn(s, " \t\r\n") == n)
			verr_add(e, "body", f->name, -1, "string_too_short",
			    "String should have at least 1 character");
		else if (n > (size_t)f->max)
			verr_add(e, "body", f->name, -1, "string_too_long",
			    "String should have at most %ld characters", f->max);
		else
			snprintf(p->goal, sizeof(p->goal), "%s", s);
		return;
	case F_STRATEGY:
		if (s == NULL || traj_strategy_find(s) < 0)
			verr_add(e, "body", f->name, -1, "enum",
			    "Input should be 'random', 'greedy', 'recon-first' or 'smart-random'");
		else
			p->strategy = traj_strategy_find(s);
		return;
	default: /* F_MODE */
		if (s != NULL && strcmp(s, "agent") == 0)
			verr_add(e, "body", f->name, -1, "value_error",
			    "mode 'agent' needs an agent runtime, and no agent runtime exists here; "
			    "use 'kali' or 'c2'");
		else if (s == NULL || attack_mode_find(s) < 0)
			verr_add(e, "body", f->name, -1, "enum", "Input should be 'kali', 'c2' or 'agent'");
		else
			p->mode = attack_mode_find(s);
		return;
	}
}

int traj_params_from_json(struct json_object *body, struct traj_params *p, struct verrs *errs)
{
	size_t i, before = errs->n + errs->dropped;

	traj_params_defaults(p);
	if (!json_object_is_type(body, json_type_object)) {
		verr_add(errs, "body", NULL, -1, "model_type", "Input should be an object");
		return WS_EINVAL;
	}
	for (i = 0; i < W_ARRAY_LEN(fields); i++) {
		struct json_object *v;

		if (json_object_object_get_ex(body, fields[i].name, &v) && v != NULL)
			check(&fields[i], v, p, errs);
	}
	return errs->n + errs->dropped > before ? WS_EINVAL : WS_OK;
}

void traj_params_write(const struct traj_params *p, struct jw *out)
{
	jw_kint(out, "count", p->count);
	jw_kstr(out, "goal", p->goal);
	jw_kint(out, "max_steps", p->max_steps);
	jw_kstr(out, "mode", attack_mode_name((enum attack_mode)p->mode));
	jw_kbool(out, "only_successful", p->only_successful);
	jw_kint(out, "seed", p->seed);
	jw_kstr(out, "strategy", traj_strategy_name(p->strategy));
	jw_kint(out, "threads", p->threads);
}
