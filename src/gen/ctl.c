#include <stddef.h>

#include "gen/gen.h"

const struct wcmd gen_ctl_cmds[] = {
	{ NULL, NULL, NULL },
};
