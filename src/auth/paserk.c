/*
 * PASERK for version 4: k4.public, k4.secret and k4.pid (the key id tokens carry in their
 * footer), and signing keys as files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/auth.h"

static const char pfx_public[] = "k4.public.";
static const char pfx_secret[] = "k4.secret.";
static const char pfx_pid[] = "k4.pid.";
#define PID_HASH_BYTES 33 /* BLAKE2b-264 */

/* Writes prefix + base64url(key) into out (size outsz), which the callers size exactly. */
static int paserk_encode(const char *prefix, const unsigned char *key, size_t n, char *out,
    size_t outsz)
{
	struct wbuf b;
	int rc = WS_OK;

	wbuf_init(&b);
	wbuf_puts(&b, prefix);
	auth_b64_encode(key, n, &b);
	if (b.err)
		rc = WS_ENOMEM;
	else if (b.len + 1 > outsz)
		rc = WS_EINVAL;
	else
		memcpy(out, b.p, b.len + 1);
	if (b.p != NULL)
		sodium_memzero(b.p, b.cap);
	wbuf_free(&b);
	return rc;
}

/* Decodes prefix + base64url into exactly want bytes. */
static int paserk_decode(const char *prefix, const char *s, size_t n, unsigned char *key,
    size_t want)
{
	size_t plen = strlen(prefix), got = 0;

	if (n < plen || memcmp(s, prefix, plen) != 0)
		return WS_EINVAL;
	if (auth_b64_decode(s + plen, n - plen, key, want, &got) != WS_OK || got != want) {
		sodium_memzero(key, want);
		return WS_EINVAL;
	}
	return WS_OK;
}

int auth_paserk_public_encode(const unsigned char *pk, size_t pklen,
    char out[AUTH_PASERK_PUBLIC_SIZE])
{
	if (pk == NULL || pklen != AUTH_PK_BYTES)
		return WS_EINVAL;
	return paserk_encode(pfx_public, pk, pklen, out, AUTH_PASERK_PUBLIC_SIZE);
}

int auth_paserk_public_decode(const char *s, size_t n, unsigned char pk[AUTH_PK_BYTES])
{
	return paserk_decode(pfx_public, s, n, pk, AUTH_PK_BYTES);
}

/* The second half of a libsodium secret key must be what the first half derives. */
static int secret_consistent(const unsigned char *sk)
{
	unsigned char pk[AUTH_PK_BYTES], full[AUTH_SK_BYTES];
	int ok;

	if (sodium_init() < 0)
		return 0;
	crypto_sign_seed_keypair(pk, full, sk);
	ok = sodium_memcmp(pk, sk + crypto_sign_SEEDBYTES, AUTH_PK_BYTES) == 0;
	sodium_memzero(full, sizeof(full));
	return ok;
}

int auth_paserk_secret_encode(const unsigned char *sk, size_t sklen,
    char out[AUTH_PASERK_SECRET_SIZE])
{
	if (sk == NULL || sklen != AUTH_SK_BYTES || !secret_consistent(sk))
		return WS_EINVAL;
	return paserk_encode(pfx_secret, sk, sklen, out, AUTH_PASERK_SECRET_SIZE);
}

int auth_paserk_secret_decode(const char *s, size_t n, unsigned char sk[AUTH_SK_BYTES])
{
	if (paserk_decode(pfx_secret, s, n, sk, AUTH_SK_BYTES) != WS_OK)
		return WS_EINVAL;
	if (!secret_consistent(sk)) {
		sodium_memzero(sk, AUTH_SK_BYTES);
		return WS_EINVAL;
	}
	return WS_OK;
}

int auth_paserk_pid(const unsigned char *pk, size_t pklen, char out[AUTH_KID_SIZE])
{
	char pub[AUTH_PASERK_PUBLIC_SIZE];
	unsigned char h[PID_HASH_BYTES];
	crypto_generichash_state st;
	int rc;

	rc = auth_paserk_public_encode(pk, pklen, pub);
	if (rc != WS_OK)
		return rc;
	if (sodium_init() < 0)
		return WS_ERR;
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)pfx_pid, strlen(pfx_pid));
	crypto_generichash_update(&st, (const unsigned char *)pub, strlen(pub));
	crypto_generichash_final(&st, h, sizeof(h));
	return paserk_encode(pfx_pid, h, sizeof(h), out, AUTH_KID_SIZE);
}

int auth_kid_valid(const char *s, size_t n)
{
	unsigned char h[PID_HASH_BYTES];

	return n == AUTH_KID_SIZE - 1 && paserk_decode(pfx_pid, s, n, h, sizeof(h)) == WS_OK;
}

int auth_secret_generate(struct auth_secret *out)
{
	unsigned char pk[AUTH_PK_BYTES];

	if (sodium_init() < 0)
		return WS_ERR;
	crypto_sign_keypair(pk, out->sk);
	return auth_paserk_pid(pk, sizeof(pk), out->kid);
}

void auth_secret_wipe(struct auth_secret *s)
{
	sodium_memzero(s, sizeof(*s));
}

int auth_secret_load(const char *path, struct auth_secret *out, char *err, size_t errlen)
{
	char buf[512];
	size_t n = 0, a = 0;
	ssize_t got;
	struct stat st;
	int fd, rc = WS_EINVAL;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return WS_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: secret key readable by others (mode %03o): chmod 600 it",
		    path, (unsigned)(st.st_mode & 0777));
		goto out;
	}
	while (n < sizeof(buf) && (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)got;
	if (n == sizeof(buf)) {
		snprintf(err, errlen, "%s: too long for a k4.secret key", path);
		goto out;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
	    buf[n - 1] == '\t'))
		n--;
	while (a < n && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\n' || buf[a] == '\r'))
		a++;
	if (auth_paserk_secret_decode(buf + a, n - a, out->sk) != WS_OK) {
		snprintf(err, errlen, "%s: not a valid k4.secret key", path);
		goto out;
	}
	rc = auth_paserk_pid(out->sk + crypto_sign_SEEDBYTES, AUTH_PK_BYTES, out->kid);
out:
	sodium_memzero(buf, sizeof(buf));
	if (rc != WS_OK)
		auth_secret_wipe(out);
	close(fd);
	return rc;
}
