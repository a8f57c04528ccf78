/*
 * conf: the one configuration file (/etc/worlds/worlds.conf, `key = value`), overridden
 * key by key by WORLDS_<KEY> environment variables, shared by all three programs.
 */
#ifndef WORLDS_CONF_H
#define WORLDS_CONF_H

#include <stddef.h>

#define CONF_DEFAULT_PATH SYSCONFDIR "/worlds/worlds.conf"
#define CONF_STR_MAX 1024

enum conf_log_level { CONF_LOG_ERROR, CONF_LOG_WARN, CONF_LOG_INFO, CONF_LOG_DEBUG };

struct conf {
	char database_url[CONF_STR_MAX];
	char socket[CONF_STR_MAX];
	int workers;
	int max_generators;
	char keys_dir[CONF_STR_MAX];
	char token_issuer[CONF_STR_MAX];
	char token_audience[CONF_STR_MAX];
	int max_token_ttl;
	int max_active_jobs_per_workspace;
	char generator[CONF_STR_MAX];
	int log_level;
	int max_attempts;
	int tick_interval_ms;
};

/* Built-in defaults (max_generators: the number of online CPUs). */
void conf_defaults(struct conf *c);
/*
 * Defaults, then the file (path, or CONF_DEFAULT_PATH when path is NULL, in which case a
 * missing file is not an error), then the environment. On failure err holds one line
 * naming the file, line and key, and the result is WS_EINVAL (or WS_EIO for an unreadable
 * file).
 */
int conf_load(struct conf *c, const char *path, char *err, size_t errlen);
/* Applies `key = value` lines from memory; name is used in messages. Pure: for fuzzing. */
int conf_parse_text(struct conf *c, const char *name, const char *text, size_t n, char *err,
    size_t errlen);
/* Sets one key from a string (file or environment); WS_EINVAL with a message otherwise. */
int conf_set(struct conf *c, const char *key, const char *value, char *err, size_t errlen);

/*
 * The file format alone, for another set of keys (worlds' client.conf): set is called for
 * every `key = value` line (blank lines and # comments skipped, a value may be
 * double-quoted); its message comes back as "NAME:LINE: message".
 */
typedef int (*conf_setter)(void *ctx, const char *key, const char *value, char *err,
    size_t errlen);
int conf_parse_kv(const char *name, const char *text, size_t n, conf_setter set, void *ctx,
    char *err, size_t errlen);
/* Appends the whole file to b: WS_EIO (errno set) when it cannot be read, WS_ENOMEM. */
struct wbuf;
int conf_read_file(const char *path, struct wbuf *b);

#endif
