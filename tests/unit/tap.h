/*
 * A few lines of TAP for the unit tests: each check prints "ok N - what" or
 * "not ok N - what" with the expected and actual values, and tap_done() prints the plan
 * and returns the exit status.
 */
#ifndef WORLDS_TAP_H
#define WORLDS_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct tap {
	int n;
	int failed;
};

static inline int tap_ok(struct tap *t, int cond, const char *what)
{
	t->n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", t->n, what);
	if (!cond)
		t->failed++;
	return cond;
}

static inline void tap_str(struct tap *t, const char *got, const char *want, const char *what)
{
	int same = got != NULL && want != NULL && strcmp(got, want) == 0;

	if (!tap_ok(t, same, what))
		printf("#   expected: %s\n#        got: %s\n", want ? want : "(null)",
		    got ? got : "(null)");
}

static inline void tap_int(struct tap *t, long long got, long long want, const char *what)
{
	if (!tap_ok(t, got == want, what))
		printf("#   expected: %lld\n#        got: %lld\n", want, got);
}

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
}

static inline int tap_done(struct tap *t)
{
	printf("1..%d\n", t->n);
	return t->failed ? 1 : 0;
}

#endif
