/*
 * Our tokens on top of PASETO: the footer names the key, the payload carries the claims.
 * auth_token_verify is pure (no clock, no files, no database but through the policy's
 * callback) so that a fuzzer can drive it with a fixed key ring.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <sodium.h>

#include "auth/auth.h"
#include "conf/conf.h"

const char *auth_fail_type(enum auth_fail f)
{
	switch (f) {
	case AUTH_FAIL_INVALID:
		return "token_error";
	case AUTH_FAIL_EXPIRED:
		return "expired_token_error";
	case AUTH_FAIL_DB:
		return "database_error";
	default:
		return NULL;
	}
}

void auth_policy_from_conf(struct auth_policy *p, const struct conf *c)
{
	memset(p, 0, sizeof(*p));
	p->issuer = c->token_issuer;
	p->audience = c->token_audience;
	p->max_ttl = c->max_token_ttl;
	p->skew = AUTH_SKEW;
}

/* ---- time ---------------------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
	size_t k;
	int v = 0;

	if (at + count > n)
		return 0;
	for (k = 0; k < count; k++) {
		if (s[at + k] < '0' || s[at + k] > '9')
			return 0;
		v = v * 10 + (s[at + k] - '0');
	}
	*out = v;
	return 1;
}

int auth_time_parse(const char *s, size_t n, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, leap;
	size_t p = 19, frac = 0;
	int64_t off = 0;

	if (n < 20 || n > 40 || !digits(s, n, 0, 4, &y) || s[4] != '-' ||
	    !digits(s, n, 5, 2, &mo) || s[7] != '-' || !digits(s, n, 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s, n, 11, 2, &h) || s[13] != ':' ||
	    !digits(s, n, 14, 2, &mi) || s[16] != ':' || !digits(s, n, 17, 2, &sec))
		return WS_EINVAL;
	if (s[p] == '.') {
		p++;
		while (p < n && s[p] >= '0' && s[p] <= '9') {
			p++;
			frac++;
		}
		if (frac == 0 || frac > 9)
			return WS_EINVAL;
	}
	if (p < n && (s[p] == 'Z' || s[p] == 'z')) {
		p++;
	} else if (p < n && (s[p] == '+' || s[p] == '-')) {
		if (!digits(s, n, p + 1, 2, &oh) || p + 3 >= n || s[p + 3] != ':' ||
		    !digits(s, n, p + 4, 2, &om) || oh > 23 || om > 59)
			return WS_EINVAL;
		off = (int64_t)oh * 3600 + om * 60;
		if (s[p] == '-')
			off = -off;
		p += 6;
	} else {
		return WS_EINVAL;
	}
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (p != n || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59)
		return WS_EINVAL;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return WS_OK;
}

void auth_time_format(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "invalid");
}

/* ---- JSON shape, checked before json-c sees a byte ------------------------------------- */

/*
 * Walks the text once: it must open with an object, nest at most max levels, and the number
 * of top-level members is counted (compared with what json-c keeps, it exposes duplicate
 * keys, which two parsers might resolve differently).
 */
static int json_shape(const char *s, size_t n, int max, size_t *members)
{
	size_t k = 0;
	int depth = 0, in_str = 0;

	*members = 0;
	while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
		k++;
	if (k == n || s[k] != '{')
		return WS_EINVAL;
	for (; k < n; k++) {
		char c = s[k];

		if (in_str) {
			if (c == '\\')
				k++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return WS_EINVAL;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ':' && depth == 1) {
			(*members)++;
		}
	}
	return WS_OK;
}

/* Parses a JSON object: UTF-8, depth, strict grammar, nothing after it, no duplicate keys. */
static int parse_object(const char *s, size_t n, struct json_object **out)
{
	struct json_tokener *tok = NULL;
	struct json_object *o = NULL;
	size_t members, end;
	int rc = WS_EINVAL;

	*out = NULL;
	if (n > (size_t)AUTH_TOKEN_MAX || !utf8_valid(s, n) ||
	    json_shape(s, n, AUTH_JSON_DEPTH, &members) != WS_OK)
		goto out;
	tok = json_tokener_new_ex(AUTH_JSON_DEPTH + 1);
	if (tok == NULL) {
		rc = WS_ENOMEM;
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)n);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object) ||
	    (size_t)json_object_object_length(o) != members)
		goto out;
	for (end = json_tokener_get_parse_end(tok); end < n; end++)
		if (s[end] != ' ' && s[end] != '\t' && s[end] != '\n' && s[end] != '\r')
			goto out;
	*out = o;
	o = NULL;
	rc = WS_OK;
out:
	json_object_put(o);
	if (tok != NULL)
		json_tokener_free(tok);
	return rc;
}

/* The member's string value when it is present and a string without a NUL; else NULL. */
static const char *get_str(struct json_object *o, const char *key, size_t *len)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return memchr(s, '\0', *len) == NULL ? s : NULL;
}

static int get_time(struct json_object *o, const char *key, int64_t *t)
{
	size_t len;
	const char *s = get_str(o, key, &len);

	return s != NULL && auth_time_parse(s, len, t) == WS_OK ? WS_OK : WS_EINVAL;
}

static int str_is(const char *s, size_t len, const char *want)
{
	return s != NULL && want != NULL && want[0] != '\0' && strlen(want) == len &&
	    memcmp(s, want, len) == 0;
}

/* Footer: {"kid": "k4.pid.…"} and nothing else. */
static int check_footer(const char *f, size_t flen, char kid[AUTH_KID_SIZE], char *err,
    size_t errlen)
{
	struct json_object *o = NULL;
	const char *k;
	size_t klen = 0;
	int rc = WS_EINVAL;

	if (flen == 0) {
		snprintf(err, errlen, "no footer: the key id is missing");
		goto out;
	}
	if (parse_object(f, flen, &o) != WS_OK || json_object_object_length(o) != 1 ||
	    (k = get_str(o, "kid", &klen)) == NULL) {
		snprintf(err, errlen, "footer is not {\"kid\": \"k4.pid...\"}");
		goto out;
	}
	/* PASERK says a footer must never carry a key: refuse any k<n>.* that is not a pid. */
	if (klen >= 3 && k[0] == 'k' && isdigit((unsigned char)k[1]) && k[2] == '.' &&
	    !(klen >= 7 && memcmp(k, "k4.pid.", 7) == 0)) {
		snprintf(err, errlen, "footer kid is a key or another PASERK type, not a k4.pid");
		goto out;
	}
	if (!auth_kid_valid(k, klen)) {
		snprintf(err, errlen, "footer kid is not a k4.pid");
		goto out;
	}
	memcpy(kid, k, klen);
	kid[klen] = '\0';
	rc = WS_OK;
out:
	json_object_put(o);
	return rc;
}

static int jti_ok(const char *s, size_t len)
{
	size_t k;

	if (s == NULL || len == 0 || len > AUTH_JTI_MAX)
		return 0;
	for (k = 0; k < len; k++)
		if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
			return 0;
	return 1;
}

/* iss, aud, time window, lifetime, sub and jti, in that order. */
static int check_claims(struct json_object *o, const struct auth_policy *pol, int64_t now,
    struct auth_claims *out, char *err, size_t errlen)
{
	const char *s;
	size_t len = 0;
	struct json_object *v;
	int has_nbf = json_object_object_get_ex(o, "nbf", &v), k;

	/* (get_str sets len, so it is called before len is read) */
	s = get_str(o, "iss", &len);
	if (!str_is(s, len, pol->issuer)) {
		snprintf(err, errlen, "wrong or missing issuer");
		return WS_EINVAL;
	}
	s = get_str(o, "aud", &len);
	if (!str_is(s, len, pol->audience)) {
		snprintf(err, errlen, "wrong or missing audience");
		return WS_EINVAL;
	}
	if (get_time(o, "iat", &out->iat) != WS_OK || get_time(o, "exp", &out->exp) != WS_OK ||
	    (has_nbf && get_time(o, "nbf", &out->nbf) != WS_OK)) {
		snprintf(err, errlen, "iat and exp must be RFC 3339 times (nbf too, when present)");
		return WS_EINVAL;
	}
	if (!has_nbf)
		out->nbf = out->iat;
	if (out->exp <= out->iat || out->nbf > out->exp) {
		snprintf(err, errlen, "exp must come after iat and nbf");
		return WS_EINVAL;
	}
	if (out->iat > now + pol->skew) {
		snprintf(err, errlen, "issued in the future (iat beyond the allowed skew)");
		return WS_EINVAL;
	}
	if (out->nbf > now + pol->skew) {
		snprintf(err, errlen, "not valid yet (nbf)");
		return WS_EINVAL;
	}
	if (now >= out->exp + pol->skew) {
		out->fail = AUTH_FAIL_EXPIRED;
		snprintf(err, errlen, "expired");
		return WS_EINVAL;
	}
	if (out->exp - out->iat > pol->max_ttl) {
		snprintf(err, errlen, "lifetime exp - iat over max_token_ttl (%lld s)",
		    (long long)pol->max_ttl);
		return WS_EINVAL;
	}
	s = get_str(o, "sub", &len);
	if (s == NULL || len != 36 || uuid_version(s) < 0) {
		snprintf(err, errlen, "sub must be a user id (UUID)");
		return WS_EINVAL;
	}
	for (k = 0; k < 36; k++)
		out->sub[k] = (char)tolower((unsigned char)s[k]);
	out->sub[36] = '\0';
	s = get_str(o, "jti", &len);
	if (!jti_ok(s, len)) {
		snprintf(err, errlen, "jti must be 1 to %d printable bytes", AUTH_JTI_MAX);
		return WS_EINVAL;
	}
	memcpy(out->jti, s, len);
	out->jti[len] = '\0';
	return WS_OK;
}

int auth_token_verify(const struct auth_keyring *kr, const char *token, size_t len,
    const struct auth_policy *pol, int64_t now, struct auth_claims *out, char *err,
    size_t errlen)
{
	unsigned char *body = NULL;
	char *f = NULL;
	size_t blen = 0, flen = 0;
	const struct auth_key *key;
	struct json_object *claims = NULL;
	int rc, revoked = 0;

	memset(out, 0, sizeof(*out));
	out->fail = AUTH_FAIL_INVALID;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to start");
		rc = WS_ERR;
		goto out;
	}
	if (token == NULL || pol == NULL || pol->issuer == NULL || pol->audience == NULL) {
		snprintf(err, errlen, "no token or no policy");
		rc = WS_EINVAL;
		goto out;
	}
	rc = auth_paseto_split(token, len, &body, &blen, &f, &flen, err, errlen);
	if (rc != WS_OK)
		goto out;
	rc = check_footer(f, flen, out->kid, err, errlen);
	if (rc != WS_OK)
		goto out;
	key = auth_keyring_find(kr, out->kid);
	if (key == NULL) {
		snprintf(err, errlen, "unknown key id %s", out->kid);
		rc = WS_EINVAL;
		goto out;
	}
	rc = auth_paseto_check_sig(key->pk, body, blen, f, flen, "", 0);
	if (rc != WS_OK) {
		snprintf(err, errlen, "bad signature");
		goto out;
	}
	/* From here the bytes are ours (we signed them), yet still parsed as if hostile. */
	rc = parse_object((const char *)body, blen - crypto_sign_BYTES, &claims);
	if (rc != WS_OK) {
		snprintf(err, errlen, "payload is not a JSON object within limits");
		goto out;
	}
	rc = check_claims(claims, pol, now, out, err, errlen);
	if (rc != WS_OK)
		goto out;
	if (pol->jti_revoked != NULL) {
		if (pol->jti_revoked(pol->jti_ctx, out->jti, &revoked) != WS_OK) {
			snprintf(err, errlen, "cannot check revocation: database trouble");
			out->fail = AUTH_FAIL_DB;
			rc = WS_EDB;
			goto out;
		}
		if (revoked) {
			snprintf(err, errlen, "revoked (jti %s)", out->jti);
			rc = WS_EINVAL;
			goto out;
		}
	}
	out->fail = AUTH_FAIL_NONE;
	rc = WS_OK;
out:
	if (rc == WS_ENOMEM)
		snprintf(err, errlen, "out of memory");
	json_object_put(claims);
	free(body);
	free(f);
	return rc;
}

int auth_token_sign(const struct auth_secret *sk, const struct auth_token_spec *spec,
    struct wbuf *out, char *err, size_t errlen)
{
	struct wbuf payload, footer;
	struct jw w;
	char t[32], jti[37];
	int rc = WS_EINVAL;

	wbuf_init(&payload);
	wbuf_init(&footer);
	if (spec->iss == NULL || spec->aud == NULL || spec->sub == NULL ||
	    spec->exp <= spec->iat || (spec->nbf != 0 && spec->nbf > spec->exp)) {
		snprintf(err, errlen, "iss, aud and sub are needed, and exp after iat and nbf");
		goto out;
	}
	if (spec->jti != NULL && !jti_ok(spec->jti, strlen(spec->jti))) {
		snprintf(err, errlen, "jti must be 1 to %d printable bytes", AUTH_JTI_MAX);
		goto out;
	}
	if (spec->jti == NULL)
		uuid_v4(jti);
	jw_init(&w, &payload, 0);
	jw_obj_begin(&w);
	jw_kstr(&w, "iss", spec->iss);
	jw_kstr(&w, "aud", spec->aud);
	jw_kstr(&w, "sub", spec->sub);
	auth_time_format(spec->iat, t);
	jw_kstr(&w, "iat", t);
	if (spec->nbf != 0) {
		auth_time_format(spec->nbf, t);
		jw_kstr(&w, "nbf", t);
	}
	auth_time_format(spec->exp, t);
	jw_kstr(&w, "exp", t);
	jw_kstr(&w, "jti", spec->jti != NULL ? spec->jti : jti);
	jw_obj_end(&w);
	rc = jw_finish(&w);
	if (rc == WS_OK) {
		jw_init(&w, &footer, 0);
		jw_obj_begin(&w);
		jw_kstr(&w, "kid", sk->kid);
		jw_obj_end(&w);
		rc = jw_finish(&w);
	}
	if (rc != WS_OK) {
		snprintf(err, errlen, "cannot write the claims (not UTF-8?)");
		goto out;
	}
	rc = auth_paseto_sign(sk->sk, payload.p, payload.len, footer.p, footer.len, "", 0, out);
	if (rc != WS_OK)
		snprintf(err, errlen, "cannot sign");
out:
	wbuf_free(&payload);
	wbuf_free(&footer);
	return rc;
}
