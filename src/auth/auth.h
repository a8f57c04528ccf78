/* auth: placeholder interface until the module lands. */
#ifndef WORLDS_AUTH_H
#define WORLDS_AUTH_H

#include "util/util.h"

/* worldsctl subcommands this module owns. */
extern const struct wcmd auth_ctl_cmds[];

#endif
