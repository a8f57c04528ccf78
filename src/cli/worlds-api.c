/* worlds-api: the FastCGI server (master + prefork workers). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "http/http.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: worlds-api [--config FILE]\n"
		     "Serves the worlds API over FastCGI on the configured unix socket, a socket\n"
		     "passed by systemd (LISTEN_FDS) or one inherited on standard input.\n");
}

int main(int argc, char **argv)
{
	const char *config = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("worlds-api %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "worlds-api: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	return http_serve(config, &api_app);
}
