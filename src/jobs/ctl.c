#include <stddef.h>

#include "jobs/jobs.h"

/* Placeholders until the job runner lands: the API links against these. */
int jobs_spawn(const struct conf *c, PGconn *db, const char *job_id)
{
	(void)c;
	(void)db;
	(void)job_id;
	return WS_OK;
}

void jobs_tick(const struct conf *c, void **state)
{
	(void)c;
	(void)state;
}

void jobs_tick_free(void *state)
{
	(void)state;
}

int jobs_run(const struct conf *c, const char *job_id)
{
	(void)c;
	(void)job_id;
	return 2;
}

const struct wcmd jobs_ctl_cmds[] = {
	{ NULL, NULL, NULL },
};
