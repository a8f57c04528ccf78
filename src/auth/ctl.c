/* worldsctl keygen and token issue|verify|revoke; the tenancy commands are in ctl_tenancy.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/ctl_internal.h"
#include "db/db.h"

int auth_ctl_connect(const struct conf *c, const char *cmd, PGconn **db)
{
	struct db d;

	db_init(&d, c->database_url, 0);
	if (db_open(&d) != WS_OK) {
		fprintf(stderr, "worldsctl %s: %s\n", cmd, d.err);
		*db = NULL;
		return WS_EDB;
	}
	*db = d.pg;
	return WS_OK;
}

void auth_ctl_close(PGconn **db)
{
	if (*db != NULL)
		PQfinish(*db);
	*db = NULL;
}

const char *auth_ctl_pgmsg(const PGresult *r)
{
	const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	return m != NULL ? m : "database error";
}

int auth_ctl_find_user(PGconn *db, const char *who, char id[37], int *disabled, char *err,
    size_t errlen)
{
	const char *params[1] = { who };
	PGresult *r;
	int rc = WS_OK;

	/* A UUID is looked up as an id, anything else as an e-mail: never a cast of junk. */
	r = PQexecParams(db,
	    uuid_version(who) >= 0 ? "SELECT id, disabled FROM users WHERE id = $1::uuid"
				   : "SELECT id, disabled FROM users WHERE email = lower($1)",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", auth_ctl_pgmsg(r));
		rc = WS_EDB;
	} else if (PQntuples(r) != 1) {
		snprintf(err, errlen, "no user '%s'", who);
		rc = WS_ENOTFOUND;
	} else {
		snprintf(id, 37, "%s", PQgetvalue(r, 0, 0));
		*disabled = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	}
	PQclear(r);
	return rc;
}

/* File names keygen writes: letters, digits, '.', '_', '-', not starting with '.'. */
static int name_ok(const char *s)
{
	size_t k;

	if (s[0] == '\0' || s[0] == '.' || strlen(s) > 64)
		return 0;
	for (k = 0; s[k] != '\0'; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
		    (s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == '_' || s[k] == '-'))
			return 0;
	return 1;
}

static int write_new(const char *path, const char *text, mode_t mode)
{
	size_t n = strlen(text), done = 0;
	ssize_t w;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0)
		return -1;
	while (done < n && (w = write(fd, text + done, n - done)) > 0)
		done += (size_t)w;
	if (done < n || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

static int cmd_keygen(const struct conf *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = c->keys_dir, *name = NULL;
	char defname[64], spath[4200], ppath[4200], line[AUTH_PASERK_SECRET_SIZE + 2];
	struct auth_secret key;
	time_t now = time(NULL);
	struct tm tm;
	int ch, rc = 1;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'h':
			printf("usage: worldsctl keygen [--dir DIR] [--name NAME]\n"
			       "Makes an Ed25519 key pair: DIR/NAME.secret (k4.secret, mode 0600) and\n"
			       "DIR/NAME.public (k4.public), and prints the key id (k4.pid). DIR\n"
			       "defaults to keys_dir (%s), NAME to worlds-YYYYMMDDHHMMSS.\n"
			       "Existing files are never overwritten.\n", c->keys_dir);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "worldsctl keygen: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (name == NULL) {
		gmtime_r(&now, &tm);
		strftime(defname, sizeof(defname), "worlds-%Y%m%d%H%M%S", &tm);
		name = defname;
	}
	if (!name_ok(name)) {
		fprintf(stderr, "worldsctl keygen: --name: use up to 64 letters, digits, '.', '_' "
				"or '-', not starting with '.'\n");
		return 2;
	}
	snprintf(spath, sizeof(spath), "%s/%s.secret", dir, name);
	snprintf(ppath, sizeof(ppath), "%s/%s.public", dir, name);
	if (access(spath, F_OK) == 0 || access(ppath, F_OK) == 0) {
		fprintf(stderr, "worldsctl keygen: %s.secret or %s.public already exists in %s\n",
		    name, name, dir);
		return 1;
	}
	if (auth_secret_generate(&key) != WS_OK ||
	    auth_paserk_secret_encode(key.sk, sizeof(key.sk), line) != WS_OK) {
		fprintf(stderr, "worldsctl keygen: cannot make a key\n");
		goto out;
	}
	strcat(line, "\n");
	if (write_new(spath, line, 0600) != 0) {
		fprintf(stderr, "worldsctl keygen: %s: %s\n", spath, strerror(errno));
		goto out;
	}
	auth_paserk_public_encode(key.sk + 32, AUTH_PK_BYTES, line);
	strcat(line, "\n");
	if (write_new(ppath, line, 0644) != 0) {
		fprintf(stderr, "worldsctl keygen: %s: %s\n", ppath, strerror(errno));
		unlink(spath);
		goto out;
	}
	printf("%s\n", key.kid);
	fprintf(stderr, "worldsctl keygen: wrote %s and %s (the API host needs only the .public)\n",
	    spath, ppath);
	rc = 0;
out:
	sodium_memzero(line, sizeof(line));
	auth_secret_wipe(&key);
	return rc;
}

static int cmd_token_issue(const struct conf *c, int argc, char **argv)
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
	const char *user = NULL, *ttl_s = NULL, *keyfile = NULL;
	struct auth_token_spec spec;
	struct auth_secret key;
	struct wbuf tok;
	PGconn *db = NULL;
	char err[1024], id[37], jti[37], exp[32];
	int64_t ttl;
	int ch, disabled = 0, rc = 1;

	memset(&spec, 0, sizeof(spec));
	memset(&key, 0, sizeof(key));
	spec.iss = c->token_issuer;
	spec.aud = c->token_audience;
	wbuf_init(&tok);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "u:t:k:a:i:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			user = optarg;
			break;
		case 't':
			ttl_s = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'a':
			spec.aud = optarg;
			break;
		case 'i':
			spec.iss = optarg;
			break;
		case 'h':
			printf("usage: worldsctl token issue --user UUID|EMAIL --ttl SECONDS --key FILE\n"
			       "                            [--aud AUDIENCE] [--iss ISSUER]\n"
			       "Prints a v4.public token for an enabled user, signed with the k4.secret\n"
			       "in FILE (mode 0600). --ttl may not exceed max_token_ttl (%d); --aud and\n"
			       "--iss default to token_audience (%s) and token_issuer (%s). The jti\n"
			       "(for token revoke) and the expiry go to stderr.\n",
			    c->max_token_ttl, c->token_audience, c->token_issuer);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc || user == NULL || ttl_s == NULL || keyfile == NULL) {
		fprintf(stderr, "worldsctl token issue: %s (see --help)\n",
		    optind != argc ? "unexpected argument" : "--user, --ttl and --key are needed");
		return 2;
	}
	if (parse_i64(ttl_s, &ttl) != WS_OK || ttl < 1 || ttl > c->max_token_ttl) {
		fprintf(stderr, "worldsctl token issue: --ttl must be 1 to max_token_ttl (%d) "
				"seconds, got '%s'\n", c->max_token_ttl, ttl_s);
		return 2;
	}
	if (auth_secret_load(keyfile, &key, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl token issue: %s\n", err);
		goto out;
	}
	if (auth_ctl_connect(c, "token issue", &db) != WS_OK)
		goto out;
	if (auth_ctl_find_user(db, user, id, &disabled, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl token issue: %s\n", err);
		goto out;
	}
	if (disabled) {
		fprintf(stderr, "worldsctl token issue: user '%s' is disabled\n", user);
		goto out;
	}
	uuid_v4(jti);
	spec.sub = id;
	spec.jti = jti;
	spec.iat = (int64_t)time(NULL);
	spec.exp = spec.iat + ttl;
	if (auth_token_sign(&key, &spec, &tok, err, sizeof(err)) != WS_OK) {
		fprintf(stderr, "worldsctl token issue: %s\n", err);
		goto out;
	}
	printf("%s\n", wbuf_cstr(&tok));
	auth_time_format(spec.exp, exp);
	fprintf(stderr, "worldsctl token issue: jti %s, user %s, expires %s, kid %s\n", jti, id,
	    exp, key.kid);
	rc = 0;
out:
	auth_secret_wipe(&key);
	wbuf_free(&tok);
	auth_ctl_close(&db);
	return rc;
}

static int read_stdin_token(char *buf, size_t size, size_t *len)
{
	size_t n = fread(buf, 1, size, stdin);

	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	*len = n;
	return n < size ? WS_OK : WS_EINVAL;
}

static int cmd_token_verify(const struct conf *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-revocation", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct auth_keyring kr;
	struct auth_policy pol;
	struct auth_claims cl;
	PGconn *db = NULL;
	struct db revoked_db;
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
		if (auth_ctl_connect(c, "token verify", &db) != WS_OK)
			goto out;
		db_init(&revoked_db, c->database_url, 0);
		revoked_db.pg = db;
		pol.jti_revoked = auth_jti_revoked_cb;
		pol.jti_ctx = &revoked_db;
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
	auth_ctl_close(&db);
	return rc;
}

static int cmd_token_revoke(const struct conf *c, int argc, char **argv)
{
	const char *params[2];
	char ttl[32];
	PGconn *db = NULL;
	PGresult *r = NULL;
	size_t k, n;
	int rc = 1;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: worldsctl token revoke JTI\n"
		       "Refuses every token carrying JTI from now on (the API checks on each\n"
		       "request). The row may be pruned once no such token can still be valid.\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "worldsctl token revoke: one JTI is needed\n");
		return 2;
	}
	n = strlen(argv[1]);
	for (k = 0; k < n && (unsigned char)argv[1][k] >= 0x20 && argv[1][k] != 0x7f; k++)
		;
	if (n == 0 || n > AUTH_JTI_MAX || k != n) {
		fprintf(stderr, "worldsctl token revoke: a jti is 1 to %d printable bytes\n",
		    AUTH_JTI_MAX);
		return 2;
	}
	if (auth_ctl_connect(c, "token revoke", &db) != WS_OK)
		goto out;
	/* Kept until the longest-lived token issued up to now (plus skew) has expired. */
	snprintf(ttl, sizeof(ttl), "%d", c->max_token_ttl + AUTH_SKEW);
	params[0] = argv[1];
	params[1] = ttl;
	r = PQexecParams(db,
	    "INSERT INTO revoked_tokens (jti, expires_at)"
	    " VALUES ($1, now() + make_interval(secs => $2::int)) ON CONFLICT (jti) DO NOTHING",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "worldsctl token revoke: %s\n", auth_ctl_pgmsg(r));
		goto out;
	}
	if (strcmp(PQcmdTuples(r), "1") != 0) {
		fprintf(stderr, "worldsctl token revoke: jti '%s' is already revoked\n", argv[1]);
		goto out;
	}
	fprintf(stderr, "worldsctl token revoke: jti '%s' revoked\n", argv[1]);
	rc = 0;
out:
	PQclear(r);
	auth_ctl_close(&db);
	return rc;
}

const struct wcmd auth_ctl_cmds[] = {
	{ "keygen", cmd_keygen, "make a signing key pair (k4.secret + k4.public)" },
	{ "token issue", cmd_token_issue, "sign a bearer token for a user" },
	{ "token verify", cmd_token_verify, "check a token as the API does, print its claims" },
	{ "token revoke", cmd_token_revoke, "refuse a token id from now on" },
	{ "org add", auth_ctl_org_add, "create an organization" },
	{ "workspace add", auth_ctl_workspace_add, "create a workspace in an organization" },
	{ "user add", auth_ctl_user_add, "create a user" },
	{ "user disable", auth_ctl_user_disable, "disable a user (403 on every request)" },
	{ "member add", auth_ctl_member_add, "give a user a role in a workspace" },
	{ "member remove", auth_ctl_member_remove, "take a user out of a workspace" },
	{ NULL, NULL, NULL },
};
