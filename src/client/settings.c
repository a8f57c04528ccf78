/*
 * Where the client's settings come from, strongest first: the global flags, the
 * environment, then client.conf ($XDG_CONFIG_HOME/worlds/client.conf, by default
 * ~/.config/worlds/client.conf; the server's `key = value` format). Each setting is one row
 * of the table below: its flag, variables and key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client/internal.h"
#include "conf/conf.h"

const struct flag client_globals[G_COUNT] = {
	[G_SERVER] = { "--server", 0, FLAG_STR, NULL, "URL",
	    "the API's server, https://HOST[:PORT] (WORLDS_SERVER)" },
	[G_TOKEN] = { "--token", 0, FLAG_STR, NULL, "TOKEN", "bearer token (WORLDS_TOKEN)" },
	[G_TOKEN_FILE] = { "--token-file", 0, FLAG_STR, NULL, "FILE",
	    "read the bearer token from FILE (WORLDS_TOKEN_FILE)" },
	[G_ORG] = { "--organization", 0, FLAG_STR, NULL, "SLUG",
	    "organization (WORLDS_ORGANIZATION, DREADNODE_ORGANIZATION)" },
	[G_WS] = { "--workspace", 0, FLAG_STR, NULL, "SLUG",
	    "workspace (WORLDS_WORKSPACE, DREADNODE_WORKSPACE)" },
	[G_CACERT] = { "--cacert", 0, FLAG_STR, NULL, "FILE",
	    "trust the CA certificate(s) in FILE (WORLDS_CACERT)" },
	[G_INSECURE] = { "--insecure", 'k', FLAG_BOOL, NULL, NULL,
	    "do not verify the server's TLS certificate" },
	[G_JSON] = { "--json", 0, FLAG_BOOL, NULL, NULL, "print the server's JSON as is" },
	[G_QUIET] = { "--quiet", 'q', FLAG_BOOL, NULL, NULL,
	    "no progress or notes; creating verbs print the id alone" },
	[G_RETRIES] = { "--retries", 0, FLAG_INT, NULL, "N",
	    "tries again after 429, 502-504, refused connections (0-10, default 4)" },
	[G_CONFIG] = { "--config", 0, FLAG_STR, NULL, "FILE",
	    "read FILE instead of ~/.config/worlds/client.conf" },
	[G_HELP] = { "--help", 'h', FLAG_BOOL, NULL, NULL, "this help, or a verb's" },
	[G_VERSION] = { "--version", 0, FLAG_BOOL, NULL, NULL, "print the version" },
};

enum { S_SERVER, S_TOKEN, S_TOKEN_FILE, S_ORG, S_WS, S_CACERT, S_INSECURE, S_RETRIES, S_COUNT };

/* A value's rule: WS_OK, or WS_EINVAL with what is wrong (the caller names the source). */
typedef int (*check_fn)(const char *v, char *err, size_t errlen);

static int check_server(const char *v, char *err, size_t errlen)
{
	const char *host = NULL;

	if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	if (host != NULL && host[0] != '\0' && host[0] != '/' && strpbrk(v, "?# \t") == NULL &&
	    strlen(v) < CLIENT_URL_MAX)
		return WS_OK;
	snprintf(err, errlen, "expected https://HOST[:PORT], got '%.200s'", v);
	return WS_EINVAL;
}

/* [a-z0-9][a-z0-9-]{0,62}, as the server's slugs. */
static int check_slug(const char *v, char *err, size_t errlen)
{
	size_t n = strlen(v);

	if (n > 0 && n <= 63 && v[0] != '-' &&
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") == n)
		return WS_OK;
	snprintf(err, errlen, "'%.100s' is not a slug ([a-z0-9][a-z0-9-]{0,62})", v);
	return WS_EINVAL;
}

static int parse_bool(const char *v)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return 0;
	return -1;
}

static int check_bool(const char *v, char *err, size_t errlen)
{
	if (parse_bool(v) >= 0)
		return WS_OK;
	snprintf(err, errlen, "expected yes or no, got '%.100s'", v);
	return WS_EINVAL;
}

static int check_retries(const char *v, char *err, size_t errlen)
{
	int64_t n;

	if (parse_i64(v, &n) == WS_OK && n >= 0 && n <= 10)
		return WS_OK;
	snprintf(err, errlen, "expected a whole number from 0 to 10, got '%.100s'", v);
	return WS_EINVAL;
}

static int check_token(const char *v, char *err, size_t errlen)
{
	if (strlen(v) <= CLIENT_TOKEN_MAX)
		return WS_OK;
	snprintf(err, errlen, "longer than %d bytes", CLIENT_TOKEN_MAX);
	return WS_EINVAL;
}

static int check_path(const char *v, char *err, size_t errlen)
{
	if (v[0] != '\0' && strlen(v) < CLIENT_URL_MAX)
		return WS_OK;
	snprintf(err, errlen, "expected a file name of 1 to %d bytes", CLIENT_URL_MAX - 1);
	return WS_EINVAL;
}

/* One setting: its global flag, its environment variables (in order), its client.conf key. */
static const struct setting {
	int flag;
	const char *env[2];
	const char *key;
	check_fn check;
} settings[S_COUNT] = {
	[S_SERVER] = { G_SERVER, { "WORLDS_SERVER", NULL }, "server", check_server },
	[S_TOKEN] = { G_TOKEN, { "WORLDS_TOKEN", NULL }, "token", check_token },
	[S_TOKEN_FILE] = { G_TOKEN_FILE, { "WORLDS_TOKEN_FILE", NULL }, "token_file", check_path },
	[S_ORG] = { G_ORG, { "WORLDS_ORGANIZATION", "DREADNODE_ORGANIZATION" }, "organization",
	    check_slug },
	[S_WS] = { G_WS, { "WORLDS_WORKSPACE", "DREADNODE_WORKSPACE" }, "workspace", check_slug },
	[S_CACERT] = { G_CACERT, { "WORLDS_CACERT", NULL }, "cacert", check_path },
	[S_INSECURE] = { G_INSECURE, { NULL, NULL }, "insecure", check_bool },
	[S_RETRIES] = { G_RETRIES, { NULL, NULL }, "retries", check_retries },
};

/* A setting's value and where it came from: its layer and a name for messages. */
enum { L_NONE, L_FILE, L_ENV, L_FLAG };
struct found {
	int layer;
	char from[CLIENT_URL_MAX + 32]; /* "--server", "WORLDS_SERVER", "FILE key 'server'" */
	char value[CLIENT_TOKEN_MAX + 1];
};

void settings_help(FILE *f)
{
	size_t i;

	fprintf(f, "settings: flag, environment, client.conf key (strongest first):\n");
	for (i = 0; i < S_COUNT; i++) {
		char env[80] = "";

		if (settings[i].env[0] != NULL)
			snprintf(env, sizeof(env), "%s%s%s", settings[i].env[0],
			    settings[i].env[1] ? ", " : "", settings[i].env[1] ? settings[i].env[1] : "");
		fprintf(f, "  %-16s %-44s %s\n", client_globals[settings[i].flag].name,
		    env[0] ? env : "-", settings[i].key);
	}
}

/* Checks value by setting i's rule (the message prefixed with prefix) and keeps it in fd
 * unless a stronger layer already did. */
static int keep(size_t i, struct found *fd, int layer, const char *prefix, const char *from,
    const char *value, char *err, size_t errlen)
{
	char msg[512];

	if (settings[i].check(value, msg, sizeof(msg)) != WS_OK) {
		snprintf(err, errlen, "%s%s", prefix, msg);
		return WS_EINVAL;
	}
	if (fd->layer > layer)
		return WS_OK;
	fd->layer = layer;
	snprintf(fd->from, sizeof(fd->from), "%s", from);
	snprintf(fd->value, sizeof(fd->value), "%s", value);
	return WS_OK;
}

struct file_ctx {
	struct found *found;
	const char *path;
};

static int file_key(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	struct file_ctx *fc = ctx;
	char prefix[128], from[CLIENT_URL_MAX + 32];
	size_t i;

	for (i = 0; i < S_COUNT; i++) {
		if (strcmp(key, settings[i].key) != 0)
			continue;
		/* conf_parse_kv puts "FILE:LINE: " before the message. */
		snprintf(prefix, sizeof(prefix), "key '%s': ", key);
		snprintf(from, sizeof(from), "%s key '%s'", fc->path, key);
		return keep(i, &fc->found[i], L_FILE, prefix, from, value, err, errlen);
	}
	snprintf(err, errlen, "unknown key '%.100s' (known: server, token, token_file, "
	    "organization, workspace, cacert, insecure, retries)", key);
	return WS_EINVAL;
}

static int read_conf(const char *flag_path, struct found *found, char *err, size_t errlen)
{
	char def[CLIENT_URL_MAX];
	const char *path = flag_path, *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct file_ctx fc = { found, NULL };
	struct wbuf text;
	int rc;

	if (path == NULL) {
		if (xdg != NULL && xdg[0] == '/')
			snprintf(def, sizeof(def), "%s/worlds/client.conf", xdg);
		else if (home != NULL && home[0] != '\0')
			snprintf(def, sizeof(def), "%s/.config/worlds/client.conf", home);
		else
			return WS_OK;
		path = def;
	}
	wbuf_init(&text);
	rc = conf_read_file(path, &text);
	if (rc == WS_EIO && flag_path == NULL && errno == ENOENT) {
		rc = WS_OK; /* no file at the default place: nothing to read */
		goto out;
	}
	if (rc != WS_OK) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    rc == WS_ENOMEM ? "out of memory" : strerror(errno));
		goto out;
	}
	fc.path = path;
	rc = conf_parse_kv(path, text.p ? text.p : "", text.len, file_key, &fc, err, errlen);
out:
	wbuf_free(&text);
	return rc;
}

static int read_env(struct found *found, char *err, size_t errlen)
{
	char prefix[64];
	size_t i, k;

	for (i = 0; i < S_COUNT; i++) {
		for (k = 0; k < 2 && settings[i].env[k] != NULL; k++) {
			const char *name = settings[i].env[k], *v = getenv(name);

			if (v == NULL || v[0] == '\0')
				continue;
			snprintf(prefix, sizeof(prefix), "environment %s: ", name);
			if (keep(i, &found[i], L_ENV, prefix, name, v, err, errlen) != WS_OK)
				return WS_EINVAL;
			break; /* the first of the variables wins */
		}
	}
	return WS_OK;
}

static int read_flags(const struct flag_val *gv, struct found *found, char *err, size_t errlen)
{
	char prefix[64];
	size_t i;

	for (i = 0; i < S_COUNT; i++) {
		const struct flag *f = &client_globals[settings[i].flag];
		const struct flag_val *v = &gv[settings[i].flag];

		if (!v->set)
			continue;
		snprintf(prefix, sizeof(prefix), "%s: ", f->name);
		if (keep(i, &found[i], L_FLAG, prefix, f->name, f->kind == FLAG_BOOL ? "yes" : v->str,
		    err, errlen) != WS_OK)
			return WS_EINVAL;
	}
	return WS_OK;
}

/* Values were checked to fit where they go; the bound is kept all the same. */
static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Trailing slashes and a trailing /api/v1 dropped: the client adds /api/v1 itself. */
static void set_server(struct client *c, const char *v)
{
	size_t n;

	copy(c->server, sizeof(c->server), v);
	n = strlen(c->server);
	while (n > 0 && c->server[n - 1] == '/')
		c->server[--n] = '\0';
	if (n >= 7 && strcmp(c->server + n - 7, "/api/v1") == 0)
		c->server[n - 7] = '\0';
}

/* The token, or the first word of a token file; surrounding blanks dropped. */
static int set_token(struct client *c, const struct found *tok, const struct found *file,
    char *err, size_t errlen)
{
	const struct found *use = tok->layer >= file->layer ? tok : file;
	char *s, *e;
	FILE *f;
	size_t n;

	if (use == tok) {
		snprintf(c->token, sizeof(c->token), "%s", tok->value);
	} else {
		f = fopen(file->value, "r");
		if (f == NULL) {
			snprintf(err, errlen, "%s: cannot read '%.200s': %s", file->from, file->value,
			    strerror(errno));
			return WS_EINVAL;
		}
		n = fread(c->token, 1, sizeof(c->token) - 1, f);
		c->token[n] = '\0';
		fclose(f);
	}
	s = c->token + strspn(c->token, " \t\r\n");
	e = s + strcspn(s, " \t\r\n");
	*e = '\0';
	memmove(c->token, s, (size_t)(e - s) + 1);
	if (c->token[0] == '\0') {
		snprintf(err, errlen, "%s: the token is empty", use->from);
		return WS_EINVAL;
	}
	return WS_OK;
}

static int apply(struct client *c, const struct found *fd, int needs_ws, char *err,
    size_t errlen)
{
	if (fd[S_SERVER].layer == L_NONE) {
		snprintf(err, errlen, "no server: give --server URL or set WORLDS_SERVER");
		return WS_EINVAL;
	}
	set_server(c, fd[S_SERVER].value);
	if (fd[S_TOKEN].layer == L_NONE && fd[S_TOKEN_FILE].layer == L_NONE) {
		snprintf(err, errlen, "no token: give --token TOKEN or --token-file FILE, or set "
		    "WORLDS_TOKEN");
		return WS_EINVAL;
	}
	if (set_token(c, &fd[S_TOKEN], &fd[S_TOKEN_FILE], err, errlen) != WS_OK)
		return WS_EINVAL;
	if (fd[S_CACERT].layer != L_NONE)
		copy(c->cacert, sizeof(c->cacert), fd[S_CACERT].value);
	if (fd[S_INSECURE].layer != L_NONE)
		c->insecure = parse_bool(fd[S_INSECURE].value);
	if (fd[S_RETRIES].layer != L_NONE)
		c->retries = (int)strtol(fd[S_RETRIES].value, NULL, 10);
	if (fd[S_ORG].layer != L_NONE && fd[S_WS].layer != L_NONE) {
		copy(c->org, sizeof(c->org), fd[S_ORG].value);
		copy(c->ws, sizeof(c->ws), fd[S_WS].value);
		snprintf(c->base, sizeof(c->base), "/org/%s/ws/%s/worlds", c->org, c->ws);
		return WS_OK;
	}
	if (!needs_ws)
		return WS_OK;
	snprintf(err, errlen, "no %s: give %s SLUG or set %s (worlds whoami lists yours)",
	    fd[S_ORG].layer == L_NONE ? "organization" : "workspace",
	    fd[S_ORG].layer == L_NONE ? "--organization" : "--workspace",
	    fd[S_ORG].layer == L_NONE ? "WORLDS_ORGANIZATION" : "WORLDS_WORKSPACE");
	return WS_EINVAL;
}

int settings_resolve(struct client *c, const struct flag_val *gv, int needs_ws, char *err,
    size_t errlen)
{
	struct found *fd = calloc(S_COUNT, sizeof(*fd));
	int rc = WS_EINVAL;

	if (fd == NULL) {
		snprintf(err, errlen, "out of memory");
		return WS_ENOMEM;
	}
	c->retries = 4;
	if (read_conf(gv[G_CONFIG].set ? gv[G_CONFIG].str : NULL, fd, err, errlen) != WS_OK ||
	    read_env(fd, err, errlen) != WS_OK || read_flags(gv, fd, err, errlen) != WS_OK)
		goto out;
	rc = apply(c, fd, needs_ws, err, errlen);
	c->json = gv[G_JSON].set;
	c->quiet = gv[G_QUIET].set;
out:
	memset(fd, 0, S_COUNT * sizeof(*fd)); /* the token was in there */
	free(fd);
	return rc;
}
