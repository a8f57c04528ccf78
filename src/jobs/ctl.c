#include <stddef.h>

#include "jobs/jobs.h"

const struct wcmd jobs_ctl_cmds[] = {
	{ NULL, NULL, NULL },
};
