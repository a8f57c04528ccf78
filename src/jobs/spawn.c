/*
 * Starting generators: a double fork so the generator is nobody's child (it outlives the
 * worker or master that started it, and init reaps it), setsid so no terminal or process
 * group signal aimed at worlds-api reaches it, and every inherited descriptor closed so
 * it never holds the FastCGI socket open (a socket a generator kept would survive a
 * restart of the service and swallow connections).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "conf/conf.h"
#include "jobs/internal.h"
#include "jobs/jobs.h"

void jobs_hostname(char out[JOBS_HOST_MAX])
{
	if (gethostname(out, JOBS_HOST_MAX) != 0 || out[0] == '\0')
		snprintf(out, JOBS_HOST_MAX, "localhost");
	out[JOBS_HOST_MAX - 1] = '\0';
}

PGresult *jobs_q(PGconn *db, const char *sql, int n, const char *const *params, char *err,
    size_t errlen)
{
	PGresult *r = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	char *nl;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return r;
	snprintf(err, errlen, "database: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(db));
	while ((nl = strpbrk(err, "\r\n")) != NULL)
		*nl = nl[1] ? ' ' : '\0';
	PQclear(r);
	return NULL;
}

int jobs_free_slots(PGconn *db, const char *host, int max_generators)
{
	char max[16], err[256];
	const char *p[2] = { host, max };
	PGresult *r;
	int held = -1;

	snprintf(max, sizeof(max), "%d", max_generators);
	r = jobs_q(db,
	    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
	    " AND granted AND classid = (" JOBS_SLOT_CLASS("$1") ")::oid"
	    " AND objid < $2::int::oid"
	    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
	    2, p, err, sizeof(err));
	if (r != NULL && PQntuples(r) == 1)
		held = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return held < 0 ? -1 : max_generators - held;
}

/*
 * The --config worlds-api was started with, so the generator reads the same file. The
 * worker and master share the master's command line, which is why it is read from /proc
 * rather than passed down through every layer.
 */
static void own_config_path(char out[PATH_MAX])
{
	char buf[8192];
	ssize_t n = 0, got;
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	size_t i = 0;
	const char *prev = NULL;

	out[0] = '\0';
	if (fd < 0)
		return;
	while (n < (ssize_t)sizeof(buf) - 1 &&
	    (got = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += got;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	while ((ssize_t)i < n) {
		const char *arg = buf + i;

		if (prev != NULL && strcmp(prev, "--config") == 0) {
			if (realpath(arg, out) == NULL)
				snprintf(out, PATH_MAX, "%s", arg);
			return;
		}
		prev = arg;
		i += strlen(arg) + 1;
	}
}

static void close_from(int lowfd)
{
	DIR *d;
	struct dirent *e;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0)
		return;
#endif
	/* Older kernels: walk the open descriptors (collect first: closing while reading
	 * the directory would close the directory's own descriptor under us). */
	d = opendir("/proc/self/fd");
	if (d == NULL) {
		for (int fd = lowfd; fd < 65536; fd++)
			close(fd);
		return;
	}
	{
		int fds[1024], n = 0, dfd = dirfd(d);

		while ((e = readdir(d)) != NULL && n < (int)W_ARRAY_LEN(fds)) {
			int fd = atoi(e->d_name);

			if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && fd >= lowfd && fd != dfd)
				fds[n++] = fd;
		}
		closedir(d);
		while (n > 0)
			close(fds[--n]);
	}
}

/* In the grandchild: become a clean daemon and exec; writes errno to report_fd on failure. */
static void __attribute__((noreturn)) exec_generator(char *const argv[], int report_fd)
{
	sigset_t none;
	int fd, e, sig;

	/* The report pipe goes to fd 3 so that everything above can be closed at once. */
	if (report_fd != 3) {
		if (dup2(report_fd, 3) < 0)
			_exit(127);
		report_fd = 3;
	}
	fcntl(report_fd, F_SETFD, FD_CLOEXEC);
	close_from(4);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		/* fd 0 may be the FastCGI socket (spawn-fcgi hands it over on stdin). */
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (chdir("/") != 0) {
		/* stay where we are: every path given to the generator is absolute */
	}
	execv(argv[0], argv);
	e = errno;
	if (write(report_fd, &e, sizeof(e)) < 0) {
		/* nobody to tell */
	}
	_exit(127);
}

int jobs_detach(const struct conf *c, const char *job_id, char *err, size_t errlen)
{
	char gen[PATH_MAX], config[PATH_MAX], id[64];
	char *argv[6];
	int argc = 0, pipefd[2] = { -1, -1 }, status, child_errno = 0, rc = WS_OK;
	pid_t pid, w;
	ssize_t n;

	if (realpath(c->generator, gen) == NULL) {
		snprintf(err, errlen, "generator %s: %s", c->generator, strerror(errno));
		return WS_EIO;
	}
	own_config_path(config);
	snprintf(id, sizeof(id), "%s", job_id);
	argv[argc++] = gen;
	argv[argc++] = (char *)"--job";
	argv[argc++] = id;
	if (config[0] != '\0') {
		argv[argc++] = (char *)"--config";
		argv[argc++] = config;
	}
	argv[argc] = NULL;
	/* Each process is single-threaded, so pipe + FD_CLOEXEC cannot race an exec. */
	if (pipe(pipefd) != 0 || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		rc = WS_EIO;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		rc = WS_EIO;
		goto out;
	}
	if (pid == 0) {
		close(pipefd[0]);
		if (setsid() < 0)
			_exit(127);
		pid = fork();
		if (pid < 0) {
			int e = errno;

			if (write(pipefd[1], &e, sizeof(e)) < 0) {
			}
			_exit(127);
		}
		if (pid > 0)
			_exit(0);
		exec_generator(argv, pipefd[1]);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	/* The intermediate child exits at once: reaping it here is what leaves no zombie. */
	do {
		w = waitpid(pid, &status, 0);
	} while (w < 0 && errno == EINTR);
	/* The pipe closes on exec (CLOEXEC) or carries the errno of a failed exec. */
	do {
		n = read(pipefd[0], &child_errno, sizeof(child_errno));
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_errno)) {
		snprintf(err, errlen, "cannot start %s: %s", gen, strerror(child_errno));
		rc = WS_EIO;
	} else if (w == pid && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		snprintf(err, errlen, "cannot start %s: the intermediate process failed", gen);
		rc = WS_EIO;
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

int jobs_spawn(const struct conf *c, PGconn *db, const char *job_id)
{
	char host[JOBS_HOST_MAX], err[PATH_MAX + 128];
	int rc;

	if (uuid_version(job_id) < 0)
		return WS_EINVAL;
	/* A cheap look first saves a fork when every slot is taken; the generator's own
	 * try-lock is what makes the cap exact, so a stale answer here is harmless. */
	if (db != NULL && PQstatus(db) == CONNECTION_OK) {
		jobs_hostname(host);
		if (jobs_free_slots(db, host, c->max_generators) == 0)
			return WS_OK;
	}
	rc = jobs_detach(c, job_id, err, sizeof(err));
	if (rc != WS_OK)
		wlog("jobs: job %s stays queued: %s", job_id, err);
	return rc;
}
