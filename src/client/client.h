/*
 * client: `worlds`, the command-line client of the API. Global options with their
 * environment and client.conf fallbacks, the verbs, HTTP over libcurl with retries, the
 * renderings (tables, summaries, the error envelope), job waits with a progress line, and
 * verified streaming downloads. main() is src/cli/worlds.c.
 */
#ifndef WORLDS_CLIENT_H
#define WORLDS_CLIENT_H

#include <signal.h>

/* Every exit status of worlds(1), once: name, value, meaning (--help and the man page). */
#define CLIENT_EXITS(X)                                                                     \
	X(CLIENT_EXIT_OK, 0, "success; after a wait, the job completed")                    \
	X(CLIENT_EXIT_FAILED, 1, "the job failed")                                          \
	X(CLIENT_EXIT_USAGE, 2,                                                             \
	    "client error: bad usage or configuration (nothing was sent), or a local file " \
	    "that cannot be read or written")                                               \
	X(CLIENT_EXIT_CANCELLED, 3, "the job was cancelled")                                \
	X(CLIENT_EXIT_TIMEOUT, 4, "the wait timed out (--timeout-sec); the job goes on")    \
	X(CLIENT_EXIT_REFUSED, 5,                                                           \
	    "the server refused the request (a 4xx answer: its error envelope is printed)") \
	X(CLIENT_EXIT_SERVER, 6,                                                            \
	    "server error: a 5xx answer, an answer that is not what the API promises, or "  \
	    "a download whose size or sha256 does not match")                               \
	X(CLIENT_EXIT_UNREACHABLE, 7,                                                       \
	    "no answer: connection, TLS or timeout failure (the server URL is named)")      \
	X(CLIENT_EXIT_INTERRUPTED, 130, "interrupted (Ctrl-C); a job waited for goes on "   \
	    "unless --cancel-on-interrupt")

enum client_exit {
#define CLIENT_EXIT_ENUM(name, value, text) name = value,
	CLIENT_EXITS(CLIENT_EXIT_ENUM)
#undef CLIENT_EXIT_ENUM
};

/*
 * The whole program: argv as main() got it. *interrupted is set by main's SIGINT handler:
 * a wait stops, a transfer aborts. libcurl must be initialised. Returns the exit status.
 */
int client_main(int argc, char **argv, volatile sig_atomic_t *interrupted);

#endif
