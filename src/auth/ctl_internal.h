/* auth: helpers shared by the worldsctl commands of this module (not an interface). */
#ifndef WORLDS_AUTH_CTL_INTERNAL_H
#define WORLDS_AUTH_CTL_INTERNAL_H

#include <libpq-fe.h>

#include "auth/auth.h"
#include "conf/conf.h"

/* Connects to conf's database; on failure prints "worldsctl CMD: why" and returns WS_EDB. */
int auth_ctl_connect(const struct conf *c, const char *cmd, PGconn **db);
void auth_ctl_close(PGconn **db);
/*
 * Finds a user by id (a UUID) or e-mail (case-insensitive). WS_ENOTFOUND, WS_EDB; the
 * message (for "worldsctl CMD: ") is in err.
 */
int auth_ctl_find_user(PGconn *db, const char *who, char id[37], int *disabled, char *err,
    size_t errlen);
/* The server's primary message of a failed result (owned by r). */
const char *auth_ctl_pgmsg(const PGresult *r);

/* org add, workspace add, user add|disable, member add|remove */
int auth_ctl_org_add(const struct conf *c, int argc, char **argv);
int auth_ctl_workspace_add(const struct conf *c, int argc, char **argv);
int auth_ctl_user_add(const struct conf *c, int argc, char **argv);
int auth_ctl_user_disable(const struct conf *c, int argc, char **argv);
int auth_ctl_member_add(const struct conf *c, int argc, char **argv);
int auth_ctl_member_remove(const struct conf *c, int argc, char **argv);

#endif
