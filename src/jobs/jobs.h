/* jobs: placeholder interface until the module lands. */
#ifndef WORLDS_JOBS_H
#define WORLDS_JOBS_H

#include "util/util.h"

/* worldsctl subcommands this module owns. */
extern const struct wcmd jobs_ctl_cmds[];

#endif
