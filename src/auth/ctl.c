/*
 * worldsctl keygen, and what every command of this module shares: connecting, finding a
 * user, the options, and printing a list as columns or JSON. Tokens are in ctl_token.c,
 * tenants in ctl_tenancy.c, the tenant lists in ctl_list.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/ctl_internal.h"
#include "db/db.h"

int auth_ctl_connect(const struct conf *c, const char *cmd, struct db *db)
{
	db_init(db, c->database_url, 0);
	if (db_open(db) != WS_OK) {
		fprintf(stderr, "worldsctl %s: %s\n", cmd, db->err);
		return WS_EDB;
	}
	return WS_OK;
}

void auth_ctl_close(struct db *db)
{
	db_close(db);
}

int auth_ctl_find_user(struct db *db, const char *who, char id[37], int *disabled, char *err,
    size_t errlen)
{
	const char *params[1] = { who };
	PGresult *r;
	int rc = WS_OK;

	/* A UUID is looked up as an id, anything else as an e-mail: never a cast of junk. */
	r = db_run(db,
	    uuid_version(who) >= 0 ? "SELECT id, disabled FROM users WHERE id = $1::uuid"
				   : "SELECT id, disabled FROM users WHERE email = lower($1)",
	    1, params, 0);
	if (r == NULL) {
		snprintf(err, errlen, "%s", db->primary);
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

/* The options of every command here; val - CTL_OPT0 is the option's bit in ctl_args.given. */
static const struct option ctl_opts[] = {
	{ "name", required_argument, NULL, CTL_OPT0 + 0 },
	{ "email", required_argument, NULL, CTL_OPT0 + 1 },
	{ "username", required_argument, NULL, CTL_OPT0 + 2 },
	{ "full-name", required_argument, NULL, CTL_OPT0 + 3 },
	{ "user", required_argument, NULL, CTL_OPT0 + 4 },
	{ "org", required_argument, NULL, CTL_OPT0 + 5 },
	{ "workspace", required_argument, NULL, CTL_OPT0 + 6 },
	{ "role", required_argument, NULL, CTL_OPT0 + 7 },
	{ "state", required_argument, NULL, CTL_OPT0 + 8 },
	{ "limit", required_argument, NULL, CTL_OPT0 + 9 },
	{ "json", no_argument, NULL, CTL_OPT0 + 10 },
	{ "foreign", no_argument, NULL, CTL_OPT0 + 11 },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int auth_ctl_parse(const char *cmd, int argc, char **argv, unsigned allowed, struct ctl_args *a)
{
	const char **slot[] = { &a->name, &a->email, &a->username, &a->full_name, &a->user,
		&a->org, &a->ws, &a->role, &a->state, &a->limit };
	unsigned bit;
	int ch;

	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", ctl_opts, NULL)) != -1) {
		if (ch == 'h') {
			a->help = 1;
			continue;
		}
		if (ch == ':' || ch == '?') {
			fprintf(stderr, "worldsctl %s: %s '%s' (see --help)\n", cmd,
			    ch == ':' ? "a value is needed after" : "unknown option",
			    argv[optind - 1]);
			return WS_EINVAL;
		}
		bit = 1u << (ch - CTL_OPT0);
		if (!(allowed & bit)) {
			fprintf(stderr, "worldsctl %s: --%s does not apply here (see --help)\n", cmd,
			    ctl_opts[ch - CTL_OPT0].name);
			return WS_EINVAL;
		}
		a->given |= bit;
		if ((size_t)(ch - CTL_OPT0) < W_ARRAY_LEN(slot))
			*slot[ch - CTL_OPT0] = optarg;
	}
	a->json = (a->given & CTL_JSON) != 0;
	a->foreign = (a->given & CTL_FOREIGN) != 0;
	a->npos = argc - optind;
	a->pos = argv + optind;
	return WS_OK;
}

int auth_ctl_max_args(const char *cmd, const struct ctl_args *a, int max)
{
	if (a->help || a->npos <= max)
		return WS_OK;
	fprintf(stderr, "worldsctl %s: unexpected argument '%s'\n", cmd, a->pos[max]);
	return WS_EINVAL;
}

/* Characters, not bytes: names are UTF-8 and columns line up on what the eye counts. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void print_cell(const char *s, size_t width, int last)
{
	size_t w = text_width(s);

	fputs(s, stdout);
	if (!last)
		printf("%*s", (int)(width - w + 2), "");
}

/* PostgreSQL type oids that have a JSON type of their own. */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };

/* A value as a column shows it: NULL as '-', booleans as yes/no. */
static const char *cell(const PGresult *r, int i, int j)
{
	if (PQgetisnull(r, i, j))
		return "-";
	if (PQftype(r, j) == OID_BOOL)
		return strcmp(PQgetvalue(r, i, j), "t") == 0 ? "yes" : "no";
	return PQgetvalue(r, i, j);
}

static int print_columns(const PGresult *r)
{
	int nf = PQnfields(r), nt = PQntuples(r), i, j;
	size_t *width = calloc((size_t)nf + 1, sizeof(*width));
	char head[64];

	if (width == NULL)
		return WS_ENOMEM;
	for (j = 0; j < nf; j++) {
		width[j] = text_width(PQfname(r, j));
		for (i = 0; i < nt; i++) {
			size_t w = text_width(cell(r, i, j));

			width[j] = w > width[j] ? w : width[j];
		}
	}
	for (j = 0; j < nf; j++) {
		size_t k;

		snprintf(head, sizeof(head), "%s", PQfname(r, j));
		for (k = 0; head[k] != '\0'; k++)
			head[k] = (head[k] >= 'a' && head[k] <= 'z') ? (char)(head[k] - 32) : head[k];
		print_cell(head, width[j], j == nf - 1);
	}
	putchar('\n');
	for (i = 0; i < nt; i++) {
		for (j = 0; j < nf; j++)
			print_cell(cell(r, i, j), width[j], j == nf - 1);
		putchar('\n');
	}
	free(width);
	return WS_OK;
}

static int print_json(const PGresult *r)
{
	int nf = PQnfields(r), nt = PQntuples(r), i, j, rc;
	struct wbuf out;
	struct jw w;
	int64_t n;

	wbuf_init(&out);
	jw_init(&w, &out, 0);
	jw_arr_begin(&w);
	for (i = 0; i < nt; i++) {
		jw_obj_begin(&w);
		for (j = 0; j < nf; j++) {
			const char *v = PQgetvalue(r, i, j);
			Oid t = PQftype(r, j);

			jw_key(&w, PQfname(r, j));
			if (PQgetisnull(r, i, j))
				jw_null(&w);
			else if (t == OID_BOOL)
				jw_bool(&w, strcmp(v, "t") == 0);
			else if ((t == OID_INT2 || t == OID_INT4 || t == OID_INT8) &&
			    parse_i64(v, &n) == WS_OK)
				jw_int(&w, n);
			else
				jw_str(&w, v);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	rc = jw_finish(&w);
	if (rc == WS_OK)
		printf("%s\n", wbuf_cstr(&out));
	wbuf_free(&out);
	return rc;
}

int auth_ctl_list(struct db *db, const char *cmd, const char *sql, int n,
    const char *const *params, int json)
{
	PGresult *r = db_run(db, sql, n, params, 0);
	int rc = 1;

	if (r == NULL)
		fprintf(stderr, "worldsctl %s: %s\n", cmd, db->primary);
	else if ((json ? print_json(r) : print_columns(r)) == WS_OK)
		rc = 0;
	else
		fprintf(stderr, "worldsctl %s: cannot print the answer\n", cmd);
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

/* DIR exists as a directory, or is made now (0700: it is about to hold a secret). */
static int key_dir_ready(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		fprintf(stderr, "worldsctl keygen: --dir %s is not a directory\n", dir);
		return -1;
	}
	if (errno == ENOENT && mkdir(dir, 0700) == 0) {
		fprintf(stderr, "worldsctl keygen: created %s (mode 0700)\n", dir);
		return 0;
	}
	fprintf(stderr, "worldsctl keygen: cannot create the key directory %s: %s%s\n", dir,
	    strerror(errno), errno == ENOENT ? " (its parent directory is missing)" : "");
	return -1;
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
			       "DIR/NAME.public (k4.public, 0644), and prints the key id (k4.pid).\n"
			       "DIR is created (mode 0700) when missing, not its parents; it defaults\n"
			       "to keys_dir (%s), but the secret belongs where tokens are minted,\n"
			       "not on the API host. NAME defaults to worlds-YYYYMMDDHHMMSS.\n"
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
	if (key_dir_ready(dir) != 0)
		return 1;
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
	if (strcmp(dir, c->keys_dir) == 0)
		fprintf(stderr, "worldsctl keygen: %s is keys_dir: unless this host also mints the "
				"tokens, move %s.secret off it\n", dir, name);
	rc = 0;
out:
	sodium_memzero(line, sizeof(line));
	auth_secret_wipe(&key);
	return rc;
}

const struct wcmd auth_ctl_cmds[] = {
	{ "keygen", cmd_keygen, "make a signing key pair (k4.secret + k4.public)" },
	{ "token issue", auth_ctl_token_issue, "sign a bearer token for a user (and record it)" },
	{ "token verify", auth_ctl_token_verify, "check a token as the API does, print its claims" },
	{ "token revoke", auth_ctl_token_revoke, "refuse a token id from now on" },
	{ "token list", auth_ctl_token_list, "list issued and revoked tokens" },
	{ "token prune", auth_ctl_token_prune, "forget revocations and tokens past their expiry" },
	{ "org add", auth_ctl_org_add, "create an organization" },
	{ "org list", auth_ctl_org_list, "list organizations" },
	{ "workspace add", auth_ctl_workspace_add, "create a workspace in an organization" },
	{ "workspace list", auth_ctl_workspace_list, "list workspaces" },
	{ "user add", auth_ctl_user_add, "create a user" },
	{ "user disable", auth_ctl_user_disable, "disable a user (403 on every request)" },
	{ "user enable", auth_ctl_user_enable, "enable a disabled user again" },
	{ "user list", auth_ctl_user_list, "list users" },
	{ "member add", auth_ctl_member_add, "give a user a role in a workspace" },
	{ "member remove", auth_ctl_member_remove, "take a user out of a workspace" },
	{ "member list", auth_ctl_member_list, "list memberships" },
	{ NULL, NULL, NULL },
};
