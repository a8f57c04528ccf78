/*
 * jobs: COPY fields, and the detached start of a generator (no database: the
 * "generator" is a script that records what it inherited).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/conf.h"
#include "jobs/internal.h"
#include "jobs/jobs.h"
#include "tap.h"

static void test_copy_field(struct tap *t)
{
	struct wbuf b;

	wbuf_init(&b);
	jobs_copy_field(&b, "a\\b\tc\nd\re", 9);
	tap_int(t, (long)b.len, 13, "a binary COPY field is a 4-byte length and the bytes");
	tap_int(t, memcmp(b.p, "\0\0\0\x09" "a\\b\tc\nd\re", 13), 0,
	    "big-endian length, bytes unescaped");
	wbuf_reset(&b);
	jobs_copy_field(&b, NULL, 0);
	tap_int(t, (long)b.len == 4 && memcmp(b.p, "\377\377\377\377", 4) == 0, 1,
	    "NULL is the length -1 and no bytes");
	wbuf_reset(&b);
	jobs_copy_field(&b, "", 0);
	tap_int(t, (long)b.len == 4 && memcmp(b.p, "\0\0\0\0", 4) == 0, 1,
	    "the empty string is the length 0, not NULL");
	wbuf_free(&b);
}

static int read_file(const char *path, char *out, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, out, cap - 1);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return n > 0 ? 0 : -1;
}

/* Waits up to 5 s for path to appear with content. */
static int wait_file(const char *path, char *out, size_t cap)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (read_file(path, out, cap) == 0 && strstr(out, "END") != NULL)
			return 0;
		usleep(10000);
	}
	return -1;
}

static void test_detach(struct tap *t)
{
	char dir[] = "/tmp/jobs_test.XXXXXX", script[256], report[256], buf[4096], line[512];
	const char *id = "0b3c2f0e-8a1d-4c55-9a57-6f1f3f7e2a10";
	struct conf c;
	FILE *f;
	int sv[2], status;
	pid_t z;

	if (mkdtemp(dir) == NULL) {
		tap_ok(t, 0, "mkdtemp");
		return;
	}
	snprintf(script, sizeof(script), "%s/fake-gen", dir);
	snprintf(report, sizeof(report), "%s/report", dir);
	f = fopen(script, "w");
	if (f == NULL) {
		tap_ok(t, 0, "write the fake generator");
		return;
	}
	/* Records its arguments, parent, session, open descriptors and environment. */
	fprintf(f,
	    "#!/bin/sh\n"
	    "ls -l /proc/$$/fd > %s.fds 2>&1\n"
	    "{ echo \"args $*\"; echo \"ppid $(ps -o ppid= -p $$ | tr -d ' ')\";\n"
	    "  echo \"sid $(ps -o sid= -p $$ | tr -d ' ') pid $$\";\n"
	    "  echo \"notify ${NOTIFY_SOCKET:-unset} listen ${LISTEN_FDS:-unset}\";\n"
	    "  echo END; } > %s.tmp && mv %s.tmp %s\n",
	    report, report, report, report);
	fclose(f);
	chmod(script, 0755);

	conf_defaults(&c);
	snprintf(c.generator, sizeof(c.generator), "%s", script);
	/* Descriptors the generator must not inherit: a socket pair standing in for the
	 * FastCGI socket, without CLOEXEC. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		tap_ok(t, 0, "socketpair");
		return;
	}
	setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
	setenv("LISTEN_FDS", "1", 1);
	tap_int(t, jobs_spawn(&c, NULL, id), WS_OK, "jobs_spawn starts the generator");
	/* The intermediate child is already reaped: no child of ours is left. */
	z = waitpid(-1, &status, WNOHANG);
	tap_int(t, z, -1, "no child left to reap (double fork, intermediate reaped)");
	if (wait_file(report, buf, sizeof(buf)) != 0) {
		tap_ok(t, 0, "the generator ran");
		goto out;
	}
	snprintf(line, sizeof(line), "args --job %s", id);
	tap_ok(t, strstr(buf, line) != NULL, "exec'd with --job ID");
	{
		char ppid[32];

		snprintf(ppid, sizeof(ppid), "ppid %ld\n", (long)getpid());
		tap_ok(t, strstr(buf, ppid) == NULL, "is not our child");
	}
	{
		long sid = -1, pid = -2;
		const char *s = strstr(buf, "sid ");

		if (s != NULL)
			sscanf(s, "sid %ld pid %ld", &sid, &pid);
		/* setsid ran in the intermediate child: a session apart from ours, led by a
		 * process that is gone, so no terminal can ever be reacquired. */
		tap_ok(t, sid > 0 && sid != (long)getsid(0) && sid != pid,
		    "runs in a session of its own, not as its leader");
	}
	/* The shell opens no socket itself: any socket in its table was inherited. */
	{
		char fds[4096], path[300];

		snprintf(path, sizeof(path), "%s.fds", report);
		if (read_file(path, fds, sizeof(fds)) != 0)
			fds[0] = '\0';
		if (!tap_ok(t, fds[0] != '\0' && strstr(fds, "socket:") == NULL,
		    "inherits no descriptor of ours (the socket pair stayed behind)"))
			printf("#   %s\n", fds);
		unlink(path);
	}
	tap_ok(t, strstr(buf, "notify unset listen unset") != NULL,
	    "NOTIFY_SOCKET and LISTEN_* are cleared");
	snprintf(c.generator, sizeof(c.generator), "%s/missing", dir);
	tap_ok(t, jobs_spawn(&c, NULL, id) != WS_OK, "a missing generator is an error");
	tap_int(t, jobs_spawn(&c, NULL, "not-a-uuid"), WS_EINVAL, "a bad job id is refused");
out:
	close(sv[0]);
	close(sv[1]);
	unlink(report);
	unlink(script);
	rmdir(dir);
}

int main(void)
{
	struct tap t = { 0, 0 };

	test_copy_field(&t);
	test_detach(&t);
	return tap_done(&t);
}
