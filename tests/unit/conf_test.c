/* conf: parsing, every kind of bad line named by file, line and key, env overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/util.h"
#include "tap.h"

static int parse(struct conf *c, const char *text, char *err, size_t errlen)
{
	conf_defaults(c);
	err[0] = '\0';
	return conf_parse_text(c, "test.conf", text, strlen(text), err, errlen);
}

int main(void)
{
	struct tap t = { 0, 0 };
	struct conf c;
	char err[2048], path[] = "/tmp/worlds-conf-XXXXXX";
	int fd;

	tap_int(&t, parse(&c, "# comment\n\nworkers = 8\nsocket=/run/w.sock  \n"
	    "database_url = \"host=/tmp port=5 # not a comment\"\nlog_level = debug\n", err,
	    sizeof(err)), WS_OK, "valid file parses");
	tap_int(&t, c.workers, 8, "workers read");
	tap_str(&t, c.socket, "/run/w.sock", "trailing blanks trimmed");
	tap_str(&t, c.database_url, "host=/tmp port=5 # not a comment", "quoted value kept whole");
	tap_int(&t, c.log_level, CONF_LOG_DEBUG, "log level read");

	tap_int(&t, parse(&c, "workers = 2\nworkerz = 3\n", err, sizeof(err)), WS_EINVAL,
	    "unknown key refused");
	tap_str(&t, err, "test.conf:2: unknown key 'workerz'", "message names file, line, key");
	tap_int(&t, parse(&c, "\n\nworkers = 0\n", err, sizeof(err)), WS_EINVAL, "bound refused");
	tap_str(&t, err, "test.conf:3: key 'workers': expected an integer from 1 to 256, got '0'",
	    "bound message");
	tap_int(&t, parse(&c, "workers = 3x\n", err, sizeof(err)), WS_EINVAL, "junk int refused");
	tap_int(&t, parse(&c, "log_level = loud\n", err, sizeof(err)), WS_EINVAL, "bad level");
	tap_str(&t, err, "test.conf:1: key 'log_level': expected error, warn, info or debug, got 'loud'",
	    "level message");
	tap_int(&t, parse(&c, "just words\n", err, sizeof(err)), WS_EINVAL, "no '=' refused");
	tap_int(&t, parse(&c, " = 3\n", err, sizeof(err)), WS_EINVAL, "empty key refused");
	tap_int(&t, parse(&c, "max_token_ttl = 99999999999999999999\n", err, sizeof(err)),
	    WS_EINVAL, "overflow refused");

	fd = mkstemp(path);
	if (fd >= 0) {
		const char *text = "workers = 3\nmax_generators = 2\n";

		if (write(fd, text, strlen(text)) < 0)
			perror("write");
		close(fd);
	}
	setenv("WORLDS_MAX_GENERATORS", "5", 1);
	tap_int(&t, conf_load(&c, path, err, sizeof(err)), WS_OK, "file + environment load");
	tap_int(&t, c.workers, 3, "file value kept");
	tap_int(&t, c.max_generators, 5, "environment overrides the file");
	setenv("WORLDS_WORKERS", "many", 1);
	tap_int(&t, conf_load(&c, path, err, sizeof(err)), WS_EINVAL, "bad environment refused");
	tap_str(&t, err, "environment WORLDS_WORKERS: key 'workers': expected an integer from 1 to 256, got 'many'",
	    "environment message names the variable");
	unsetenv("WORLDS_WORKERS");
	unsetenv("WORLDS_MAX_GENERATORS");
	unlink(path);
	tap_int(&t, conf_load(&c, path, err, sizeof(err)), WS_EIO, "missing explicit file refused");
	return tap_done(&t);
}
