/*
 * make check's side of the fuzz targets: runs every file of tests/fuzz/corpus/<name> and
 * tests/fuzz/regress/<name> through the target compiled with the ordinary compiler, one TAP
 * line per file. An input that crashes the target aborts this program (the harness reports
 * the error and the log names the last file started); one that only misbehaves under a
 * sanitizer fails in the --enable-sanitizers build (tests/sanitize.sh).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Reads the whole file into a fresh buffer of exactly its size (0 bytes: a 1-byte buffer). */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL, *q;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			q = realloc(p, cap);
			if (q == NULL) {
				free(p);
				p = NULL;
				goto out;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	if (ferror(f)) {
		free(p);
		p = NULL;
		goto out;
	}
	/* An exact-size copy, so that reading one byte past the input is caught by ASan. */
	q = malloc(n ? n : 1);
	if (q != NULL && n)
		memcpy(q, p, n);
	free(p);
	p = q;
	*len = n;
out:
	fclose(f);
	return p;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; returns how many could not be read. */
static int run_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, **grown, path[4096];
	size_t n = 0, cap = 0, i, len;
	int bad = 0;

	if (d == NULL) {
		printf("# %s: no such directory\n", dir);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(names, cap * sizeof(*names));
			if (grown == NULL) {
				bad++;
				break;
			}
			names = grown;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL) {
			bad++;
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		unsigned char *data;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		data = slurp(path, &len);
		++*count;
		if (data == NULL) {
			printf("not ok %d - %s: unreadable\n", *count, path);
			bad++;
		} else {
			fprintf(stderr, "# running %s\n", path);
			LLVMFuzzerTestOneInput(data, len);
			printf("ok %d - %s/%s\n", *count, strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir,
			    names[i]);
		}
		free(data);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	int count = 0, bad = 0, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		/* Explicit files or directories: for reproducing one crash by hand. */
		for (i = 1; i < argc; i++) {
			size_t len;
			unsigned char *data = slurp(argv[i], &len);

			if (data == NULL) {
				bad += run_dir(argv[i], &count);
				continue;
			}
			LLVMFuzzerTestOneInput(data, len);
			printf("ok %d - %s\n", ++count, argv[i]);
			free(data);
		}
	} else {
		if (top == NULL)
			top = ".";
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top, fuzz_target_name);
		bad += run_dir(dir, &count);
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/regress/%s", top, fuzz_target_name);
		bad += run_dir(dir, &count);
	}
	if (count == 0) {
		printf("1..0 # SKIP no inputs for %s\n", fuzz_target_name);
		return 0;
	}
	printf("1..%d\n", count);
	return bad ? 1 : 0;
}
