#!/usr/bin/env bash
# The inspection tests again, on the same world stored the way small worlds are: in the
# shared tables rather than in tables of its own (sql/012_own_tables.sql). The inspect-*.sh
# tests read it as a big world; INS_FORM=shared makes their fixture raise
# worlds.own_tables_rows while the world is made, and checks where it went.
here=$(cd "$(dirname "$0")" && pwd)
rc=0
for t in inspect-graph-pages inspect-details inspect-subgraph inspect-principals-search \
	inspect-overview-commands; do
	INS_FORM=shared T_NAME_PREFIX="shared-tables-" bash "$here/$t.sh" || rc=1
done
exit $rc
