/* worldsctl jobs list, worldsctl jobs reap: what the tick sees and does, by hand. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "jobs/internal.h"
#include "jobs/jobs.h"

/* A running job is live when someone holds its job lock (a one-key advisory lock shows in
 * pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1). */
static const char list_sql[] =
    "SELECT j.id, j.status, to_char(j.progress, 'FM0.00'), j.attempts,"
    " CASE WHEN j.status <> " JOBS_LIT(running) " THEN '-' WHEN EXISTS (SELECT 1 FROM pg_locks l"
    "  WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted"
    "  AND l.classid = ((k.k >> 32) & 4294967295)::oid AND l.objid = (k.k & 4294967295)::oid"
    "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
    "  THEN 'yes' ELSE 'no' END,"
    " coalesce(j.runner, '-'), worlds_ts(j.created_at), coalesce(j.error, '')"
    " FROM jobs j, LATERAL (SELECT " JOBS_JOB_KEY("j.id") " AS k) k"
    " WHERE ($1::text IS NULL OR j.status = $1)"
    " ORDER BY j.created_at DESC, j.id DESC LIMIT $2::int";

static int cmd_list(const struct conf *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL, *p[2];
	char limit[16] = "50";
	struct db db;
	PGresult *r = NULL;
	int ch, i, rc = 1, known = 0;
	int64_t n;
	size_t k;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			status = optarg;
			break;
		case 'n':
			if (parse_i64(optarg, &n) != WS_OK || n < 1 || n > 100000) {
				fprintf(stderr, "worldsctl jobs list: --limit: 1 to 100000\n");
				return 2;
			}
			snprintf(limit, sizeof(limit), "%lld", (long long)n);
			break;
		case 'h':
			printf("usage: worldsctl jobs list [--status STATUS] [--limit N]\n"
			       "Lists jobs newest first (default 50): status, progress, claims so far,\n"
			       "whether a generator holds the job now (LIVE), the last runner\n"
			       "(host:pid), and the error of failed jobs.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "worldsctl jobs list: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	for (k = 0; status != NULL && k < JOBS_NSTATUS; k++)
		known |= strcmp(status, jobs_status_names[k]) == 0;
	if (status != NULL && !known) {
		fprintf(stderr, "worldsctl jobs list: --status: queued, running, completed, failed "
				"or cancelled\n");
		return 2;
	}
	db_init(&db, c->database_url, 0);
	if (db_open(&db) != WS_OK) {
		fprintf(stderr, "worldsctl jobs list: %s\n", db.err);
		return 1;
	}
	p[0] = status;
	p[1] = limit;
	r = db_run(&db, list_sql, 2, p, 0);
	if (r == NULL) {
		fprintf(stderr, "worldsctl jobs list: %s\n", db.err);
		goto out;
	}
	printf("%-36s  %-9s  %-8s  %-8s  %-4s  %-24s  %-27s  %s\n", "ID", "STATUS", "PROGRESS",
	    "ATTEMPTS", "LIVE", "RUNNER", "CREATED", "ERROR");
	for (i = 0; i < PQntuples(r); i++)
		printf("%-36s  %-9s  %-8s  %-8s  %-4s  %-24s  %-27s  %s\n", PQgetvalue(r, i, 0),
		    PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
		    PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6),
		    PQgetvalue(r, i, 7));
	rc = 0;
out:
	PQclear(r);
	db_close(&db);
	return rc;
}

static int cmd_reap(const struct conf *c, int argc, char **argv)
{
	struct jobs_reaped got;
	struct db db;
	int rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: worldsctl jobs reap\n"
		       "Does the tick's recovery once: every running job whose generator is gone\n"
		       "(no session holds its job lock) is requeued, or failed after\n"
		       "max_attempts (%d) claims, or cancelled when a cancel was asked. Safe to\n"
		       "run at any time, from any host: a live generator is never touched.\n",
		    c->max_attempts);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "worldsctl jobs reap: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
	db_init(&db, c->database_url, 0);
	if (db_open(&db) != WS_OK) {
		fprintf(stderr, "worldsctl jobs reap: %s\n", db.err);
		return 1;
	}
	rc = jobs_reap(&db, c->max_attempts, &got);
	if (rc != WS_OK)
		fprintf(stderr, "worldsctl jobs reap: %s\n", db.err);
	else
		printf("requeued %d, failed %d, cancelled %d\n", got.requeued, got.failed,
		    got.cancelled);
	db_close(&db);
	return rc == WS_OK ? 0 : 1;
}

static int cmd_start(const struct conf *c, int argc, char **argv)
{
	char host[JOBS_HOST_MAX];
	struct db db;
	int i, rc = 0, n;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: worldsctl jobs start [JOB_ID...]\n"
		       "Starts a detached generator for each queued job named, as POST /manifests\n"
		       "does (nothing when this host already runs max_generators = %d); with no\n"
		       "id, for the oldest queued jobs while this host has free slots, as the tick\n"
		       "does. A job that cannot start now stays queued.\n",
		    c->max_generators);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (uuid_version(argv[i]) < 0) {
			fprintf(stderr, "worldsctl jobs start: '%s' is not a job id\n", argv[i]);
			return 2;
		}
	}
	db_init(&db, c->database_url, 0);
	if (db_open(&db) != WS_OK) {
		fprintf(stderr, "worldsctl jobs start: %s\n", db.err);
		return 1;
	}
	if (argc == 1) {
		jobs_hostname(host);
		n = jobs_start_queued(c, &db, host);
		if (n < 0)
			rc = 1;
		else
			printf("started %d\n", n);
	}
	for (i = 1; i < argc; i++)
		if (jobs_spawn(c, &db, argv[i]) != WS_OK)
			rc = 1;
	db_close(&db);
	return rc;
}

const struct wcmd jobs_ctl_cmds[] = {
	{ "jobs start", cmd_start, "start generators for queued jobs now" },
	{ "jobs list", cmd_list, "list jobs, their runners and whether they are live" },
	{ "jobs reap", cmd_reap, "requeue running jobs whose generator is gone" },
	{ NULL, NULL, NULL },
};
