libworlds_a_SOURCES += src/auth/auth.h src/auth/paseto.c src/auth/paserk.c \
	src/auth/keyring.c src/auth/token.c src/auth/tenancy.c src/auth/ctl.c \
	src/auth/ctl_internal.h src/auth/ctl_tenancy.c \
	src/auth/ctl_token.c src/auth/ctl_list.c

# Unit tests: the official PASETO/PASERK vectors, and our own refusals.
check_PROGRAMS += tests/unit/auth_vectors_test tests/unit/auth_token_test
tests_unit_auth_vectors_test_SOURCES = tests/unit/auth_vectors_test.c
tests_unit_auth_vectors_test_LDADD = $(WORLDS_LIBS)
tests_unit_auth_token_test_SOURCES = tests/unit/auth_token_test.c
tests_unit_auth_token_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/auth_vectors_test tests/unit/auth_token_test

# Database and command-line tests: each starts its own PostgreSQL (tests/lib/pg.sh).
check_PROGRAMS += tests/unit/auth_db_test
tests_unit_auth_db_test_SOURCES = tests/unit/auth_db_test.c
tests_unit_auth_db_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/auth/db.sh tests/auth/ctl.sh tests/auth/interop.sh
EXTRA_DIST += tests/auth/tap.sh tests/auth/db.sh tests/auth/ctl.sh tests/lib/pg.sh \
	tests/auth/interop.sh tests/auth/paseto-interop.js
dist_man_MANS += docs/worldsctl.8
