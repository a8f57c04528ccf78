libworlds_a_SOURCES += src/auth/auth.h src/auth/paseto.c src/auth/paserk.c \
	src/auth/keyring.c src/auth/token.c src/auth/tenancy.c src/auth/ctl.c

# Unit tests: the official PASETO/PASERK vectors, and our own refusals.
check_PROGRAMS += tests/unit/auth_vectors_test
tests_unit_auth_vectors_test_SOURCES = tests/unit/auth_vectors_test.c
tests_unit_auth_vectors_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/auth_vectors_test
