/*
 * The token verifier with a fixed key ring (one key from a constant seed) and no
 * revocation callback. The first byte picks what the rest is:
 *   0 (and anything else)  the token's bytes as they would arrive in a header;
 *   1  payload NUL footer, signed with the ring's key, so that the footer checks are reached;
 *   2  payload only, signed with the ring's key under its proper footer, so that the claim
 *      checks (JSON, issuer, audience, times, lifetime, sub) are reached past the signature.
 */
#include <string.h>

#include <sodium.h>

#include "auth/auth.h"
#include "fuzz.h"
#include "util/util.h"

const char fuzz_target_name[] = "token";

#define FUZZ_NOW INT64_C(1800000000)
#define FUZZ_TTL 3600

struct fixture {
	int ready;
	struct auth_secret sk;
	struct auth_keyring ring;
	struct auth_policy pol;
};

/*
 * libFuzzer calls the target millions of times: the key pair and ring are made once and
 * kept for the life of the process (never freed, which LeakSanitizer does not count).
 */
static struct fixture *fixture(void)
{
	static struct fixture fx;
	unsigned char seed[crypto_sign_SEEDBYTES], pk[AUTH_PK_BYTES];
	char paserk[AUTH_PASERK_PUBLIC_SIZE];
	char err[256];

	if (fx.ready)
		return &fx;
	FUZZ_CHECK(sodium_init() >= 0);
	memset(seed, 0x5a, sizeof(seed));
	crypto_sign_seed_keypair(pk, fx.sk.sk, seed);
	FUZZ_CHECK(auth_paserk_pid(pk, sizeof(pk), fx.sk.kid) == WS_OK);
	FUZZ_CHECK(auth_paserk_public_encode(pk, sizeof(pk), paserk) == WS_OK);
	auth_keyring_init(&fx.ring);
	FUZZ_CHECK(auth_keyring_add(&fx.ring, paserk, strlen(paserk), "fuzz", err, sizeof(err)) ==
	    WS_OK);
	fx.pol.issuer = "worlds";
	fx.pol.audience = "worlds-api";
	fx.pol.max_ttl = FUZZ_TTL;
	fx.pol.skew = AUTH_SKEW;
	fx.ready = 1;
	return &fx;
}

static void verify(const struct fixture *fx, const char *tok, size_t len)
{
	struct auth_claims c;
	char err[512];
	int rc;

	memset(&c, 0xa5, sizeof(c));
	err[0] = '\0';
	rc = auth_token_verify(&fx->ring, tok, len, &fx->pol, FUZZ_NOW, &c, err, sizeof(err));
	FUZZ_CHECK(rc == WS_OK || rc == WS_EINVAL || rc == WS_ENOMEM);
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	if (rc == WS_EINVAL)
		FUZZ_CHECK(c.fail == AUTH_FAIL_INVALID || c.fail == AUTH_FAIL_EXPIRED);
	if (rc != WS_OK)
		return;
	/* Accepted: every promise of auth.h holds. */
	FUZZ_CHECK(c.fail == AUTH_FAIL_NONE);
	FUZZ_CHECK(uuid_version(c.sub) >= 0); /* canonical hex; any version nibble */
	FUZZ_CHECK(memchr(c.jti, '\0', sizeof(c.jti)) != NULL);
	FUZZ_CHECK(strcmp(c.kid, fx->sk.kid) == 0);
	FUZZ_CHECK(c.exp - c.iat <= FUZZ_TTL);
	FUZZ_CHECK(c.exp + AUTH_SKEW > FUZZ_NOW);
	FUZZ_CHECK(c.iat - AUTH_SKEW <= FUZZ_NOW && c.nbf - AUTH_SKEW <= FUZZ_NOW);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture *fx = fixture();
	struct wbuf tok, footer;
	const char *rest = (const char *)data + 1;
	const char *nul;
	size_t n = size ? size - 1 : 0;
	char *copy;

	if (size == 0 || size > 16 * 1024)
		return 0;
	wbuf_init(&tok);
	wbuf_init(&footer);
	switch (data[0]) {
	case 1:
		nul = memchr(rest, '\0', n);
		if (nul == NULL)
			auth_paseto_sign(fx->sk.sk, rest, n, "", 0, "", 0, &tok);
		else
			auth_paseto_sign(fx->sk.sk, rest, (size_t)(nul - rest), nul + 1,
			    n - (size_t)(nul - rest) - 1, "", 0, &tok);
		break;
	case 2:
		wbuf_printf(&footer, "{\"kid\":\"%s\"}", fx->sk.kid);
		auth_paseto_sign(fx->sk.sk, rest, n, footer.p, footer.len, "", 0, &tok);
		break;
	default:
		/* Exactly the bytes, in an exact-size buffer: no terminator to lean on. */
		copy = malloc(n ? n : 1);
		if (copy == NULL)
			goto out;
		memcpy(copy, rest, n);
		verify(fx, copy, n);
		free(copy);
		goto out;
	}
	FUZZ_CHECK(tok.err == 0);
	verify(fx, tok.p, tok.len);
out:
	wbuf_free(&tok);
	wbuf_free(&footer);
	return 0;
}
