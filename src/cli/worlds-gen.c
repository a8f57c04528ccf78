/* worlds-gen: the generator (offline manifest, or one queued job with --job). */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("worlds-gen %s\n", PACKAGE_VERSION);
		return 0;
	}
	fprintf(stderr, "worlds-gen: not built yet\n");
	return 2;
}
