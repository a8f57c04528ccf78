libworlds_a_SOURCES += src/jobs/jobs.h src/jobs/internal.h src/jobs/queue.c src/jobs/spawn.c \
	src/jobs/run.c src/jobs/run_traj.c src/jobs/copy.c src/jobs/graph.c src/jobs/store.c \
	src/jobs/watch.c src/jobs/tick.c src/jobs/ctl.c

# Unit tests: COPY fields and the detached start (no database needed).
check_PROGRAMS += tests/unit/jobs_test
tests_unit_jobs_test_SOURCES = tests/unit/jobs_test.c
tests_unit_jobs_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/jobs_test

# Shell tests with real processes and a real PostgreSQL: tests/jobs/run (not part of
# make check: each test starts its own PostgreSQL).
EXTRA_DIST += tests/jobs
