/* worlds: the command-line client of a worlds server (worlds(1)). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "client/client.h"

/* Set by Ctrl-C; read by the client through the pointer it is given. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	/* No SA_RESTART: a sleeping wait wakes at once. SA_RESETHAND: a second Ctrl-C ends
	 * the program even while the first one's cancel request is under way. */
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	/* SIGPIPE keeps its default, as for any filter: `worlds job-list | head` ends
	 * quietly. libcurl shields its own socket writes from it. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "worlds: libcurl could not start\n");
		return CLIENT_EXIT_USAGE;
	}
	rc = client_main(argc, argv, &interrupted);
	curl_global_cleanup();
	return rc;
}
