/*
 * The one PRNG of the project: splitmix64 seeding xoshiro256**, one independent stream per
 * (seed, kind name), integer arithmetic only, so that the same seed gives the same
 * numbers on every machine (world-model.md's determinism rules). The generator and the
 * trajectory sampler draw from it.
 */
#include <string.h>

#include "util/util.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_hash64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	size_t i;

	/* FNV-1a: simple, fixed, and the same on every platform. */
	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * The stream for one entity kind depends only on (seed, kind): adding hosts never shifts
 * the numbers the user stream hands out.
 */
void rng_stream(struct rng *r, int64_t seed, const char *kind)
{
	uint64_t x = (uint64_t)seed ^ rng_hash64(kind, strlen(kind), 0xcbf29ce484222325ULL);
	int i;

	(void)splitmix64(&x);
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
		r->s[0] = 1;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	/* Multiply-shift with rejection of the short tail: unbiased and integer only. */
	uint64_t m = (uint64_t)(uint32_t)(rng_next(r) >> 32) * n;
	uint32_t lo = (uint32_t)m;

	if (lo < n) {
		uint32_t thresh = (uint32_t)(-n) % n;

		while (lo < thresh) {
			m = (uint64_t)(uint32_t)(rng_next(r) >> 32) * n;
			lo = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

int rng_chance(struct rng *r, unsigned pm)
{
	return rng_below(r, 1000) < pm;
}

void rng_shuffle(struct rng *r, uint32_t *a, size_t n)
{
	size_t i;

	for (i = n; i > 1; i--) {
		uint32_t j = rng_below(r, (uint32_t)i), t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

