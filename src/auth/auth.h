/*
 * auth: bearer tokens (PASETO v4.public over libsodium's Ed25519), PASERK keys and ids,
 * the key ring read from keys_dir, claim checks, and tenancy: which user may do what in
 * which workspace. Tokens say who the caller is; the database says what they may do.
 *
 * Everything here fails closed: a function that cannot prove a token good says it is bad.
 * No secret key, and no token, ever reaches an error message.
 */
#ifndef WORLDS_AUTH_H
#define WORLDS_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "util/util.h"

struct conf;
struct db;

/* Limits checked before any JSON is parsed (architecture.md, Tokens). */
#define AUTH_TOKEN_MAX 8192  /* whole token, bytes */
#define AUTH_FOOTER_MAX 1024 /* decoded footer, bytes */
#define AUTH_JSON_DEPTH 8    /* nesting of payload and footer */
#define AUTH_SKEW 60         /* seconds of clock skew allowed on iat/nbf/exp */
#define AUTH_JTI_MAX 128     /* bytes */

#define AUTH_PK_BYTES 32
#define AUTH_SK_BYTES 64
/* "k4.pid." + 44 characters of base64url (33 bytes of BLAKE2b), + NUL. */
#define AUTH_KID_SIZE 52
/* "k4.public." + 43, + NUL; "k4.secret." + 86, + NUL. */
#define AUTH_PASERK_PUBLIC_SIZE 54
#define AUTH_PASERK_SECRET_SIZE 97

/* ---- low level: PASETO v4.public framing, exactly the standard ------------------------- */

/*
 * Signs payload m with footer f (may be empty) and implicit assertion i (may be empty):
 * appends "v4.public.<b64(m||sig)>[.<b64(f)>]" to out. sk is libsodium's 64-byte
 * Ed25519 secret key (seed || public key). Deterministic: same inputs, same token.
 */
int auth_paseto_sign(const unsigned char sk[AUTH_SK_BYTES], const void *m, size_t mlen,
    const void *f, size_t flen, const void *i, size_t ilen, struct wbuf *out);
/*
 * Verifies a v4.public token against one public key: prefix, canonical unpadded base64url
 * of body and footer, then the signature over PAE(header, m, f, i). On WS_OK the payload
 * and footer bytes are in *m and *f (each NUL-terminated, caller frees both with free()).
 * Any failure is WS_EINVAL with a reason in err. Does not look at the payload's content.
 */
int auth_paseto_verify(const unsigned char pk[AUTH_PK_BYTES], const char *token, size_t len,
    const void *i, size_t ilen, char **m, size_t *mlen, char **f, size_t *flen, char *err,
    size_t errlen);
/*
 * The same first steps without a key: prefix, sizes, canonical base64url. Hands back the
 * decoded message (payload || signature) and footer, caller frees both.
 */
int auth_paseto_split(const char *token, size_t len, unsigned char **body, size_t *blen,
    char **f, size_t *flen, char *err, size_t errlen);

/* Checks the signature of a split token's body (payload || signature). WS_EINVAL if bad. */
int auth_paseto_check_sig(const unsigned char pk[AUTH_PK_BYTES], const unsigned char *body,
    size_t blen, const void *f, size_t flen, const void *i, size_t ilen);

/* Unpadded base64url, strict: any other alphabet, padding or non-zero spare bits fail. */
int auth_b64_decode(const char *s, size_t n, unsigned char *out, size_t outmax, size_t *outlen);
void auth_b64_encode(const unsigned char *in, size_t n, struct wbuf *out);

/* ---- PASERK: k4.public, k4.secret, k4.pid -------------------------------------------- */

/*
 * Key serialisation. The encoders take the key's length so that a key of the wrong size
 * (another version's, a truncated one) is refused rather than read past.
 */
int auth_paserk_public_encode(const unsigned char *pk, size_t pklen,
    char out[AUTH_PASERK_PUBLIC_SIZE]);
int auth_paserk_public_decode(const char *s, size_t n, unsigned char pk[AUTH_PK_BYTES]);
/* Both ways, refuses a secret whose public half is not the one its seed derives. */
int auth_paserk_secret_encode(const unsigned char *sk, size_t sklen,
    char out[AUTH_PASERK_SECRET_SIZE]);
int auth_paserk_secret_decode(const char *s, size_t n, unsigned char sk[AUTH_SK_BYTES]);
/* "k4.pid." + base64url(BLAKE2b-264("k4.pid." || "k4.public.…")). */
int auth_paserk_pid(const unsigned char *pk, size_t pklen, char out[AUTH_KID_SIZE]);
/* 1 when s is a well-formed k4.pid (prefix, 44 canonical base64url characters). */
int auth_kid_valid(const char *s, size_t n);

/* A signing key as worldsctl holds it: never logged, wiped by auth_secret_wipe. */
struct auth_secret {
	unsigned char sk[AUTH_SK_BYTES];
	char kid[AUTH_KID_SIZE];
};

/* Fresh key pair (libsodium's RNG). */
int auth_secret_generate(struct auth_secret *out);
/*
 * Reads a file holding one k4.secret string (surrounding white space ignored). Refuses a
 * file readable by group or others, as ssh does. Messages name the file, never its bytes.
 */
int auth_secret_load(const char *path, struct auth_secret *out, char *err, size_t errlen);
void auth_secret_wipe(struct auth_secret *s);

/* ---- key ring ------------------------------------------------------------------------- */

struct auth_key {
	char kid[AUTH_KID_SIZE];
	unsigned char pk[AUTH_PK_BYTES];
	char source[128]; /* file name (or a label) for messages */
};

/* The public keys a verifier trusts, looked up by kid. */
struct auth_keyring {
	struct auth_key *keys;
	size_t n;
	size_t cap;
};

void auth_keyring_init(struct auth_keyring *kr);
void auth_keyring_free(struct auth_keyring *kr);
/* Adds one k4.public string; the same key twice is kept once. source names it in messages. */
int auth_keyring_add(struct auth_keyring *kr, const char *paserk, size_t n, const char *source,
    char *err, size_t errlen);
const struct auth_key *auth_keyring_find(const struct auth_keyring *kr, const char *kid);
/*
 * (Re)reads dir: every regular file whose name ends in ".public" and holds one k4.public
 * string (white space around it ignored); other files are not read (NAME.secret may sit
 * beside its public half). All or nothing: on any bad file, an empty directory or an
 * unreadable one, the result is an error naming the file and *kr is left exactly as it
 * was, so a SIGHUP with a half-written key keeps the server on its old keys. On WS_OK
 * *kr holds exactly the keys now in dir (old ones gone).
 */
int auth_keyring_load_dir(struct auth_keyring *kr, const char *dir, char *err, size_t errlen);

/* ---- tokens: our claims on top of PASETO ---------------------------------------------- */

/* Why a token was refused; the HTTP layer answers 401 with auth_fail_type(). */
enum auth_fail {
	AUTH_FAIL_NONE = 0,
	AUTH_FAIL_INVALID, /* token_error: anything but expiry */
	AUTH_FAIL_EXPIRED, /* expired_token_error */
	AUTH_FAIL_DB       /* the revocation lookup failed: database_error (500) */
};

/* "token_error", "expired_token_error", "database_error" (NULL for AUTH_FAIL_NONE). */
const char *auth_fail_type(enum auth_fail f);

/*
 * What a verifier demands. issuer and audience are compared for exact equality and are
 * required (NULL or empty refuses every token). jti_revoked, when set, is asked last;
 * it returns WS_OK and sets *revoked, or a negative code (then the token is refused with
 * AUTH_FAIL_DB). auth_jti_revoked_cb with a struct db * as ctx is the database's answer.
 */
struct auth_policy {
	const char *issuer;
	const char *audience;
	int64_t max_ttl; /* seconds: exp - iat may not exceed it */
	int64_t skew;    /* seconds */
	int (*jti_revoked)(void *ctx, const char *jti, int *revoked);
	void *jti_ctx;
};

/* issuer, audience, max_ttl from conf (pointers into c), skew AUTH_SKEW, no revocation. */
void auth_policy_from_conf(struct auth_policy *p, const struct conf *c);

struct auth_claims {
	enum auth_fail fail;
	char sub[37]; /* user id (a canonical UUID) */
	char jti[AUTH_JTI_MAX + 1];
	char kid[AUTH_KID_SIZE];
	int64_t iat, nbf, exp; /* Unix seconds; nbf = iat when the claim is absent */
};

/*
 * The whole check, pure but for the revocation callback, in the order architecture.md
 * gives: prefix, canonical base64url, sizes (token <= 8 KiB, footer <= 1 KiB), footer
 * shape ({"kid": "k4.pid…"} and nothing else; a kid that is a key is refused), kid in kr,
 * signature, payload a JSON object (UTF-8, depth <= 8, no duplicate members), then claims:
 * iss, aud, time window (iat, nbf, exp as RFC 3339, skew seconds either way), lifetime
 * exp - iat <= max_ttl, sub a UUID, jti not revoked. now is Unix seconds.
 *
 * Returns WS_OK with every field of *out filled and out->fail == AUTH_FAIL_NONE; or
 * WS_EINVAL (out->fail INVALID or EXPIRED), WS_EDB (revocation lookup failed, fail DB),
 * WS_ENOMEM. err gets one line for logs: never the token, never a key.
 */
int auth_token_verify(const struct auth_keyring *kr, const char *token, size_t len,
    const struct auth_policy *pol, int64_t now, struct auth_claims *out, char *err,
    size_t errlen);

/* What to put in a new token. jti NULL: a fresh random UUID. nbf 0: no nbf claim. */
struct auth_token_spec {
	const char *iss;
	const char *aud;
	const char *sub;
	const char *jti;
	int64_t iat, nbf, exp;
};

/* Signs a token with our claims and footer {"kid": sk's k4.pid}; appends it to out. */
int auth_token_sign(const struct auth_secret *sk, const struct auth_token_spec *spec,
    struct wbuf *out, char *err, size_t errlen);

/* RFC 3339 date-time (Z or ±hh:mm, optional fraction, truncated) to Unix seconds. */
int auth_time_parse(const char *s, size_t n, int64_t *out);
/* Unix seconds to "YYYY-MM-DDTHH:MM:SSZ". */
void auth_time_format(int64_t t, char out[32]);

/* ---- tenancy ---------------------------------------------------------------------------- */

enum auth_role { AUTH_ROLE_NONE = 0, AUTH_ROLE_VIEWER, AUTH_ROLE_EDITOR, AUTH_ROLE_ADMIN };

/* viewer < editor < admin: 1 when have is at least need (NONE allows nothing). */
int auth_role_allows(enum auth_role have, enum auth_role need);
const char *auth_role_name(enum auth_role r);
/* "viewer", "editor", "admin"; WS_EINVAL otherwise. */
int auth_role_parse(const char *s, enum auth_role *out);
/* 1 when s matches [a-z0-9][a-z0-9-]{0,62} (organization and workspace slugs). */
int auth_slug_valid(const char *s);

/* Who the caller is and what they hold in one workspace. */
struct auth_scope {
	char user_id[37];
	char email[256];
	char username[65];
	char full_name[801]; /* "" when the user has none */
	int has_full_name;
	int disabled;
	char organization_id[37];
	char workspace_id[37];
	char default_project_id[37];
	enum auth_role role;
	int revoked; /* set by auth_resolve_token when the token's jti is revoked */
	char epoch[24]; /* the tenancy epoch (sql/011) this scope was read at */
};

/*
 * Resolves org slug → workspace slug → the user's membership, in one parameterised query.
 *   WS_OK        everything filled; the caller then checks auth_role_allows().
 *   WS_EDENIED   the user is disabled (403), whatever the org and workspace.
 *   WS_ENOTFOUND unknown org, unknown workspace, or the user is not a member of it (404:
 *                the three cannot be told apart, so existence does not leak).
 *   WS_EINVAL    user_id is not a UUID or no such user exists: the token's subject is not
 *                one of ours (answer 401 token_error).
 *   WS_EDB       the database failed (500 database_error).
 * The user fields of *out are filled whenever the user exists.
 */
int auth_resolve(struct db *db, const char *user_id, const char *org_slug, const char *ws_slug,
    struct auth_scope *out);

/*
 * auth_resolve for a verified token, with its revocation checked in the same round trip:
 * a revoked jti gives WS_EINVAL (401 token_error) with out->revoked set, before anything
 * is said of the user or the workspace. Verify with no jti_revoked callback, then call
 * this: one query per request instead of two.
 */
int auth_resolve_token(struct db *db, const struct auth_claims *claims, const char *org_slug,
    const char *ws_slug, struct auth_scope *out);

/*
 * The same query for callers that fuse it with their own read (one round trip for the
 * tenancy and the resource): a SELECT on parameters $1 user id (a checked UUID), $2 org
 * slug, $3 workspace slug, $4 the token's jti (NULL: not revoked), as
 * auth_scope_params fills them; its columns are named scope_*, `scope_workspace_id`
 * among them and `scope_epoch` (sql/011: any change to users, organizations,
 * workspaces, memberships or revoked tokens moves it).
 * auth_scope_from_row reads them by name from the single row, with the answers of
 * auth_resolve_token (WS_EDB, d->err saying why, when a column is missing).
 */
extern const char AUTH_SCOPE_SQL[];
#define AUTH_SCOPE_NPARAMS 4
void auth_scope_params(const char *user_id, const char *jti, const char *org_slug,
    const char *ws_slug, const char *params[AUTH_SCOPE_NPARAMS]);
int auth_scope_from_row(struct db *d, const PGresult *r, const char *user_id,
    struct auth_scope *out);

/* *revoked = 1 when jti is in revoked_tokens. WS_EDB on database trouble. */
int auth_jti_revoked(struct db *db, const char *jti, int *revoked);
/* The same with the signature auth_policy.jti_revoked wants; ctx is the struct db *. */
int auth_jti_revoked_cb(void *ctx, const char *jti, int *revoked);

/* worldsctl: keygen, token issue|verify|revoke, org add, workspace add, user add|disable,
 * member add|remove. */
extern const struct wcmd auth_ctl_cmds[];

#endif
