# Fuzz targets (tests/fuzz/fuzz_<name>.c). `make check` replays every saved input
# (corpus/<name>, regress/<name>) through each target built with the ordinary compiler;
# `make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="a b"] [FUZZ_PARALLEL=2]` builds them with
# clang + libFuzzer + ASan/UBSan and runs each for N seconds (docs/reliability.md).
FUZZ_NAMES = conf manifest token route jsonw
FUZZ_SECONDS = 60
FUZZ_TARGETS = $(FUZZ_NAMES)
FUZZ_PARALLEL = 1

check_PROGRAMS += tests/fuzz/replay_conf tests/fuzz/replay_manifest tests/fuzz/replay_token \
	tests/fuzz/replay_route tests/fuzz/replay_jsonw
tests_fuzz_replay_conf_SOURCES = tests/fuzz/fuzz.h tests/fuzz/replay.c tests/fuzz/fuzz_conf.c
tests_fuzz_replay_conf_LDADD = $(WORLDS_LIBS)
tests_fuzz_replay_manifest_SOURCES = tests/fuzz/fuzz.h tests/fuzz/replay.c \
	tests/fuzz/fuzz_manifest.c
tests_fuzz_replay_manifest_LDADD = $(WORLDS_LIBS)
tests_fuzz_replay_token_SOURCES = tests/fuzz/fuzz.h tests/fuzz/replay.c tests/fuzz/fuzz_token.c
tests_fuzz_replay_token_LDADD = $(WORLDS_LIBS)
tests_fuzz_replay_route_SOURCES = tests/fuzz/fuzz.h tests/fuzz/replay.c tests/fuzz/fuzz_route.c
tests_fuzz_replay_route_LDADD = $(WORLDS_LIBS)
tests_fuzz_replay_jsonw_SOURCES = tests/fuzz/fuzz.h tests/fuzz/replay.c tests/fuzz/fuzz_jsonw.c
tests_fuzz_replay_jsonw_LDADD = $(WORLDS_LIBS)
TESTS += tests/fuzz/replay_conf tests/fuzz/replay_manifest tests/fuzz/replay_token \
	tests/fuzz/replay_route tests/fuzz/replay_jsonw

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus tests/fuzz/regress tests/fuzz/dict \
	tests/sanitize.sh

fuzz: libworlds.a
	$(SHELL) $(srcdir)/tests/fuzz/run.sh --srcdir $(srcdir) --builddir $(builddir) \
	    --seconds $(FUZZ_SECONDS) --targets "$(FUZZ_TARGETS)" \
	    --parallel $(FUZZ_PARALLEL) -- $(libworlds_a_SOURCES)

clean-local: fuzz-clean
fuzz-clean:
	-rm -rf tests/fuzz/clang tests/fuzz/work
.PHONY: fuzz fuzz-clean
