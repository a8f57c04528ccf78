/*
 * PASETO v4.public framing on top of libsodium: strict base64url, PAE, Ed25519 detached
 * signatures. Nothing here reads the payload; claims are token.c's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/auth.h"

static const char v4_public_header[] = "v4.public.";
#define HEADER_LEN (sizeof(v4_public_header) - 1)
#define SIG_LEN crypto_sign_BYTES
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

void auth_b64_encode(const unsigned char *in, size_t n, struct wbuf *out)
{
	size_t enc = sodium_base64_ENCODED_LEN(n, B64_VARIANT);

	if (wbuf_reserve(out, enc) != WS_OK)
		return;
	sodium_bin2base64(out->p + out->len, enc, in, n, B64_VARIANT);
	out->len += enc - 1;
	out->p[out->len] = '\0';
}

/*
 * libsodium's decoder already refuses padding and foreign characters; re-encoding and
 * comparing also refuses the non-zero spare bits that would give one value two spellings.
 */
int auth_b64_decode(const char *s, size_t n, unsigned char *out, size_t outmax, size_t *outlen)
{
	const char *end = NULL;
	size_t got = 0;
	char *again = NULL;
	size_t enc;
	int rc = WS_EINVAL;

	if (sodium_base642bin(out, outmax, s, n, NULL, &got, &end, B64_VARIANT) != 0 ||
	    end != s + n)
		goto out;
	enc = sodium_base64_ENCODED_LEN(got, B64_VARIANT);
	again = malloc(enc);
	if (again == NULL) {
		rc = WS_ENOMEM;
		goto out;
	}
	sodium_bin2base64(again, enc, out, got, B64_VARIANT);
	if (enc - 1 != n || memcmp(again, s, n) != 0)
		goto out;
	*outlen = got;
	rc = WS_OK;
out:
	free(again);
	return rc;
}

static void le64(struct wbuf *b, uint64_t n)
{
	unsigned char x[8];
	int k;

	n &= UINT64_C(0x7fffffffffffffff); /* PAE keeps the top bit clear */
	for (k = 0; k < 8; k++) {
		x[k] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
	wbuf_put(b, x, sizeof(x));
}

/* Pre-authentication encoding of the four pieces v4.public signs. */
static int pae4(struct wbuf *b, const void *m, size_t mlen, const void *f, size_t flen,
    const void *i, size_t ilen)
{
	le64(b, 4);
	le64(b, HEADER_LEN);
	wbuf_put(b, v4_public_header, HEADER_LEN);
	le64(b, mlen);
	wbuf_put(b, m, mlen);
	le64(b, flen);
	wbuf_put(b, f, flen);
	le64(b, ilen);
	wbuf_put(b, i, ilen);
	return b->err ? WS_ENOMEM : WS_OK;
}

int auth_paseto_sign(const unsigned char sk[AUTH_SK_BYTES], const void *m, size_t mlen,
    const void *f, size_t flen, const void *i, size_t ilen, struct wbuf *out)
{
	struct wbuf pae, body;
	int rc;

	if (sodium_init() < 0)
		return WS_ERR;
	wbuf_init(&pae);
	wbuf_init(&body);
	rc = pae4(&pae, m, mlen, f, flen, i, ilen);
	if (rc != WS_OK)
		goto out;
	wbuf_put(&body, m, mlen);
	if (wbuf_reserve(&body, SIG_LEN) != WS_OK) {
		rc = WS_ENOMEM;
		goto out;
	}
	crypto_sign_detached((unsigned char *)body.p + body.len, NULL, (unsigned char *)pae.p,
	    pae.len, sk);
	body.len += SIG_LEN;
	wbuf_put(out, v4_public_header, HEADER_LEN);
	auth_b64_encode((unsigned char *)body.p, body.len, out);
	if (flen > 0) {
		wbuf_putc(out, '.');
		auth_b64_encode(f, flen, out);
	}
	rc = out->err ? WS_ENOMEM : WS_OK;
out:
	wbuf_free(&pae);
	wbuf_free(&body);
	return rc;
}

int auth_paseto_split(const char *token, size_t len, unsigned char **body, size_t *blen,
    char **f, size_t *flen, char *err, size_t errlen)
{
	const char *p, *dot;
	size_t bodylen, footlen = 0;
	unsigned char *b = NULL;
	char *ft = NULL;
	int rc = WS_EINVAL;

	*body = NULL;
	*f = NULL;
	if (len < HEADER_LEN || memcmp(token, v4_public_header, HEADER_LEN) != 0) {
		snprintf(err, errlen, "not a v4.public token");
		goto out;
	}
	if (len > AUTH_TOKEN_MAX) {
		snprintf(err, errlen, "token longer than %d bytes", AUTH_TOKEN_MAX);
		goto out;
	}
	p = token + HEADER_LEN;
	dot = memchr(p, '.', len - HEADER_LEN);
	bodylen = dot != NULL ? (size_t)(dot - p) : len - HEADER_LEN;
	if (dot != NULL) {
		footlen = len - HEADER_LEN - bodylen - 1;
		/* An empty footer is spelled by leaving the dot out: one token, one spelling. */
		if (footlen == 0) {
			snprintf(err, errlen, "empty footer after a dot");
			goto out;
		}
		if (footlen > sodium_base64_ENCODED_LEN(AUTH_FOOTER_MAX, B64_VARIANT) - 1) {
			snprintf(err, errlen, "footer longer than %d bytes", AUTH_FOOTER_MAX);
			goto out;
		}
	}
	b = malloc(bodylen + 1);
	ft = malloc(footlen + 1);
	if (b == NULL || ft == NULL) {
		rc = WS_ENOMEM;
		goto out;
	}
	rc = auth_b64_decode(p, bodylen, b, bodylen, blen);
	if (rc != WS_OK) {
		if (rc == WS_EINVAL)
			snprintf(err, errlen, "payload is not canonical unpadded base64url");
		goto out;
	}
	if (*blen <= SIG_LEN) {
		snprintf(err, errlen, "token too short for a signature");
		rc = WS_EINVAL;
		goto out;
	}
	*flen = 0;
	if (dot != NULL) {
		rc = auth_b64_decode(dot + 1, footlen, (unsigned char *)ft, footlen, flen);
		if (rc != WS_OK) {
			if (rc == WS_EINVAL)
				snprintf(err, errlen, "footer is not canonical unpadded base64url");
			goto out;
		}
	}
	ft[*flen] = '\0';
	*body = b;
	*f = ft;
	b = NULL;
	ft = NULL;
	rc = WS_OK;
out:
	free(b);
	free(ft);
	return rc;
}

int auth_paseto_check_sig(const unsigned char pk[AUTH_PK_BYTES], const unsigned char *body,
    size_t blen, const void *f, size_t flen, const void *i, size_t ilen)
{
	struct wbuf pae;
	int rc;

	if (blen <= SIG_LEN)
		return WS_EINVAL;
	wbuf_init(&pae);
	rc = pae4(&pae, body, blen - SIG_LEN, f, flen, i, ilen);
	if (rc == WS_OK && crypto_sign_verify_detached(body + blen - SIG_LEN,
	    (unsigned char *)pae.p, pae.len, pk) != 0)
		rc = WS_EINVAL;
	wbuf_free(&pae);
	return rc;
}

int auth_paseto_verify(const unsigned char pk[AUTH_PK_BYTES], const char *token, size_t len,
    const void *i, size_t ilen, char **m, size_t *mlen, char **f, size_t *flen, char *err,
    size_t errlen)
{
	unsigned char *body = NULL;
	size_t blen = 0, plen;
	char *ft = NULL, *payload = NULL;
	int rc;

	*m = NULL;
	*f = NULL;
	if (sodium_init() < 0)
		return WS_ERR;
	rc = auth_paseto_split(token, len, &body, &blen, &ft, flen, err, errlen);
	if (rc != WS_OK)
		goto out;
	plen = blen - SIG_LEN;
	rc = auth_paseto_check_sig(pk, body, blen, ft, *flen, i, ilen);
	if (rc != WS_OK) {
		if (rc == WS_EINVAL)
			snprintf(err, errlen, "bad signature");
		goto out;
	}
	payload = malloc(plen + 1);
	if (payload == NULL) {
		rc = WS_ENOMEM;
		goto out;
	}
	memcpy(payload, body, plen);
	payload[plen] = '\0';
	*m = payload;
	*mlen = plen;
	*f = ft;
	ft = NULL;
	rc = WS_OK;
out:
	free(body);
	free(ft);
	return rc;
}
