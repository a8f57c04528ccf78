/* gen: placeholder interface until the module lands. */
#ifndef WORLDS_GEN_H
#define WORLDS_GEN_H

#include "util/util.h"

/* worldsctl subcommands this module owns. */
extern const struct wcmd gen_ctl_cmds[];

#endif
