/* gen base: an arena for strings, a string map and a growable array. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/internal.h"

/* ---- arena ------------------------------------------------------------------------------- */

struct arena_blk {
	struct arena_blk *next;
	size_t used, cap;
	char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_blk *b = a->blk;

	n = (n + 7) & ~(size_t)7;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > (1u << 20) ? n : (1u << 20);

		b = malloc(sizeof(*b) + cap);
		if (b == NULL) {
			a->err = WS_ENOMEM;
			return NULL;
		}
		b->next = a->blk;
		b->used = 0;
		b->cap = cap;
		a->blk = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(a, n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return arena_strdup(a, tmp);
}

void arena_free(struct arena *a)
{
	struct arena_blk *b = a->blk, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->blk = NULL;
}

/* ---- string map ---------------------------------------------------------------------------- */

int strmap_init(struct strmap *m, size_t expect)
{
	size_t cap = 64;

	while (cap < expect * 2)
		cap <<= 1;
	m->e = calloc(cap, sizeof(*m->e));
	m->cap = m->e ? cap : 0;
	m->n = 0;
	return m->e ? WS_OK : WS_ENOMEM;
}

void strmap_free(struct strmap *m)
{
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

/* FNV's low bits are weak on keys that share long prefixes: mix before masking. */
static uint64_t strmap_hash(const char *key, size_t klen)
{
	uint64_t h = rng_hash64(key, klen, 0xcbf29ce484222325ULL);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static struct strmap_ent *strmap_slot(const struct strmap *m, const char *key, size_t klen,
    uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct strmap_ent *e = &m->e[i];

		if (e->key == NULL)
			return e;
		if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

uint32_t *strmap_get(const struct strmap *m, const char *key, size_t klen)
{
	struct strmap_ent *e;

	if (m->cap == 0)
		return NULL;
	e = strmap_slot(m, key, klen, strmap_hash(key, klen));
	return e->key != NULL ? &e->val : NULL;
}

static int strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->e = calloc(m->cap, sizeof(*m->e));
	if (m->e == NULL) {
		*m = old;
		return WS_ENOMEM;
	}
	m->n = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.e[i].key != NULL) {
			*strmap_slot(m, old.e[i].key, old.e[i].klen, old.e[i].hash) = old.e[i];
			m->n++;
		}
	}
	free(old.e);
	return WS_OK;
}

int strmap_put(struct strmap *m, const char *key, size_t klen, uint32_t val)
{
	uint64_t h = strmap_hash(key, klen);
	struct strmap_ent *e;

	if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != WS_OK)
		return WS_ENOMEM;
	e = strmap_slot(m, key, klen, h);
	if (e->key != NULL)
		return 0;
	e->key = key;
	e->klen = (uint32_t)klen;
	e->val = val;
	e->hash = h;
	m->n++;
	return 1;
}

/* ---- vec ----------------------------------------------------------------------------------- */

void vec_init(struct vec *v, size_t size)
{
	v->p = NULL;
	v->n = v->cap = 0;
	v->size = size;
}

void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void *p = realloc(v->p, cap * v->size);

		if (p == NULL)
			return NULL;
		v->p = p;
		v->cap = cap;
	}
	memset((char *)v->p + v->n * v->size, 0, v->size);
	return (char *)v->p + v->n++ * v->size;
}

void vec_free(struct vec *v)
{
	free(v->p);
	v->p = NULL;
	v->n = v->cap = 0;
}
