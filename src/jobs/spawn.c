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
#include <poll.h>
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

int jobs_free_slots(struct db *db, const char *host, int max_generators)
{
	char max[16];
	const char *p[2] = { host, max };
	PGresult *r;
	int free_slots = -1;

	snprintf(max, sizeof(max), "%d", max_generators);
	r = db_run(db,
	    "SELECT $2::int - count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
	    " AND granted AND classid = (" JOBS_SLOT_CLASS("$1") ")::oid"
	    " AND objid < $2::int::oid"
	    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
	    2, p, 0);
	if (r != NULL && PQntuples(r) == 1)
		free_slots = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return free_slots;
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

/*
 * In the grandchild: become a clean daemon and exec; writes errno to report_fd on failure.
 * report_fd stays open across the exec as fd 3: the generator closes it once it has tried
 * for its slot, which is what the spawner waits for.
 */
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
	fcntl(report_fd, F_SETFD, 0);
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
	setenv(JOBS_READY_ENV, "3", 1);
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

/*
 * Waits for the generator's readiness: EOF on the pipe once it has tried for its slot (or
 * died), or the errno of a failed exec. Gives up at ready_by (a generator slow to reach
 * the database); returns what read() last returned, 0 on EOF or when it gave up.
 */
static ssize_t read_ready(int fd, int *child_errno, int64_t ready_by)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t left;
	ssize_t n;
	int pr;

	for (;;) {
		left = ready_by - time_mono_ms();
		if (left <= 0)
			return 0;
		pr = poll(&pfd, 1, (int)left);
		if (pr > 0) {
			do {
				n = read(fd, child_errno, sizeof(*child_errno));
			} while (n < 0 && errno == EINTR);
			return n;
		}
		if (pr < 0 && errno != EINTR)
			return 0;
	}
}

int jobs_detach(const struct conf *c, const char *job_id, int64_t ready_by, char *err,
    size_t errlen)
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
	n = read_ready(pipefd[0], &child_errno, ready_by);
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

int jobs_gate(struct db *db, const char *host, enum jobs_gate_op op)
{
	static const char *const sql[] = {
		[JOBS_GATE_RELEASE] = "SELECT pg_advisory_unlock(" JOBS_SLOT_CLASS("$1") ", "
				      JOBS_GATE_KEY ")",
		[JOBS_GATE_WAIT] = "SELECT pg_advisory_lock(" JOBS_SLOT_CLASS("$1") ", "
				   JOBS_GATE_KEY "), true",
		[JOBS_GATE_TRY] = "SELECT pg_try_advisory_lock(" JOBS_SLOT_CLASS("$1") ", "
				  JOBS_GATE_KEY ")",
	};
	const char *p[1] = { host };
	PGresult *r;
	int rc = WS_OK;

	r = db_run(db, sql[op], 1, p, 0);
	if (r == NULL) {
		wlog("jobs: start gate: %s", db->err);
		return WS_EDB;
	}
	if (op == JOBS_GATE_TRY && strcmp(PQgetvalue(r, 0, PQnfields(r) - 1), "t") != 0)
		rc = WS_EAGAIN;
	PQclear(r);
	return rc;
}

int jobs_spawn(const struct conf *c, struct db *db, const char *job_id)
{
	char host[JOBS_HOST_MAX];
	long free_slots = -1;

	/* A look without the gate first: when every slot is taken (the usual case under
	 * load) it costs one cheap query and no wait. */
	if (!db_lost(db)) {
		jobs_hostname(host);
		jobs_running_here(db, host, c->max_generators, &free_slots);
	}
	return jobs_spawn_free(c, db, job_id, free_slots);
}

int jobs_spawn_free(const struct conf *c, struct db *db, const char *job_id, long free_slots)
{
	char host[JOBS_HOST_MAX], err[PATH_MAX + 128];
	int rc = WS_OK, gated = 0;

	if (uuid_version(job_id) < 0)
		return WS_EINVAL;
	if (free_slots == 0)
		return WS_OK;
	if (!db_lost(db)) {
		jobs_hostname(host);
		gated = jobs_gate(db, host, JOBS_GATE_WAIT) == WS_OK;
		if (gated && jobs_free_slots(db, host, c->max_generators) == 0)
			goto out;
	}
	/* Without a database the generator's own try-lock still keeps the cap on slots. */
	rc = jobs_detach(c, job_id, time_mono_ms() + JOBS_READY_MS, err, sizeof(err));
	if (rc != WS_OK)
		wlog("jobs: job %s stays queued: %s", job_id, err);
out:
	if (gated)
		jobs_gate(db, host, JOBS_GATE_RELEASE);
	return rc;
}
