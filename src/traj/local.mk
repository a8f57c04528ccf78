libworlds_a_SOURCES += src/traj/traj.h src/traj/internal.h src/traj/graph.c src/traj/state.c \
	src/traj/sampler.c src/traj/text.c src/traj/batch.c src/traj/check.c src/traj/params.c src/traj/store.c

# Unit tests: sampling over small and medium worlds, replayed by the checker.
check_PROGRAMS += tests/unit/traj_test
tests_unit_traj_test_SOURCES = tests/unit/traj_test.c
tests_unit_traj_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/traj_test

# Shell test (TAP): the worlds-gen trajectories mode.
TESTS += tests/traj/cli.sh
EXTRA_DIST += tests/traj/cli.sh

EXTRA_DIST += docs/trajectories.md
