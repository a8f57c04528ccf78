/*
 * auth_token_verify against our own tokens and their forgeries: every refusal asserts its
 * kind (token_error vs expired_token_error), plus time parsing, roles, slugs and the key
 * ring's directory loading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/auth.h"
#include "tap.h"

#define NOW INT64_C(1800000000)
#define SUB "0f8fad5b-d9cb-469f-a165-70867728950e"

static struct auth_secret key_a, key_b;
static struct auth_keyring ring; /* holds key_a only */
static struct auth_policy pol;

static void make_key(struct auth_secret *s, unsigned char fill)
{
	unsigned char seed[32], pk[AUTH_PK_BYTES];

	memset(seed, fill, sizeof(seed));
	crypto_sign_seed_keypair(pk, s->sk, seed);
	auth_paserk_pid(pk, sizeof(pk), s->kid);
}

static void spec_default(struct auth_token_spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->iss = "worlds";
	sp->aud = "worlds-api";
	sp->sub = SUB;
	sp->jti = "jti-1";
	sp->iat = NOW - 10;
	sp->exp = NOW + 600;
}

/* Signs sp with key into b (reset first). */
static void issue(struct wbuf *b, const struct auth_secret *key, const struct auth_token_spec *sp)
{
	char err[256];

	wbuf_reset(b);
	if (auth_token_sign(key, sp, b, err, sizeof(err)) != WS_OK)
		printf("# sign failed: %s\n", err);
}

/* Signs raw payload and footer with key_a (for shapes auth_token_sign would not make). */
static void issue_raw(struct wbuf *b, const char *payload, const char *footer)
{
	wbuf_reset(b);
	auth_paseto_sign(key_a.sk, payload, strlen(payload), footer, strlen(footer), "", 0, b);
}

static void expect(struct tap *t, const char *token, size_t len, int want_rc,
    enum auth_fail want_fail, const char *what)
{
	struct auth_claims c;
	char err[256] = "";
	int rc = auth_token_verify(&ring, token, len, &pol, NOW, &c, err, sizeof(err));
	char line[400];

	snprintf(line, sizeof(line), "%s -> %s", what,
	    c.fail == AUTH_FAIL_NONE ? "ok" : auth_fail_type(c.fail));
	if (!tap_ok(t, rc == want_rc && c.fail == want_fail, line))
		printf("#   expected rc %d fail %d, got rc %d fail %d (%s)\n", want_rc, want_fail, rc,
		    c.fail, err);
	/* No message may carry the token's bytes (its signature part, above all). */
	if (len > 64 && strstr(err, token + len - 20) != NULL)
		tap_ok(t, 0, "error message leaks token bytes");
}

#define BAD(t, tok, what) expect(t, (tok), strlen(tok), WS_EINVAL, AUTH_FAIL_INVALID, what)
#define GOOD(t, tok, what) expect(t, (tok), strlen(tok), WS_OK, AUTH_FAIL_NONE, what)

/* Re-encodes a token after flipping one bit of its decoded body at offset at. */
static void flip_body_bit(struct wbuf *b, size_t at)
{
	unsigned char *body = NULL;
	char *f = NULL, err[128];
	size_t blen = 0, flen = 0;

	if (auth_paseto_split(b->p, b->len, &body, &blen, &f, &flen, err, sizeof(err)) != WS_OK)
		return;
	body[at % blen] ^= 0x01;
	wbuf_reset(b);
	wbuf_puts(b, "v4.public.");
	auth_b64_encode(body, blen, b);
	if (flen > 0) {
		wbuf_putc(b, '.');
		auth_b64_encode((unsigned char *)f, flen, b);
	}
	free(body);
	free(f);
}

static void test_forgeries(struct tap *t)
{
	struct auth_token_spec sp;
	struct wbuf b, c;
	char *dot, tmp[AUTH_TOKEN_MAX + 64], footer[2048];
	size_t blen, k;
	struct auth_claims cl;
	char err[256];

	wbuf_init(&b);
	wbuf_init(&c);
	spec_default(&sp);
	issue(&b, &key_a, &sp);
	GOOD(t, wbuf_cstr(&b), "a fresh token");
	tap_int(t, auth_token_verify(&ring, b.p, b.len, &pol, NOW, &cl, err, sizeof(err)), WS_OK,
	    "claims read");
	tap_str(t, cl.sub, SUB, "sub");
	tap_str(t, cl.jti, "jti-1", "jti");
	tap_str(t, cl.kid, key_a.kid, "kid");
	tap_int(t, cl.exp, NOW + 600, "exp");

	/* header: one flipped bit in "v4.public." */
	snprintf(tmp, sizeof(tmp), "%s", b.p);
	tmp[3] ^= 0x01;
	BAD(t, tmp, "flipped bit in header");
	tmp[3] ^= 0x01;
	tmp[0] ^= 0x20;
	BAD(t, tmp, "upper-case V4 header");

	/* payload, signature, footer */
	dot = strrchr(b.p, '.');
	blen = (size_t)(dot - b.p) - 10;
	wbuf_reset(&c);
	wbuf_puts(&c, b.p);
	flip_body_bit(&c, 5);
	BAD(t, wbuf_cstr(&c), "flipped bit in payload");
	wbuf_reset(&c);
	wbuf_puts(&c, b.p);
	flip_body_bit(&c, blen * 3 / 4 - 3);
	BAD(t, wbuf_cstr(&c), "flipped bit in signature");
	snprintf(tmp, sizeof(tmp), "%s", b.p);
	tmp[(size_t)(dot - b.p) + 2] ^= 0x01; /* '{"' -> the quote's base64 changes */
	BAD(t, tmp, "flipped bit in footer");
	/* a footer naming another key that is in the ring: the signature covers the footer */
	{
		struct auth_keyring two;
		char pb[AUTH_PASERK_PUBLIC_SIZE], e2[128];
		struct wbuf f2;

		auth_keyring_init(&two);
		auth_paserk_public_encode(key_a.sk + 32, 32, pb);
		auth_keyring_add(&two, pb, strlen(pb), "a", e2, sizeof(e2));
		auth_paserk_public_encode(key_b.sk + 32, 32, pb);
		auth_keyring_add(&two, pb, strlen(pb), "b", e2, sizeof(e2));
		wbuf_init(&f2);
		wbuf_put(&f2, b.p, (size_t)(dot - b.p) + 1);
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\"}", key_b.kid);
		auth_b64_encode((unsigned char *)footer, strlen(footer), &f2);
		tap_int(t, auth_token_verify(&two, f2.p, f2.len, &pol, NOW, &cl, e2, sizeof(e2)),
		    WS_EINVAL, "footer swapped for another known kid -> token_error");
		wbuf_free(&f2);
		auth_keyring_free(&two);
	}

	/* truncated, padded, non-canonical */
	expect(t, b.p, b.len - 1, WS_EINVAL, AUTH_FAIL_INVALID, "truncated by one character");
	expect(t, b.p, b.len / 2, WS_EINVAL, AUTH_FAIL_INVALID, "truncated by half");
	expect(t, b.p, 10, WS_EINVAL, AUTH_FAIL_INVALID, "header only");
	snprintf(tmp, sizeof(tmp), "%.*s=%s", (int)(dot - b.p), b.p, dot);
	BAD(t, tmp, "padded payload ('=')");
	snprintf(tmp, sizeof(tmp), "%s=", b.p);
	BAD(t, tmp, "padded footer ('=')");
	snprintf(tmp, sizeof(tmp), "%s.", b.p);
	BAD(t, tmp, "trailing dot");
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(dot - b.p), b.p);
	BAD(t, tmp, "footer cut off");
	snprintf(tmp, sizeof(tmp), "%.*s.", (int)(dot - b.p), b.p);
	BAD(t, tmp, "empty footer after a dot");
	snprintf(tmp, sizeof(tmp), "%s", b.p);
	for (k = 10; tmp[k] != '.'; k++)
		if (tmp[k] == '-')
			tmp[k] = '+';
		else if (tmp[k] == '_')
			tmp[k] = '/';
	if (strcmp(tmp, b.p) != 0)
		BAD(t, tmp, "standard base64 alphabet (+/)");
	/* Spare bits: the last character of a body whose length is not a multiple of 3
	 * carries unused low bits; setting one spells the same bytes another way. */
	for (k = 2; k < 40; k++) {
		char jti[64];

		memset(jti, 'j', k);
		jti[k] = '\0';
		sp.jti = jti;
		issue(&c, &key_a, &sp);
		dot = strrchr(c.p, '.');
		if (((size_t)(dot - c.p) - 10) % 4 != 0)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%s", c.p);
	dot = strrchr(tmp, '.');
	GOOD(t, tmp, "token with spare base64 bits, canonical");
	dot[-1] = dot[-1] == 'A' ? 'B' : dot[-1] == 'Q' ? 'R' : dot[-1] == 'g' ? 'h' :
	    dot[-1] == 'w' ? 'x' : (char)(dot[-1] ^ 0x01);
	BAD(t, tmp, "non-canonical base64 (spare bits set)");
	snprintf(tmp, sizeof(tmp), "%s", c.p);
	tmp[20] = ' ';
	BAD(t, tmp, "a space inside");
	snprintf(tmp, sizeof(tmp), " %s", c.p);
	BAD(t, tmp, "leading space");
	spec_default(&sp);

	/* unknown kid, kid that is really a key */
	issue(&c, &key_b, &sp);
	BAD(t, wbuf_cstr(&c), "unknown kid (key not in the ring)");
	{
		char pk[AUTH_PASERK_PUBLIC_SIZE], skp[AUTH_PASERK_SECRET_SIZE];
		const char *payload = "{\"iss\":\"worlds\",\"aud\":\"worlds-api\",\"sub\":\"" SUB
				      "\",\"iat\":\"2027-01-15T07:59:50Z\",\"exp\":"
				      "\"2027-01-15T08:10:00Z\",\"jti\":\"x\"}";

		issue_raw(&c, payload, "");
		BAD(t, wbuf_cstr(&c), "no footer");
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\"}", key_a.kid);
		issue_raw(&c, payload, footer);
		GOOD(t, wbuf_cstr(&c), "hand-made payload with a good footer");
		auth_paserk_public_encode(key_a.sk + 32, 32, pk);
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\"}", pk);
		issue_raw(&c, payload, footer);
		BAD(t, wbuf_cstr(&c), "kid that is a k4.public key");
		auth_paserk_secret_encode(key_a.sk, 64, skp);
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\"}", skp);
		issue_raw(&c, payload, footer);
		BAD(t, wbuf_cstr(&c), "kid that is a k4.secret key");
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\",\"wpk\":\"x\"}", key_a.kid);
		issue_raw(&c, payload, footer);
		BAD(t, wbuf_cstr(&c), "footer with a member besides kid");
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\",\"kid\":\"%s\"}", key_a.kid,
		    key_a.kid);
		issue_raw(&c, payload, footer);
		BAD(t, wbuf_cstr(&c), "footer with kid twice");
		issue_raw(&c, payload, key_a.kid);
		BAD(t, wbuf_cstr(&c), "footer that is a bare kid, not JSON");
		/* oversize footer: 1025 bytes of valid JSON */
		k = (size_t)snprintf(footer, sizeof(footer), "{\"kid\":\"%s\",\"p\":\"", key_a.kid);
		while (k < AUTH_FOOTER_MAX - 1)
			footer[k++] = 'p';
		memcpy(footer + k, "\"}", 3);
		issue_raw(&c, payload, footer);
		BAD(t, wbuf_cstr(&c), "footer of 1025 bytes");
		/* payload shapes */
		snprintf(footer, sizeof(footer), "{\"kid\":\"%s\"}", key_a.kid);
		issue_raw(&c, "[1,2,3]", footer);
		BAD(t, wbuf_cstr(&c), "payload is an array");
		issue_raw(&c, "\"iss\"", footer);
		BAD(t, wbuf_cstr(&c), "payload is a string");
		issue_raw(&c, "{\"iss\":\"worlds\"", footer);
		BAD(t, wbuf_cstr(&c), "payload is truncated JSON");
		snprintf(tmp, sizeof(tmp), "%.*s,\"iss\":\"evil\"}", (int)strlen(payload) - 1, payload);
		issue_raw(&c, tmp, footer);
		BAD(t, wbuf_cstr(&c), "payload with iss twice");
		snprintf(tmp, sizeof(tmp), "%s x", payload);
		issue_raw(&c, tmp, footer);
		BAD(t, wbuf_cstr(&c), "payload with trailing junk");
		snprintf(tmp, sizeof(tmp), "%.*s,\"d\":[[[[[[[1]]]]]]]}", (int)strlen(payload) - 1,
		    payload);
		issue_raw(&c, tmp, footer);
		GOOD(t, wbuf_cstr(&c), "payload nested 8 deep");
		snprintf(tmp, sizeof(tmp), "%.*s,\"d\":[[[[[[[[1]]]]]]]]}", (int)strlen(payload) - 1,
		    payload);
		issue_raw(&c, tmp, footer);
		BAD(t, wbuf_cstr(&c), "payload nested 9 deep");
		snprintf(tmp, sizeof(tmp), "%.*s,\"d\":\"\xff\"}", (int)strlen(payload) - 1, payload);
		issue_raw(&c, tmp, footer);
		BAD(t, wbuf_cstr(&c), "payload not UTF-8");
		/* a token past 8 KiB */
		k = (size_t)snprintf(tmp, sizeof(tmp), "%.*s,\"pad\":\"", (int)strlen(payload) - 1,
		    payload);
		while (k < 6200)
			tmp[k++] = 'x';
		memcpy(tmp + k, "\"}", 3);
		issue_raw(&c, tmp, footer);
		tap_ok(t, c.len > AUTH_TOKEN_MAX, "padded token is over 8 KiB");
		BAD(t, wbuf_cstr(&c), "token over 8 KiB");
	}
	/* local and other versions */
	BAD(t, "v4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAr68PS4AXe7If_ZgesdkUMvS",
	    "v4.local token");
	BAD(t, "v3.public.AAAA", "v3.public token");
	BAD(t, "", "empty token");
	wbuf_free(&b);
	wbuf_free(&c);
}

static void test_claims(struct tap *t)
{
	struct auth_token_spec sp;
	struct wbuf b;

	wbuf_init(&b);
	spec_default(&sp);
	sp.iat = NOW - 700;
	sp.exp = NOW - 61;
	issue(&b, &key_a, &sp);
	expect(t, b.p, b.len, WS_EINVAL, AUTH_FAIL_EXPIRED, "expired 61 s ago");
	sp.exp = NOW - 59;
	issue(&b, &key_a, &sp);
	GOOD(t, wbuf_cstr(&b), "expired 59 s ago (within skew)");
	sp.exp = NOW - 60;
	issue(&b, &key_a, &sp);
	expect(t, b.p, b.len, WS_EINVAL, AUTH_FAIL_EXPIRED, "expired exactly the skew ago");
	spec_default(&sp);
	sp.nbf = NOW + 120;
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "nbf 120 s in the future");
	sp.nbf = NOW + 30;
	issue(&b, &key_a, &sp);
	GOOD(t, wbuf_cstr(&b), "nbf 30 s in the future (within skew)");
	spec_default(&sp);
	sp.iat = NOW + 61;
	sp.exp = NOW + 600;
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "iat beyond skew");
	spec_default(&sp);
	sp.iat = NOW;
	sp.exp = NOW + 3601;
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "lifetime 3601 s over max_token_ttl 3600");
	sp.exp = NOW + 3600;
	issue(&b, &key_a, &sp);
	GOOD(t, wbuf_cstr(&b), "lifetime exactly max_token_ttl");
	spec_default(&sp);
	sp.aud = "worlds-api-staging";
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "wrong aud");
	sp.aud = "worlds-ap";
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "aud a prefix of ours");
	spec_default(&sp);
	sp.iss = "someone-else";
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "wrong iss");
	spec_default(&sp);
	sp.sub = "alice";
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "sub not a UUID");
	/* a wrong aud on an expired token is a token_error: claims go in order */
	spec_default(&sp);
	sp.aud = "nope";
	sp.iat = NOW - 700;
	sp.exp = NOW - 100;
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "wrong aud and expired");
	wbuf_free(&b);
}

static int revoked_answer;
static int fake_revoked(void *ctx, const char *jti, int *revoked)
{
	*revoked = strcmp(jti, (const char *)ctx) == 0;
	return revoked_answer;
}

static void test_revocation(struct tap *t)
{
	struct auth_token_spec sp;
	struct wbuf b;

	wbuf_init(&b);
	spec_default(&sp);
	pol.jti_revoked = fake_revoked;
	pol.jti_ctx = (void *)"jti-1";
	revoked_answer = WS_OK;
	issue(&b, &key_a, &sp);
	BAD(t, wbuf_cstr(&b), "revoked jti");
	sp.jti = "jti-2";
	issue(&b, &key_a, &sp);
	GOOD(t, wbuf_cstr(&b), "another jti is fine");
	revoked_answer = WS_EDB;
	expect(t, b.p, b.len, WS_EDB, AUTH_FAIL_DB, "revocation lookup failing");
	pol.jti_revoked = NULL;
	sp.jti = NULL;
	issue(&b, &key_a, &sp);
	GOOD(t, wbuf_cstr(&b), "token with a generated jti");
	wbuf_free(&b);
}

static void test_time(struct tap *t)
{
	int64_t v = 0;

	tap_int(t, auth_time_parse("2022-01-01T00:00:00+00:00", 25, &v), WS_OK, "offset form");
	tap_int(t, v, 1640995200, "2022-01-01 epoch");
	auth_time_parse("2022-01-01T01:30:00+01:30", 25, &v);
	tap_int(t, v, 1640995200, "positive offset subtracts");
	auth_time_parse("2021-12-31T23:00:00.999-01:00", 29, &v);
	tap_int(t, v, 1640995200, "fraction truncated, negative offset");
	auth_time_parse("2024-02-29T12:00:00Z", 20, &v);
	tap_int(t, v, 1709208000, "leap day");
	tap_int(t, auth_time_parse("2023-02-29T12:00:00Z", 20, &v), WS_EINVAL, "no 29 Feb 2023");
	tap_int(t, auth_time_parse("2022-01-01 00:00:00Z", 20, &v), WS_EINVAL, "space separator");
	tap_int(t, auth_time_parse("2022-01-01T00:00:00", 19, &v), WS_EINVAL, "no zone");
	tap_int(t, auth_time_parse("2022-13-01T00:00:00Z", 20, &v), WS_EINVAL, "month 13");
	tap_int(t, auth_time_parse("2022-01-01T24:00:00Z", 20, &v), WS_EINVAL, "hour 24");
	tap_int(t, auth_time_parse("2022-01-01T00:00:00.Z", 21, &v), WS_EINVAL, "empty fraction");
	tap_int(t, auth_time_parse("1800000000", 10, &v), WS_EINVAL, "a number");
	{
		char out[32];

		auth_time_format(1640995200, out);
		tap_str(t, out, "2022-01-01T00:00:00Z", "format");
	}
}

static void test_roles(struct tap *t)
{
	enum auth_role r;

	tap_ok(t, auth_role_allows(AUTH_ROLE_ADMIN, AUTH_ROLE_EDITOR), "admin does editor work");
	tap_ok(t, auth_role_allows(AUTH_ROLE_EDITOR, AUTH_ROLE_EDITOR), "editor does editor work");
	tap_ok(t, !auth_role_allows(AUTH_ROLE_VIEWER, AUTH_ROLE_EDITOR), "viewer cannot write");
	tap_ok(t, !auth_role_allows(AUTH_ROLE_EDITOR, AUTH_ROLE_ADMIN), "editor cannot delete");
	tap_ok(t, auth_role_allows(AUTH_ROLE_VIEWER, AUTH_ROLE_VIEWER), "viewer reads");
	tap_ok(t, !auth_role_allows(AUTH_ROLE_NONE, AUTH_ROLE_VIEWER), "none reads nothing");
	tap_ok(t, !auth_role_allows(AUTH_ROLE_ADMIN, AUTH_ROLE_NONE), "need none is refused");
	tap_ok(t, auth_role_parse("editor", &r) == WS_OK && r == AUTH_ROLE_EDITOR, "parse editor");
	tap_ok(t, auth_role_parse("Admin", &r) == WS_EINVAL, "parse is exact");
	tap_str(t, auth_role_name(AUTH_ROLE_ADMIN), "admin", "role name");
	tap_ok(t, auth_slug_valid("acme-1"), "slug acme-1");
	tap_ok(t, !auth_slug_valid("-acme"), "slug may not start with -");
	tap_ok(t, !auth_slug_valid("Acme"), "slug lower case only");
	tap_ok(t, !auth_slug_valid(""), "slug not empty");
	tap_ok(t, auth_slug_valid("a23456789012345678901234567890123456789012345678901234567890123"),
	    "slug of 63");
	tap_ok(t, !auth_slug_valid("a234567890123456789012345678901234567890123456789012345678901234"),
	    "slug of 64 refused");
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_keyring_dir(struct tap *t)
{
	char dir[] = "/tmp/auth-test-XXXXXX", pa[AUTH_PASERK_PUBLIC_SIZE + 2],
	     pb[AUTH_PASERK_PUBLIC_SIZE], sa[AUTH_PASERK_SECRET_SIZE], path[512], err[512];
	struct auth_keyring kr;
	struct auth_secret loaded;

	if (mkdtemp(dir) == NULL) {
		tap_ok(t, 0, "mkdtemp");
		return;
	}
	auth_keyring_init(&kr);
	tap_int(t, auth_keyring_load_dir(&kr, dir, err, sizeof(err)), WS_ENOTFOUND,
	    "empty keys_dir refused");
	auth_paserk_public_encode(key_a.sk + 32, 32, pa);
	strcat(pa, "\n");
	auth_paserk_public_encode(key_b.sk + 32, 32, pb);
	write_file(dir, "a.public", pa);
	write_file(dir, "b.public", pb);
	write_file(dir, "notes.txt", "not a key");
	tap_int(t, auth_keyring_load_dir(&kr, dir, err, sizeof(err)), WS_OK, "two keys load");
	tap_int(t, (long long)kr.n, 2, "two keys in the ring");
	tap_ok(t, auth_keyring_find(&kr, key_b.kid) != NULL, "key b found by kid");
	snprintf(path, sizeof(path), "%s/a.public", dir);
	unlink(path);
	tap_int(t, auth_keyring_load_dir(&kr, dir, err, sizeof(err)), WS_OK, "reload after removal");
	tap_ok(t, kr.n == 1 && auth_keyring_find(&kr, key_a.kid) == NULL, "removed key is gone");
	auth_paserk_secret_encode(key_a.sk, 64, sa);
	write_file(dir, "oops.public", sa);
	tap_int(t, auth_keyring_load_dir(&kr, dir, err, sizeof(err)), WS_EINVAL,
	    "a secret key in a .public file refused");
	tap_ok(t, strstr(err, "oops.public") != NULL && strstr(err, sa + 10) == NULL,
	    "message names the file, not the key");
	tap_ok(t, kr.n == 1 && auth_keyring_find(&kr, key_b.kid) != NULL,
	    "failed reload keeps the old ring");
	snprintf(path, sizeof(path), "%s/oops.public", dir);
	unlink(path);
	/* a secret file: mode 0600 needed */
	write_file(dir, "k.secret", sa);
	snprintf(path, sizeof(path), "%s/k.secret", dir);
	chmod(path, 0644);
	tap_int(t, auth_secret_load(path, &loaded, err, sizeof(err)), WS_EINVAL,
	    "secret readable by others refused");
	chmod(path, 0600);
	tap_int(t, auth_secret_load(path, &loaded, err, sizeof(err)), WS_OK, "secret at 0600 loads");
	tap_str(t, loaded.kid, key_a.kid, "loaded secret's kid");
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.public", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	unlink(path);
	rmdir(dir);
	auth_keyring_free(&kr);
}

int main(void)
{
	struct tap t = { 0, 0 };
	char pa[AUTH_PASERK_PUBLIC_SIZE], err[256];

	if (sodium_init() < 0) {
		tap_ok(&t, 0, "sodium_init");
		return tap_done(&t);
	}
	make_key(&key_a, 0x11);
	make_key(&key_b, 0x22);
	auth_keyring_init(&ring);
	auth_paserk_public_encode(key_a.sk + 32, 32, pa);
	tap_int(&t, auth_keyring_add(&ring, pa, strlen(pa), "a", err, sizeof(err)), WS_OK,
	    "ring holds key a");
	memset(&pol, 0, sizeof(pol));
	pol.issuer = "worlds";
	pol.audience = "worlds-api";
	pol.max_ttl = 3600;
	pol.skew = AUTH_SKEW;
	test_forgeries(&t);
	test_claims(&t);
	test_revocation(&t);
	test_time(&t);
	test_roles(&t);
	test_keyring_dir(&t);
	auth_keyring_free(&ring);
	return tap_done(&t);
}
