/*
 * The fuzz targets' one interface. Each tests/fuzz/fuzz_<name>.c defines the libFuzzer
 * entry point over a pure function and its name; the same file links either with libFuzzer
 * (clang, `make fuzz`) or with replay.c (the ordinary compiler, `make check`), which feeds
 * it every saved input so a crash found once stays fixed.
 */
#ifndef WORLDS_FUZZ_H
#define WORLDS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The target's name: its corpus is tests/fuzz/corpus/<name>, its regressions regress/<name>. */
extern const char fuzz_target_name[];

/*
 * A broken invariant is a crash: libFuzzer keeps the input, the replay reports it. Not
 * assert(), which NDEBUG would silence.
 */
#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

#endif
