#!/bin/sh
# auth_resolve / auth_jti_revoked against a real PostgreSQL: the C test does the checking.
. "${top_srcdir:?}/tests/auth/tap.sh"
t_setup_db
"$top_builddir/tests/unit/auth_db_test"
