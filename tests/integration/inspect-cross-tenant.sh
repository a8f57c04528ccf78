#!/usr/bin/env bash
# Cross-tenant: a member of another workspace of the same organisation gets 404 from every
# inspection route, both under the manifest's workspace (not a member) and under their own
# workspace (the manifest is not there); the viewer of the manifest's workspace gets 200.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inspect-fixture.bash"
inspect_fixture

host=$(jq -r '.hosts[0].host_id' "$INS_DOC")
prin=$(jq -r '.principals[0].principal_id' "$INS_DOC")
routes="graph/nodes graph/edges graph/subgraph?center=$prin graph/overview hosts/$host
hosts/$host/details principals principals?q=a principals/$prin principals/$prin/details commands"
for r in $routes; do
	iget "$INS_PATH/$r"
	expect_status 200 "the workspace's viewer reads $r"
	iget "$INS_PATH/$r" "$INS_OUTSIDER"
	expect_envelope 404 not_found_error "an outsider reads $r in the manifest's workspace"
	iget "$INS_OTHER_PATH/$r" "$INS_OUTSIDER"
	expect_envelope 404 not_found_error "an outsider reads $r through their own workspace"
done
