#include <stddef.h>

#include "auth/auth.h"

const struct wcmd auth_ctl_cmds[] = {
	{ NULL, NULL, NULL },
};
