/*
 * util: the pieces every module shares: one return-code convention, a growable byte
 * buffer, a streaming canonical JSON writer, log lines, time and UUID helpers.
 */
#ifndef WORLDS_UTIL_H
#define WORLDS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/*
 * One error convention for the whole code base: functions that can fail return int,
 * WS_OK on success and one of the negative codes below otherwise; details, when a caller
 * needs them, go to a caller-provided message buffer (never to a global).
 */
enum {
	WS_OK = 0,
	WS_ERR = -1,       /* unspecified failure */
	WS_ENOMEM = -2,    /* allocation failed */
	WS_EINVAL = -3,    /* bad input: the message says which */
	WS_EIO = -4,       /* file or socket error */
	WS_ENOTFOUND = -5, /* no such entity */
	WS_EDB = -6,       /* database unreachable or failing */
	WS_ECONFLICT = -7, /* state forbids the operation */
	WS_EDENIED = -8,   /* not allowed */
	WS_EAGAIN = -9,    /* try again later */
	WS_ECANCEL = -10   /* cancelled on request */
};

#define W_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- buffer ------------------------------------------------------------------------ */

/* A growable byte buffer. Allocation failure is sticky (err) so writers check once. */
struct wbuf {
	char *p;
	size_t len;
	size_t cap;
	int err;
};

void wbuf_init(struct wbuf *b);
void wbuf_free(struct wbuf *b);
void wbuf_reset(struct wbuf *b);
int wbuf_reserve(struct wbuf *b, size_t extra);
void wbuf_put(struct wbuf *b, const void *data, size_t n);
void wbuf_puts(struct wbuf *b, const char *s);
void wbuf_putc(struct wbuf *b, char c);
void wbuf_printf(struct wbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminated view of the contents (the terminator is not counted in len). */
const char *wbuf_cstr(struct wbuf *b);

/* ---- canonical JSON writer --------------------------------------------------------- */

#define JW_MAX_DEPTH 32

/*
 * Streams JSON into a wbuf: keys in the order the caller writes them, RFC 8259 escaping,
 * UTF-8 checked, integers in plain decimal, doubles in their shortest round-trip form.
 * When a sink is set, the buffer is handed to it whenever it passes flush_at bytes, so
 * a document of any size needs only a bounded buffer. Errors are sticky in err.
 */
struct jw {
	struct wbuf *out;
	int depth;
	unsigned char nonempty[JW_MAX_DEPTH];
	unsigned char after_key;
	int pretty;
	int err;
	int (*sink)(void *ctx, const char *p, size_t n);
	void *sink_ctx;
	size_t flush_at;
};

void jw_init(struct jw *w, struct wbuf *out, int pretty);
void jw_set_sink(struct jw *w, int (*sink)(void *, const char *, size_t), void *ctx,
    size_t flush_at);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_uint(struct jw *w, uint64_t v);
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* Already-serialised JSON value, written as is (the caller vouches for it). */
void jw_raw(struct jw *w, const char *json, size_t n);
/* Shorthands for "key": value. jw_kstr writes null for a NULL string. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, int v);
void jw_knull(struct jw *w, const char *key);
/* Flushes to the sink (if any) and returns WS_OK or the first error met. */
int jw_finish(struct jw *w);
/* Writes s as a JSON string literal into b (used outside a jw, e.g. error details). */
void json_quote(struct wbuf *b, const char *s, size_t n);
/* 1 when the n bytes are valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t n);

/* ---- logs, time, ids ------------------------------------------------------------------ */

/* One line on stderr, written with a single write(2) so lines from processes never mix. */
void wlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wlogv(const char *fmt, va_list ap);

/* Wall clock as RFC 3339 UTC with microseconds: 2026-11-28T14:43:32.123456Z. */
void time_rfc3339_now(char out[32]);
/*
 * PostgreSQL's text form of a timestamptz in a UTC, ISO-DateStyle session
 * ("2026-11-28 14:43:32.1234+00") to RFC 3339 with microseconds
 * ("2026-11-28T14:43:32.123400Z"). WS_EINVAL for anything else.
 */
int time_pg_to_rfc3339(const char *pg, char out[32]);
/* Monotonic milliseconds, for durations only. */
int64_t time_mono_ms(void);
/* Monotonic microseconds. */
int64_t time_mono_us(void);

/* A random RFC 4122 version 4 UUID, lower-case, 36 characters + NUL. */
void uuid_v4(char out[37]);
/* The version nibble (0..15) when s is a canonical 8-4-4-4-12 hex UUID, else -1. */
int uuid_version(const char *s);

/* ---- the PRNG (rng.c) ------------------------------------------------------------------ */

struct rng {
	uint64_t s[4];
};

/* The stream of (seed, kind): adding draws of one kind never shifts another's numbers. */
void rng_stream(struct rng *r, int64_t seed, const char *kind);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n), n > 0, by rejection (no modulo bias). */
uint32_t rng_below(struct rng *r, uint32_t n);
/* 1 with probability pm / 1000. */
int rng_chance(struct rng *r, unsigned pm);
/* Fisher-Yates over a[0..n). */
void rng_shuffle(struct rng *r, uint32_t *a, size_t n);
/* FNV-1a over n bytes from h: fixed and the same on every platform. */
uint64_t rng_hash64(const void *p, size_t n, uint64_t h);

/* ---- validation errors ---------------------------------------------------------------- */

#define VERRS_MAX 32

/* One failing field, pydantic style: loc is a ready JSON array such as ["body","domains",3]. */
struct verr {
	char loc[160];
	char msg[200];
	const char *type;
};

/* Every failing field of one request (past VERRS_MAX the rest are counted, not kept). */
struct verrs {
	struct verr item[VERRS_MAX];
	size_t n;
	size_t dropped;
};

void verrs_init(struct verrs *v);
/*
 * Adds one error at loc0/loc1 (loc1 may be NULL) and, when index >= 0, that array index:
 * verr_add(v, "body", "domains", 3, "string_type", "Input should be a valid string").
 */
void verr_add(struct verrs *v, const char *loc0, const char *loc1, long index, const char *type,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Writes the list as the envelope's "errors" array value. */
void verrs_write(struct jw *w, const struct verrs *v);

/* ---- subcommands ---------------------------------------------------------------------- */

struct conf;

/*
 * One worldsctl subcommand. name is the words that select it ("token issue"); run gets
 * the arguments after those words (argv[0] is the name) and returns the exit status:
 * 0 done, 1 the operation failed (the check found violations, the entity exists, ...),
 * 2 bad usage or configuration. Every module that owns commands exports a table of
 * these ending with a zero entry.
 */
struct wcmd {
	const char *name;
	int (*run)(const struct conf *c, int argc, char **argv);
	const char *summary;
};

/* Parses a whole decimal integer into *out; WS_EINVAL on junk, sign errors or overflow. */
int parse_i64(const char *s, int64_t *out);

#endif
