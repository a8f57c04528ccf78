/*
 * worldsctl token issue|verify|revoke|list|prune. Every token issued here is recorded in
 * issued_tokens (sql/013) before it is printed, so that revoke can tell a jti of this
 * installation from a typo and list can say who holds what. The API never reads that
 * table: it trusts a valid signature and refuses what revoked_tokens names.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/ctl_internal.h"
#include "db/db.h"

/* What token issue was asked for; the options fill it, issue() acts on it. */
struct issue_req {
	const char *user, *keyfile;
	int64_t ttl;
	struct auth_token_spec spec;
};

static void issue_usage(const struct conf *c)
{
	printf("usage: worldsctl token issue --user UUID|EMAIL --ttl SECONDS --key FILE\n"
	       "                            [--aud AUDIENCE] [--iss ISSUER]\n"
	       "Prints a v4.public token for an enabled user, signed with the k4.secret\n"
	       "in FILE (mode 0600), and records its jti, user, key and expiry in the\n"
	       "database (token list shows them). --ttl may not exceed max_token_ttl (%d);\n"
	       "--aud and --iss default to token_audience (%s) and token_issuer (%s).\n"
	       "The jti (for token revoke) and the expiry go to stderr.\n",
	    c->max_token_ttl, c->token_audience, c->token_issuer);
}

/* Fills req from argv; returns -1 to go on, else the exit status (0 after --help). */
static int issue_parse(const struct conf *c, int argc, char **argv, struct issue_req *req)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "ttl", required_argument, NULL, 't' },
		{ "key", required_argument, NULL, 'k' },
		{ "aud", required_argument, NULL, 'a' },
		{ "iss", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ttl = NULL;
	int ch;

	memset(req, 0, sizeof(*req));
	req->spec.iss = c->token_issuer;
	req->spec.aud = c->token_audience;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "u:t:k:a:i:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': req->user = optarg; break;
		case 't': ttl = optarg; break;
		case 'k': req->keyfile = optarg; break;
		case 'a': req->spec.aud = optarg; break;
		case 'i': req->spec.iss = optarg; break;
		case 'h':
			issue_usage(c);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc || req->user == NULL || ttl == NULL || req->keyfile == NULL) {
		fprintf(stderr, "worldsctl token issue: %s (see --help)\n",
		    optind != argc ? "unexpected argument" : "--user, --ttl and --key are needed");
		return 2;
	}
	if (parse_i64(ttl, &req->ttl) != WS_OK || req->ttl < 1 || req->ttl > c->max_token_ttl) {
		fprintf(stderr, "worldsctl token issue: --ttl must be 1 to max_token_ttl (%d) "
				"seconds, got '%s'\n", c->max_token_ttl, ttl);
		return 2;
	}
	return -1;
}

/* The record revoke and list read; written before the token is shown to anyone. */
static int record_issued(struct db *db, const struct auth_token_spec *spec, const char *kid)
{
	char iat[32], exp[32];
	const char *p[6] = { spec->jti, spec->sub, kid, spec->aud, iat, exp };
	PGresult *r;
	int rc = WS_OK;

	snprintf(iat, sizeof(iat), "%lld", (long long)spec->iat);
	snprintf(exp, sizeof(exp), "%lld", (long long)spec->exp);
	r = db_run(db,
	    "INSERT INTO issued_tokens (jti, user_id, kid, audience, issued_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, to_timestamp($5::bigint), to_timestamp($6::bigint))",
	    6, p, 0);
	if (r == NULL) {
		fprintf(stderr, "worldsctl token issue: cannot record the token: %s\n",
		    db->primary);
		rc = WS_EDB;
	}
	PQclear(r);
	return rc;
}

/* Checks the user, signs and records: the token is in tok only when all of it worked. */
static int issue(const struct conf *c, struct issue_req *req, struct auth_secret *key,
    char jti[37], char user_id[37], struct wbuf *tok)
{
	struct db conn = { 0 }, *db = &conn;
	char err[1024];
	int disabled = 0, rc;

	rc = auth_secret_load(req->keyfile, key, err, sizeof(err));
	if (rc != WS_OK) {
		fprintf(stderr, "worldsctl token issue: %s\n", err);
		goto out;
	}
	rc = auth_ctl_connect(c, "token issue", db);
	if (rc != WS_OK)
		goto out;
	rc = auth_ctl_find_user(db, req->user, user_id, &disabled, err, sizeof(err));
	if (rc != WS_OK) {
		fprintf(stderr, "worldsctl token issue: %s\n", err);
		goto out;
	}
	if (disabled) {
		fprintf(stderr, "worldsctl token issue: user '%s' is disabled (user enable)\n",
		    req->user);
		rc = WS_EDENIED;
		goto out;
	}
	uuid_v4(jti);
	req->spec.sub = user_id;
	req->spec.jti = jti;
	req->spec.iat = (int64_t)time(NULL);
	req->spec.exp = req->spec.iat + req->ttl;
	rc = auth_token_sign(key, &req->spec, tok, err, sizeof(err));
	if (rc != WS_OK) {
		fprintf(stderr, "worldsctl token issue: %s\n", err);
		goto out;
	}
	rc = record_issued(db, &req->spec, key->kid);
out:
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_token_issue(const struct conf *c, int argc, char **argv)
{
	struct issue_req req;
	struct auth_secret key;
	struct wbuf tok;
	char jti[37], user_id[37], exp[32];
	int rc = issue_parse(c, argc, argv, &req);

	if (rc >= 0)
		return rc;
	memset(&key, 0, sizeof(key));
	wbuf_init(&tok);
	rc = issue(c, &req, &key, jti, user_id, &tok);
	if (rc == WS_OK) {
		printf("%s\n", wbuf_cstr(&tok));
		auth_time_format(req.spec.exp, exp);
		fprintf(stderr, "worldsctl token issue: jti %s, user %s, expires %s, kid %s\n",
		    jti, user_id, exp, key.kid);
	}
	auth_secret_wipe(&key);
	wbuf_free(&tok);
	return rc == WS_OK ? 0 : 1;
}

static int read_stdin_token(char *buf, size_t size, size_t *len)
{
	size_t n = fread(buf, 1, size, stdin);

	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	*len = n;
	return n < size ? WS_OK : WS_EINVAL;
}

int auth_ctl_token_verify(const struct conf *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-revocation", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct auth_keyring kr;
	struct auth_policy pol;
	struct auth_claims cl;
	struct db conn = { 0 }, *db = &conn;
	char err[1024], buf[AUTH_TOKEN_MAX + 2], t[32];
	const char *token;
	size_t len;
	int ch, check_revoked = 1, rc = 1;
	struct wbuf out;
	struct jw w;

	auth_keyring_init(&kr);
	wbuf_init(&out);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			check_revoked = 0;
			break;
		case 'h':
			printf("usage: worldsctl token verify [--no-revocation] TOKEN|-\n"
			       "Checks TOKEN (or one read from standard input for '-') exactly as the\n"
			       "API does, against the keys in keys_dir (%s), and prints its claims as\n"
			       "JSON. Revocation is looked up in the database unless --no-revocation.\n"
			       "Exit 0 when valid; 1 with token_error or expired_token_error otherwise.\n",
			    c->keys_dir);
			return 0;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "worldsctl token verify: one TOKEN (or -) is needed\n");
		return 2;
	}
	token = argv[optind];
	len = strlen(token);
	if (strcmp(token, "-") == 0) {
		if (read_stdin_token(buf, sizeof(buf) - 1, &len) != WS_OK) {
			fprintf(stderr, "worldsctl token verify: token_error: longer than %d bytes\n",
			    AUTH_TOKEN_MAX);
			return 1;
		}
		buf[len] = '\0';
		token = buf;
	}
	if (auth_keyring_load_dir(&kr, c->keys_dir, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl token verify: %s\n", err);
		goto out;
	}
	auth_policy_from_conf(&pol, c);
	if (check_revoked) {
		if (auth_ctl_connect(c, "token verify", db) != WS_OK)
			goto out;
		pol.jti_revoked = auth_jti_revoked_cb;
		pol.jti_ctx = db;
	}
	if (auth_token_verify(&kr, token, len, &pol, (int64_t)time(NULL), &cl, err,
	    sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl token verify: %s: %s\n", auth_fail_type(cl.fail), err);
		goto out;
	}
	jw_init(&w, &out, 0);
	jw_obj_begin(&w);
	jw_kstr(&w, "sub", cl.sub);
	jw_kstr(&w, "jti", cl.jti);
	jw_kstr(&w, "kid", cl.kid);
	auth_time_format(cl.iat, t);
	jw_kstr(&w, "iat", t);
	auth_time_format(cl.nbf, t);
	jw_kstr(&w, "nbf", t);
	auth_time_format(cl.exp, t);
	jw_kstr(&w, "exp", t);
	jw_obj_end(&w);
	if (jw_finish(&w) == WS_OK) {
		printf("%s\n", wbuf_cstr(&out));
		rc = 0;
	}
out:
	wbuf_free(&out);
	auth_keyring_free(&kr);
	auth_ctl_close(db);
	return rc;
}

/* The skew the API allows past exp, as text for the SQL below. */
#define TEXT_OF_(x) #x
#define TEXT_OF(x) TEXT_OF_(x)
#define SKEW_TEXT TEXT_OF(AUTH_SKEW)

/* An issued token's record, found by jti (a UUID in any case finds the one issued). */
struct issued {
	int found, expired;
	char jti[AUTH_JTI_MAX + 1], email[256], expires[32];
};

static int find_issued(struct db *db, const char *jti, struct issued *is)
{
	const char *p[1] = { jti };
	PGresult *r = db_run(db,
	    "SELECT i.jti, u.email,"
	    "       " CTL_SQL_TIME("i.expires_at") ","
	    "       i.expires_at + make_interval(secs => " SKEW_TEXT ") < now()"
	    " FROM issued_tokens i JOIN users u ON u.id = i.user_id"
	    " WHERE i.jti = $1 OR i.jti = lower($1) LIMIT 1",
	    1, p, 0);
	int rc = WS_OK;

	memset(is, 0, sizeof(*is));
	if (r == NULL) {
		fprintf(stderr, "worldsctl token revoke: %s\n", db->primary);
		rc = WS_EDB;
	} else if (PQntuples(r) == 1) {
		is->found = 1;
		snprintf(is->jti, sizeof(is->jti), "%s", PQgetvalue(r, 0, 0));
		snprintf(is->email, sizeof(is->email), "%s", PQgetvalue(r, 0, 1));
		snprintf(is->expires, sizeof(is->expires), "%s", PQgetvalue(r, 0, 2));
		is->expired = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
	}
	PQclear(r);
	return rc;
}

/* 1 to AUTH_JTI_MAX printable bytes: what the API accepts in a token. */
static int jti_printable(const char *s)
{
	size_t n = strlen(s), k;

	for (k = 0; k < n; k++)
		if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
			return 0;
	return n >= 1 && n <= AUTH_JTI_MAX;
}

/* Exit status of a revocation of a jti this installation never issued. */
#define EXIT_NOT_ISSUED 3

int auth_ctl_token_revoke(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	struct issued is;
	const char *params[2], *jti;
	char ttl[32];
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("token revoke", argc, argv, CTL_FOREIGN, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl token revoke [--foreign] JTI\n"
		       "Refuses every token carrying JTI from the next request on. JTI is the\n"
		       "UUID token issue printed (token list shows them). A JTI this\n"
		       "installation never issued is revoked all the same, for a token minted\n"
		       "elsewhere, with a warning and exit status 3: look for a typo. --foreign\n"
		       "also takes a JTI that is not a UUID (1 to %d printable bytes). The row\n"
		       "is kept until the token's expiry; token prune removes it after.\n",
		    AUTH_JTI_MAX);
		return 0;
	}
	if (a.npos != 1) {
		fprintf(stderr, "worldsctl token revoke: one JTI is needed\n");
		return 2;
	}
	jti = a.pos[0];
	if (!jti_printable(jti)) {
		fprintf(stderr, "worldsctl token revoke: a jti is 1 to %d printable bytes\n",
		    AUTH_JTI_MAX);
		return 2;
	}
	if (!a.foreign && uuid_version(jti) < 0) {
		fprintf(stderr, "worldsctl token revoke: '%s' is not a jti: token issue prints a "
				"UUID (token list shows them); for a token minted elsewhere with "
				"another kind of jti, add --foreign\n", jti);
		return 2;
	}
	if (auth_ctl_connect(c, "token revoke", db) != WS_OK)
		goto out;
	if (find_issued(db, jti, &is) != WS_OK)
		goto out;
	if (is.found)
		jti = is.jti;
	/* Kept until the token expires (plus skew); for a jti of elsewhere, until the
	 * longest-lived token the API accepts now has. */
	snprintf(ttl, sizeof(ttl), "%d", c->max_token_ttl + AUTH_SKEW);
	params[0] = jti;
	params[1] = ttl;
	r = db_run(db,
	    "INSERT INTO revoked_tokens (jti, expires_at)"
	    " VALUES ($1, coalesce((SELECT expires_at + make_interval(secs => " SKEW_TEXT ")"
	    "                       FROM issued_tokens WHERE jti = $1),"
	    "                      now() + make_interval(secs => $2::int)))"
	    " ON CONFLICT (jti) DO NOTHING",
	    2, params, 0);
	if (r == NULL) {
		fprintf(stderr, "worldsctl token revoke: %s\n", db->primary);
		goto out;
	}
	if (strcmp(PQcmdTuples(r), "1") != 0) {
		fprintf(stderr, "worldsctl token revoke: jti '%s' is already revoked\n", jti);
		goto out;
	}
	if (!is.found) {
		fprintf(stderr, "worldsctl token revoke: warning: jti '%s' was never issued by "
				"this installation (a typo? token list shows the issued ones); "
				"revoked anyway, for a token minted elsewhere\n", jti);
		rc = EXIT_NOT_ISSUED;
		goto out;
	}
	fprintf(stderr, "worldsctl token revoke: jti %s revoked (user %s, %s %s)\n", jti,
	    is.email, is.expired ? "it had already expired at" : "it would have expired at",
	    is.expires);
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}

/*
 * Issued tokens and revocations side by side: a revocation of a jti minted elsewhere has
 * no user. A token counts as expired once the API's skew past its exp has passed too.
 */
static const char token_list_sql[] =
    "SELECT jti, state, \"user\", issued_at, expires_at, revoked_at, kid FROM ("
    " SELECT coalesce(i.jti, r.jti) AS jti,"
    "  CASE WHEN r.jti IS NOT NULL THEN 'revoked'"
    "       WHEN i.expires_at + make_interval(secs => " SKEW_TEXT ") < now() THEN 'expired'"
    "       ELSE 'active' END AS state,"
    "  u.email AS \"user\", i.user_id,"
    "  " CTL_SQL_TIME("i.issued_at") " AS issued_at,"
    "  " CTL_SQL_TIME("i.expires_at") " AS expires_at,"
    "  " CTL_SQL_TIME("r.revoked_at") " AS revoked_at,"
    "  i.kid, coalesce(i.issued_at, r.revoked_at) AS sort_at"
    " FROM issued_tokens i FULL JOIN revoked_tokens r ON r.jti = i.jti"
    " LEFT JOIN users u ON u.id = i.user_id) t"
    " WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::text IS NULL OR state = $2)"
    " ORDER BY sort_at DESC, jti LIMIT $3::int";

int auth_ctl_token_list(const struct conf *c, int argc, char **argv)
{
	static const char *const states[] = { "active", "expired", "revoked" };
	struct ctl_args a;
	const char *p[3] = { NULL, NULL, "100" };
	char user[37], err[512];
	struct db conn = { 0 }, *db = &conn;
	int64_t n;
	int disabled, rc = 1;
	size_t k;

	if (auth_ctl_parse("token list", argc, argv, CTL_USER | CTL_STATE | CTL_LIMIT | CTL_JSON,
	    &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl token list [--user EMAIL|ID] [--state STATE] [--limit N]\n"
		       "                           [--json]\n"
		       "Lists the tokens token issue recorded and every revocation, newest first\n"
		       "(default 100, at most 100000): JTI, STATE (active, expired or revoked),\n"
		       "USER, ISSUED_AT, EXPIRES_AT, REVOKED_AT and the signing key's KID. A\n"
		       "revoked jti minted elsewhere has no user. --json prints one array.\n");
		return 0;
	}
	if (auth_ctl_max_args("token list", &a, 0) != WS_OK)
		return 2;
	for (k = 0; a.state != NULL && k < W_ARRAY_LEN(states); k++)
		if (strcmp(a.state, states[k]) == 0)
			p[1] = a.state;
	if (a.state != NULL && p[1] == NULL) {
		fprintf(stderr, "worldsctl token list: --state is active, expired or revoked\n");
		return 2;
	}
	if (a.limit != NULL && (parse_i64(a.limit, &n) != WS_OK || n < 1 || n > 100000)) {
		fprintf(stderr, "worldsctl token list: --limit is 1 to 100000\n");
		return 2;
	}
	if (a.limit != NULL)
		p[2] = a.limit;
	if (auth_ctl_connect(c, "token list", db) != WS_OK)
		return 1;
	if (a.user != NULL) {
		if (auth_ctl_find_user(db, a.user, user, &disabled, err, sizeof(err)) != WS_OK) {
			fprintf(stderr, "worldsctl token list: %s\n", err);
			goto out;
		}
		p[0] = user;
	}
	rc = auth_ctl_list(db, "token list", token_list_sql, 3, p, a.json);
out:
	auth_ctl_close(db);
	return rc;
}

int auth_ctl_token_prune(const struct conf *c, int argc, char **argv)
{
	struct ctl_args a;
	struct db conn = { 0 }, *db = &conn;
	PGresult *r = NULL;
	int rc = 1;

	if (auth_ctl_parse("token prune", argc, argv, 0, &a) != WS_OK)
		return 2;
	if (a.help) {
		printf("usage: worldsctl token prune\n"
		       "Deletes the revocations whose token has expired (no request can carry\n"
		       "it any more) and the records of expired tokens that are not revoked,\n"
		       "and prints how many of each. Safe at any time, from any host.\n");
		return 0;
	}
	if (auth_ctl_max_args("token prune", &a, 0) != WS_OK)
		return 2;
	if (auth_ctl_connect(c, "token prune", db) != WS_OK)
		return 1;
	/* One snapshot: a record goes only with (or after) its revocation. */
	r = db_run(db,
	    "WITH r AS (DELETE FROM revoked_tokens WHERE expires_at < now() RETURNING 1),"
	    " i AS (DELETE FROM issued_tokens t"
	    "       WHERE t.expires_at + make_interval(secs => " SKEW_TEXT ") < now()"
	    "         AND NOT EXISTS (SELECT 1 FROM revoked_tokens x"
	    "                         WHERE x.jti = t.jti"
	    "                           AND (x.expires_at IS NULL OR x.expires_at >= now()))"
	    "       RETURNING 1)"
	    " SELECT (SELECT count(*) FROM r), (SELECT count(*) FROM i)", 0, NULL, 0);
	if (r == NULL) {
		fprintf(stderr, "worldsctl token prune: %s\n", db->primary);
		goto out;
	}
	printf("pruned %s revocations, %s issued-token records\n", PQgetvalue(r, 0, 0),
	    PQgetvalue(r, 0, 1));
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(db);
	return rc;
}
