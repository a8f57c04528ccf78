/* auth: helpers shared by the worldsctl commands of this module (not an interface). */
#ifndef WORLDS_AUTH_CTL_INTERNAL_H
#define WORLDS_AUTH_CTL_INTERNAL_H

#include <libpq-fe.h>

#include "auth/auth.h"
#include "conf/conf.h"
#include "db/db.h"

/* Connects db to conf's database; on failure prints "worldsctl CMD: why" and returns
 * WS_EDB. A failed statement's message for people is db->primary. */
int auth_ctl_connect(const struct conf *c, const char *cmd, struct db *db);
void auth_ctl_close(struct db *db);
/*
 * Finds a user by id (a UUID) or e-mail (case-insensitive). WS_ENOTFOUND, WS_EDB; the
 * message (for "worldsctl CMD: ") is in err.
 */
int auth_ctl_find_user(struct db *db, const char *who, char id[37], int *disabled, char *err,
    size_t errlen);

/* The long options auth_ctl_parse knows, as bits of ctl_args.given and of `allowed`. */
#define CTL_OPT0 1000
enum {
	CTL_NAME = 1u << 0, CTL_EMAIL = 1u << 1, CTL_USERNAME = 1u << 2, CTL_FULL_NAME = 1u << 3,
	CTL_USER = 1u << 4, CTL_ORG = 1u << 5, CTL_WS = 1u << 6, CTL_ROLE = 1u << 7,
	CTL_STATE = 1u << 8, CTL_LIMIT = 1u << 9, CTL_JSON = 1u << 10, CTL_FOREIGN = 1u << 11,
};

/* What a command was given; each command reads the fields it allowed. */
struct ctl_args {
	const char *name, *email, *username, *full_name, *user, *org, *ws, *role, *state, *limit;
	unsigned given;
	int help, json, foreign;
	int npos;
	char **pos;
};

/*
 * Parses argv (argv[0] is the command) for the options in `allowed` and --help; any other
 * option, or one without its value, is printed as a usage error: WS_EINVAL (exit 2).
 */
int auth_ctl_parse(const char *cmd, int argc, char **argv, unsigned allowed, struct ctl_args *a);
/* WS_OK unless more than max positional arguments were given (then printed: exit 2). */
int auth_ctl_max_args(const char *cmd, const struct ctl_args *a, int max);
/*
 * Runs one query and prints its rows on stdout: aligned columns under the upper-cased
 * column names (NULL as '-'), or with json one JSON array of objects keyed by column
 * name (booleans and integers typed, NULL as null). Returns the exit status: 0, or 1 with
 * the reason printed.
 */
int auth_ctl_list(struct db *db, const char *cmd, const char *sql, int n,
    const char *const *params, int json);

/* A timestamptz column as RFC 3339 UTC text to the second, for lists. */
#define CTL_SQL_TIME(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* ctl_token.c: token issue|verify|revoke|list|prune */
int auth_ctl_token_issue(const struct conf *c, int argc, char **argv);
int auth_ctl_token_verify(const struct conf *c, int argc, char **argv);
int auth_ctl_token_revoke(const struct conf *c, int argc, char **argv);
int auth_ctl_token_list(const struct conf *c, int argc, char **argv);
int auth_ctl_token_prune(const struct conf *c, int argc, char **argv);

/* ctl_tenancy.c: org add, workspace add, user add|disable|enable, member add|remove */
int auth_ctl_org_add(const struct conf *c, int argc, char **argv);
int auth_ctl_workspace_add(const struct conf *c, int argc, char **argv);
int auth_ctl_user_add(const struct conf *c, int argc, char **argv);
int auth_ctl_user_disable(const struct conf *c, int argc, char **argv);
int auth_ctl_user_enable(const struct conf *c, int argc, char **argv);
int auth_ctl_member_add(const struct conf *c, int argc, char **argv);
int auth_ctl_member_remove(const struct conf *c, int argc, char **argv);

/* ctl_list.c: org|workspace|user|member list */
int auth_ctl_org_list(const struct conf *c, int argc, char **argv);
int auth_ctl_workspace_list(const struct conf *c, int argc, char **argv);
int auth_ctl_user_list(const struct conf *c, int argc, char **argv);
int auth_ctl_member_list(const struct conf *c, int argc, char **argv);

#endif
