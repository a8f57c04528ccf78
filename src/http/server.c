/*
 * The master: owns the listening socket, keeps N workers alive (respawning crashed ones
 * with backoff), replaces them on SIGHUP without closing the socket, drains them on
 * SIGTERM, and runs the application's tick between signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/conf.h"
#include "http/http.h"
#include "http/internal.h"

#define MAX_WORKERS 256
#define DRAIN_MS 10000

/* The self-pipe: signal handlers may only write a byte; the loop does the work. */
static int sig_pipe[2] = { -1, -1 };

struct worker_slot {
	pid_t pid;
	unsigned generation;
	int64_t started_ms;
};

struct master {
	struct conf conf;
	const char *config_path;
	const struct http_app *app;
	int listen_fd;
	int own_socket; /* we created the socket file and unlink it at exit */
	struct worker_slot w[MAX_WORKERS];
	unsigned generation;
	int64_t backoff_ms;
	int64_t next_spawn_ms;
	void *tick_state;
	void *shared; /* master_load's state for the current generation */
};

static void on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* pipe full: a wake-up is already pending */
	}
	errno = saved;
}

static int set_cloexec_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return WS_EIO;
	return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? WS_EIO : WS_OK;
}

static int is_listening_socket(int fd)
{
	struct stat st;
	int yes = 0;
	socklen_t len = sizeof(yes);

	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
		return 0;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &yes, &len) == 0 && yes;
}

/* Socket from systemd (fd 3), inherited on fd 0 (spawn-fcgi), or made from conf.socket. */
static int open_listener(struct master *m)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	struct sockaddr_un sa;
	mode_t old;
	int fd;

	if (pid != NULL && fds != NULL && atol(pid) == (long)getpid() && atoi(fds) >= 1) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		m->listen_fd = 3;
		return WS_OK;
	}
	if (is_listening_socket(0)) {
		m->listen_fd = 0;
		return WS_OK;
	}
	if (m->conf.socket[0] == '\0') {
		wlog("worlds-api: no socket: set 'socket' in the configuration, or start it "
		     "from systemd or spawn-fcgi");
		return WS_EINVAL;
	}
	if (strlen(m->conf.socket) >= sizeof(sa.sun_path)) {
		wlog("worlds-api: socket path too long: %s", m->conf.socket);
		return WS_EINVAL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, m->conf.socket, strlen(m->conf.socket));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return WS_EIO;
	unlink(m->conf.socket); /* a stale socket from a crash would block bind */
	/* Access is governed by the socket's directory, as for the systemd socket unit. */
	old = umask(0);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1024) != 0) {
		umask(old);
		wlog("worlds-api: cannot listen on %s: %s", m->conf.socket, strerror(errno));
		close(fd);
		return WS_EIO;
	}
	umask(old);
	m->listen_fd = fd;
	m->own_socket = 1;
	return WS_OK;
}

static void spawn_worker(struct master *m, struct worker_slot *s)
{
	pid_t pid = fork();

	if (pid < 0) {
		wlog("worlds-api: fork failed: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		int status;

		close(sig_pipe[0]);
		close(sig_pipe[1]);
		status = http_worker_run(&m->conf, m->listen_fd, m->app, m->shared);
		_exit(status);
	}
	s->pid = pid;
	s->generation = m->generation;
	s->started_ms = time_mono_ms();
}

/* Fills empty slots of the current generation, unless backing off after crashes. */
static void fill_workers(struct master *m)
{
	int i, live = 0;

	for (i = 0; i < MAX_WORKERS; i++)
		if (m->w[i].pid > 0 && m->w[i].generation == m->generation)
			live++;
	if (live >= m->conf.workers || time_mono_ms() < m->next_spawn_ms)
		return;
	for (i = 0; i < MAX_WORKERS && live < m->conf.workers; i++) {
		if (m->w[i].pid == 0) {
			spawn_worker(m, &m->w[i]);
			live++;
		}
	}
}

static void signal_generation(struct master *m, unsigned gen, int all, int sig)
{
	int i;

	for (i = 0; i < MAX_WORKERS; i++)
		if (m->w[i].pid > 0 && (all || m->w[i].generation == gen))
			kill(m->w[i].pid, sig);
}

static int live_workers(const struct master *m)
{
	int i, n = 0;

	for (i = 0; i < MAX_WORKERS; i++)
		n += m->w[i].pid > 0;
	return n;
}

/* Collects exited children; a worker that died young makes the next spawn wait longer. */
static void reap(struct master *m, int stopping)
{
	pid_t pid;
	int status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < MAX_WORKERS; i++) {
			struct worker_slot *s = &m->w[i];
			int crashed;

			if (s->pid != pid)
				continue;
			s->pid = 0;
			crashed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
			if (stopping || s->generation != m->generation || !crashed)
				break;
			if (time_mono_ms() - s->started_ms < 1000) {
				m->backoff_ms = m->backoff_ms ? m->backoff_ms * 2 : 100;
				if (m->backoff_ms > 5000)
					m->backoff_ms = 5000;
			} else {
				m->backoff_ms = 0;
			}
			m->next_spawn_ms = time_mono_ms() + m->backoff_ms;
			wlog("worlds-api: worker %ld %s %d; respawning%s", (long)pid,
			    WIFSIGNALED(status) ? "killed by signal" : "exited with",
			    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			    m->backoff_ms ? " after a pause" : "");
			break;
		}
	}
}

/* New configuration and keys: start a new generation, then retire the old one. */
static void reload(struct master *m)
{
	struct conf fresh;
	void *shared = NULL;
	char err[2048];

	http_notify("RELOADING=1");
	if (conf_load(&fresh, m->config_path, err, sizeof(err)) != WS_OK) {
		wlog("worlds-api: reload refused, keeping the running configuration: %s", err);
		fresh = m->conf;
	} else {
		snprintf(fresh.socket, sizeof(fresh.socket), "%s", m->conf.socket);
		if (fresh.workers > MAX_WORKERS)
			fresh.workers = MAX_WORKERS;
	}
	/* New workers that could not serve as the running ones do (a bad key file) would
	 * refuse everything: the running generation, and its state, stay instead. */
	if (m->app->master_load && m->app->master_load(&fresh, &shared, err, sizeof(err)) != 0) {
		wlog("worlds-api: reload refused, the running workers keep serving: %s", err);
		http_notify("READY=1");
		return;
	}
	if (m->app->master_free && m->shared)
		m->app->master_free(m->shared); /* the old workers have their own copy */
	m->shared = shared;
	m->conf = fresh;
	m->generation++;
	m->next_spawn_ms = 0;
	fill_workers(m);
	signal_generation(m, m->generation - 1, 0, SIGTERM);
	/* Workers of older generations are no longer counted by fill_workers. */
	http_notify("READY=1");
	wlog("worlds-api: reloaded (generation %u)", m->generation);
}

static void drain(struct master *m)
{
	int64_t deadline = time_mono_ms() + DRAIN_MS;

	http_notify("STOPPING=1");
	signal_generation(m, 0, 1, SIGTERM);
	while (live_workers(m) > 0 && time_mono_ms() < deadline) {
		struct pollfd p = { sig_pipe[0], POLLIN, 0 };
		unsigned char b[64];

		poll(&p, 1, 50);
		while (read(sig_pipe[0], b, sizeof(b)) > 0) {
		}
		reap(m, 1);
	}
	if (live_workers(m) > 0) {
		wlog("worlds-api: workers still busy after %d s; killing them", DRAIN_MS / 1000);
		signal_generation(m, 0, 1, SIGKILL);
		while (live_workers(m) > 0 && waitpid(-1, NULL, 0) > 0)
			reap(m, 1);
	}
}

static int install_signals(void)
{
	struct sigaction sa;

	if (pipe(sig_pipe) != 0 || set_cloexec_nonblock(sig_pipe[0]) != WS_OK ||
	    set_cloexec_nonblock(sig_pipe[1]) != WS_OK)
		return WS_EIO;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return WS_OK;
}

/* Waits for a signal or the next tick; returns 1 when it is time to stop. */
static int master_step(struct master *m, int64_t *next_tick)
{
	struct pollfd p = { sig_pipe[0], POLLIN, 0 };
	unsigned char sigs[64];
	int64_t now = time_mono_ms(), wait = *next_tick - now;
	ssize_t n, i;
	int stop = 0, hup = 0;

	if (wait < 0)
		wait = 0;
	if (m->next_spawn_ms > now && m->next_spawn_ms - now < wait)
		wait = m->next_spawn_ms - now;
	poll(&p, 1, (int)wait);
	while ((n = read(sig_pipe[0], sigs, sizeof(sigs))) > 0) {
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGTERM || sigs[i] == SIGINT)
				stop = 1;
			else if (sigs[i] == SIGHUP)
				hup = 1;
		}
	}
	reap(m, stop);
	if (stop)
		return 1;
	if (hup)
		reload(m);
	fill_workers(m);
	if (time_mono_ms() >= *next_tick) {
		if (m->app->tick)
			m->app->tick(&m->conf, &m->tick_state);
		*next_tick = time_mono_ms() + m->conf.tick_interval_ms;
	}
	return 0;
}

int http_serve(const char *config_path, const struct http_app *app)
{
	struct master *m;
	char err[2048];
	int64_t next_tick;
	int status = 1;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return 1;
	m->config_path = config_path;
	m->app = app;
	m->listen_fd = -1;
	if (conf_load(&m->conf, config_path, err, sizeof(err)) != WS_OK) {
		wlog("worlds-api: %s", err);
		status = 2;
		goto out;
	}
	if (m->conf.workers > MAX_WORKERS)
		m->conf.workers = MAX_WORKERS;
	if (install_signals() != WS_OK || open_listener(m) != WS_OK)
		goto out;
	/* Workers without it fail closed (no keys: every token refused), loudly. */
	if (m->app->master_load && m->app->master_load(&m->conf, &m->shared, err,
	    sizeof(err)) != 0)
		wlog("worlds-api: %s", err);
	fill_workers(m);
	http_notify("READY=1");
	wlog("worlds-api %s: serving with %d workers", PACKAGE_VERSION, m->conf.workers);
	next_tick = time_mono_ms(); /* the first tick runs at once: recovery at start */
	while (!master_step(m, &next_tick)) {
	}
	drain(m);
	status = 0;
	wlog("worlds-api: stopped");
out:
	if (m->app->master_free && m->shared)
		m->app->master_free(m->shared);
	if (m->app->tick_free && m->tick_state)
		m->app->tick_free(m->tick_state);
	if (m->own_socket)
		unlink(m->conf.socket);
	if (m->listen_fd > 0)
		close(m->listen_fd);
	free(m);
	return status;
}
