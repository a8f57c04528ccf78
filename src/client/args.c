/*
 * Command-line options: tables of flags in, values out. Every mistake is named by its flag
 * before anything is sent. Numbers are checked for being numbers only: their bounds are
 * the server's, which answers 422 naming the field.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "client/internal.h"

/* The flag arg names, in either table; *t and *i say where. */
static int find(const struct argset *s, const char *arg, size_t len, int *t, size_t *i)
{
	int k;
	size_t j;

	for (k = 0; k < 2; k++) {
		for (j = 0; j < s->ntable[k]; j++) {
			const struct flag *f = &s->table[k][j];

			if (arg[1] != '-') {
				if (len == 2 && f->short_name != 0 && f->short_name == arg[1])
					goto found;
				continue;
			}
			if (strlen(f->name) == len && strncmp(f->name, arg, len) == 0)
				goto found;
			continue;
found:
			*t = k;
			*i = j;
			return 1;
		}
	}
	return 0;
}

static int seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v <= 0 || v > 1e7)
		return WS_EINVAL;
	*out = v;
	return WS_OK;
}

static int set_value(const struct flag *f, struct flag_val *v, const char *value, char *err,
    size_t errlen)
{
	const char **list;

	v->set = 1;
	v->str = value;
	switch (f->kind) {
	case FLAG_BOOL:
	case FLAG_STR:
		return WS_OK;
	case FLAG_INT:
		if (parse_i64(value, &v->num) == WS_OK)
			return WS_OK;
		snprintf(err, errlen, "%s: expected a whole number, got '%.100s'", f->name, value);
		return WS_EINVAL;
	case FLAG_SECONDS:
		if (seconds(value, &v->secs) == WS_OK)
			return WS_OK;
		snprintf(err, errlen, "%s: expected a number of seconds above 0, got '%.100s'",
		    f->name, value);
		return WS_EINVAL;
	case FLAG_LIST:
		list = realloc(v->list, (v->n + 1) * sizeof(*list));
		if (list == NULL) {
			snprintf(err, errlen, "out of memory");
			return WS_ENOMEM;
		}
		list[v->n++] = value;
		v->list = list;
		return WS_OK;
	}
	return WS_EINVAL;
}

/* One option at argv[*i] (with its value in the same word or the next). */
static int option(struct argset *s, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *arg = argv[*i], *eq = NULL, *value = NULL;
	const struct flag *f;
	size_t len, j;
	int t;

	if (arg[1] == '-')
		eq = strchr(arg, '=');
	len = eq ? (size_t)(eq - arg) : strlen(arg);
	if (!find(s, arg, len, &t, &j)) {
		snprintf(err, errlen, "unknown option '%.*s'", (int)(len > 100 ? 100 : len), arg);
		return WS_EINVAL;
	}
	f = &s->table[t][j];
	if (f->kind == FLAG_BOOL) {
		if (eq != NULL) {
			snprintf(err, errlen, "%s takes no value", f->name);
			return WS_EINVAL;
		}
		return set_value(f, &s->val[t][j], "", err, errlen);
	}
	if (eq != NULL) {
		value = eq + 1;
	} else if (*i + 1 < argc) {
		value = argv[++*i];
	} else {
		snprintf(err, errlen, "%s needs a value (%s)", f->name, f->arg);
		return WS_EINVAL;
	}
	return set_value(f, &s->val[t][j], value, err, errlen);
}

int args_parse(struct argset *s, int argc, char **argv, int from, int stop_at_word, int *next,
    char *err, size_t errlen)
{
	int i, only_words = 0, rc;

	if (next != NULL)
		*next = argc;
	for (i = from; i < argc; i++) {
		const char *arg = argv[i];

		if (!only_words && strcmp(arg, "--") == 0) {
			only_words = 1;
			continue;
		}
		if (!only_words && arg[0] == '-' && arg[1] != '\0') {
			rc = option(s, argc, argv, &i, err, errlen);
			if (rc != WS_OK)
				return rc;
			continue;
		}
		if (stop_at_word) {
			*next = i;
			return WS_OK;
		}
		if (s->npos >= s->maxpos) {
			snprintf(err, errlen, "unexpected argument '%.100s'", arg);
			return WS_EINVAL;
		}
		s->pos[s->npos++] = arg;
	}
	return WS_OK;
}

void args_free(struct argset *s)
{
	int k;
	size_t j;

	for (k = 0; k < 2; k++) {
		for (j = 0; j < s->ntable[k]; j++) {
			free(s->val[k][j].list);
			s->val[k][j].list = NULL;
			s->val[k][j].n = 0;
		}
	}
}

const struct flag_val *args_get(const struct flag *table, size_t n, const struct flag_val *val,
    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return &val[i];
	return NULL;
}

void args_wrap(FILE *f, int col, int indent, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		size_t room = (size_t)(ARGS_WIDTH - col), n = strlen(p), cut = n;

		if (n > room) {
			/* At the last blank that fits; a word longer than the room goes whole. */
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = strcspn(p, " ");
		}
		fprintf(f, "%.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p != '\0')
			fprintf(f, "%*s", indent, "");
		col = indent;
	}
}

void args_help(FILE *f, const struct flag *table, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char left[64];

		if (table[i].short_name != 0)
			snprintf(left, sizeof(left), "-%c, %s%s%s", table[i].short_name, table[i].name,
			    table[i].arg ? " " : "", table[i].arg ? table[i].arg : "");
		else
			snprintf(left, sizeof(left), "    %s%s%s", table[i].name,
			    table[i].arg ? " " : "", table[i].arg ? table[i].arg : "");
		fprintf(f, "  %-28s ", left);
		args_wrap(f, 31, 31, table[i].help);
	}
}
