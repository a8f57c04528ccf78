# Unit tests: one TAP program per module, tests/unit/<module>_test.c.
# The integration suite ships whole (it needs the built tree and real services, so it
# runs from scripts/test, not make check).
EXTRA_DIST += tests/unit/tap.h tests/integration
# docs/deploy.md walked (scripts/test runs it: it needs root and the built tree's sources).
EXTRA_DIST += tests/deploy/walkthrough.sh

check_PROGRAMS += tests/unit/util_test tests/unit/conf_test
tests_unit_util_test_SOURCES = tests/unit/util_test.c
tests_unit_util_test_LDADD = $(WORLDS_LIBS)
tests_unit_conf_test_SOURCES = tests/unit/conf_test.c
tests_unit_conf_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/util_test tests/unit/conf_test

check_PROGRAMS += tests/unit/http_test
tests_unit_http_test_SOURCES = tests/unit/http_test.c
tests_unit_http_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/http_test

check_PROGRAMS += tests/unit/client_test
tests_unit_client_test_SOURCES = tests/unit/client_test.c
tests_unit_client_test_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS)
tests_unit_client_test_LDADD = $(CLIENT_LIBS)
TESTS += tests/unit/client_test

# The module map holds (src/README.md): no private header crossed, no layer included upwards.
TESTS += tests/layout.sh
EXTRA_DIST += tests/layout.sh src/README.md
