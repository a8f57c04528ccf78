#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/util.h"

enum conf_kind { K_STR, K_INT, K_LEVEL };

/* Every key once: name, kind, where it lives, bounds for integers. */
static const struct conf_key {
	const char *name;
	enum conf_kind kind;
	size_t off;
	long min, max;
} conf_keys[] = {
	{ "database_url", K_STR, offsetof(struct conf, database_url), 0, 0 },
	{ "socket", K_STR, offsetof(struct conf, socket), 0, 0 },
	{ "workers", K_INT, offsetof(struct conf, workers), 1, 256 },
	{ "max_generators", K_INT, offsetof(struct conf, max_generators), 1, 1024 },
	{ "keys_dir", K_STR, offsetof(struct conf, keys_dir), 0, 0 },
	{ "token_issuer", K_STR, offsetof(struct conf, token_issuer), 0, 0 },
	{ "token_audience", K_STR, offsetof(struct conf, token_audience), 0, 0 },
	{ "max_token_ttl", K_INT, offsetof(struct conf, max_token_ttl), 60, 31622400 },
	{ "max_active_jobs_per_workspace", K_INT,
	    offsetof(struct conf, max_active_jobs_per_workspace), 1, 1000000 },
	{ "generator", K_STR, offsetof(struct conf, generator), 0, 0 },
	{ "log_level", K_LEVEL, offsetof(struct conf, log_level), 0, 0 },
	{ "max_attempts", K_INT, offsetof(struct conf, max_attempts), 1, 100 },
	{ "tick_interval_ms", K_INT, offsetof(struct conf, tick_interval_ms), 50, 60000 },
};

static const char *const conf_levels[] = { "error", "warn", "info", "debug" };

void conf_defaults(struct conf *c)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(c, 0, sizeof(*c));
	snprintf(c->database_url, sizeof(c->database_url), "dbname=worlds");
	snprintf(c->keys_dir, sizeof(c->keys_dir), "%s/worlds/keys", SYSCONFDIR);
	snprintf(c->token_issuer, sizeof(c->token_issuer), "worlds");
	snprintf(c->token_audience, sizeof(c->token_audience), "worlds-api");
	snprintf(c->generator, sizeof(c->generator), "%s/worlds-gen", BINDIR);
	c->workers = 4;
	c->max_generators = cpus > 0 ? (int)cpus : 1;
	c->max_token_ttl = 86400;
	c->max_active_jobs_per_workspace = 100;
	c->log_level = CONF_LOG_INFO;
	c->max_attempts = 3;
	c->tick_interval_ms = 1000;
}

static int set_int(const struct conf_key *k, int *dst, const char *value, char *err,
    size_t errlen)
{
	int64_t v;

	if (parse_i64(value, &v) != WS_OK || v < k->min || v > k->max) {
		snprintf(err, errlen, "key '%s': expected an integer from %ld to %ld, got '%s'",
		    k->name, k->min, k->max, value);
		return WS_EINVAL;
	}
	*dst = (int)v;
	return WS_OK;
}

static int set_level(const struct conf_key *k, int *dst, const char *value, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(conf_levels); i++) {
		if (strcmp(value, conf_levels[i]) == 0) {
			*dst = (int)i;
			return WS_OK;
		}
	}
	snprintf(err, errlen, "key '%s': expected error, warn, info or debug, got '%s'", k->name,
	    value);
	return WS_EINVAL;
}

int conf_set(struct conf *c, const char *key, const char *value, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < W_ARRAY_LEN(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];
		char *field = (char *)c + k->off;

		if (strcmp(key, k->name) != 0)
			continue;
		switch (k->kind) {
		case K_STR:
			if (strlen(value) >= CONF_STR_MAX) {
				snprintf(err, errlen, "key '%s': value longer than %d bytes", key,
				    CONF_STR_MAX - 1);
				return WS_EINVAL;
			}
			snprintf(field, CONF_STR_MAX, "%s", value);
			return WS_OK;
		case K_INT:
			return set_int(k, (int *)(void *)field, value, err, errlen);
		case K_LEVEL:
			return set_level(k, (int *)(void *)field, value, err, errlen);
		}
	}
	snprintf(err, errlen, "unknown key '%.100s'", key);
	return WS_EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Parses one line in place; a blank or comment line is fine. */
static int parse_line(char *line, conf_setter set, void *ctx, char *err, size_t errlen)
{
	char *eq, *key, *value;
	size_t vlen;

	key = trim(line);
	if (*key == '\0' || *key == '#')
		return WS_OK;
	eq = strchr(key, '=');
	if (eq == NULL) {
		snprintf(err, errlen, "expected 'key = value', got '%.100s'", key);
		return WS_EINVAL;
	}
	*eq = '\0';
	key = trim(key);
	value = trim(eq + 1);
	vlen = strlen(value);
	/* A value may be double-quoted to keep leading or trailing blanks or a '#'. */
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value[vlen - 1] = '\0';
		value++;
	}
	if (*key == '\0') {
		snprintf(err, errlen, "missing key before '='");
		return WS_EINVAL;
	}
	return set(ctx, key, value, err, errlen);
}

int conf_parse_kv(const char *name, const char *text, size_t n, conf_setter set, void *ctx,
    char *err, size_t errlen)
{
	char line[CONF_STR_MAX + 256], msg[CONF_STR_MAX + 64];
	size_t pos = 0, lineno = 0;
	int rc = WS_OK;

	while (pos < n && rc == WS_OK) {
		size_t end = pos, len;

		while (end < n && text[end] != '\n')
			end++;
		len = end - pos;
		lineno++;
		if (len >= sizeof(line) || memchr(text + pos, '\0', len) != NULL) {
			snprintf(err, errlen, "%s:%zu: line too long or contains a NUL byte", name,
			    lineno);
			return WS_EINVAL;
		}
		memcpy(line, text + pos, len);
		line[len] = '\0';
		rc = parse_line(line, set, ctx, msg, sizeof(msg));
		if (rc != WS_OK)
			snprintf(err, errlen, "%s:%zu: %s", name, lineno, msg);
		pos = end + 1;
	}
	return rc;
}

static int set_key(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	return conf_set(ctx, key, value, err, errlen);
}

int conf_parse_text(struct conf *c, const char *name, const char *text, size_t n, char *err,
    size_t errlen)
{
	return conf_parse_kv(name, text, n, set_key, c, err, errlen);
}

int conf_read_file(const char *path, struct wbuf *b)
{
	FILE *f;
	char chunk[4096];
	size_t n;
	int rc = WS_OK;

	f = fopen(path, "r");
	if (f == NULL)
		return WS_EIO;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wbuf_put(b, chunk, n);
	if (ferror(f))
		rc = WS_EIO;
	else if (b->err)
		rc = WS_ENOMEM;
	fclose(f);
	return rc;
}

static int apply_env(struct conf *c, char *err, size_t errlen)
{
	char var[128], msg[CONF_STR_MAX + 64];
	size_t i, j;

	for (i = 0; i < W_ARRAY_LEN(conf_keys); i++) {
		const char *name = conf_keys[i].name, *value;

		snprintf(var, sizeof(var), "WORLDS_");
		for (j = 0; name[j] != '\0' && j + 8 < sizeof(var); j++)
			var[7 + j] = (char)toupper((unsigned char)name[j]);
		var[7 + j] = '\0';
		value = getenv(var);
		if (value == NULL)
			continue;
		if (conf_set(c, name, value, msg, sizeof(msg)) != WS_OK) {
			snprintf(err, errlen, "environment %s: %s", var, msg);
			return WS_EINVAL;
		}
	}
	return WS_OK;
}

int conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct wbuf text;
	const char *file = path ? path : CONF_DEFAULT_PATH;
	int rc;

	conf_defaults(c);
	wbuf_init(&text);
	rc = conf_read_file(file, &text);
	if (rc == WS_EIO && path == NULL && errno == ENOENT) {
		rc = WS_OK; /* no file at the default place: defaults and environment only */
	} else if (rc != WS_OK) {
		snprintf(err, errlen, "%s: cannot read: %s", file, strerror(errno));
		goto out;
	} else {
		rc = conf_parse_text(c, file, text.p ? text.p : "", text.len, err, errlen);
		if (rc != WS_OK)
			goto out;
	}
	rc = apply_env(c, err, errlen);
out:
	wbuf_free(&text);
	return rc;
}
