#!/usr/bin/env bash
# Hosts and principals: GET returns the document's own object; details add what the
# document says about it: a host's services, the artifacts on it and the edges of the host
# and of its computer account; a principal's groups (membership_ids: the groups whose
# members list it), its credentials and its edges; 404 for unknown ids.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inspect-fixture.bash"
inspect_fixture

edges_into() { # IDS_JSON: document edges whose target is one of the ids, Cytoscape form
	jq -c --argjson ids "$1" '[.edges[] | select(.target as $t | $ids | index($t))
		| {data: {id: .edge_id, source, target, edge_type, severity}}]' "$INS_DOC"
}
edges_from() {
	jq -c --argjson ids "$1" '[.edges[] | select(.source as $s | $ids | index($s))
		| {data: {id: .edge_id, source, target, edge_type, severity}}]' "$INS_DOC"
}

# Hosts: one with artifacts if the world has any, a DC, and the last host.
hosts=$(jq -r '([.artifacts[0].host_id // empty] + [(.hosts[] | select(.role == "dc") | .host_id)][0:1]
	+ [.hosts[-1].host_id]) | unique | .[]' "$INS_DOC")
for h in $hosts; do
	doc_host=$(jq -c --arg h "$h" '.hosts[] | select(.host_id == $h)' "$INS_DOC")
	ids=$(jq -c '[.host_id, .computer_id] | map(select(. != null))' <<<"$doc_host")
	iget "$INS_PATH/hosts/$h"
	expect_status 200 "GET hosts/$h"
	check "hosts/$h is the document's host object" "$(jq -S . <<<"$doc_host")" "$(jq -S . <<<"$RESP_BODY")"
	iget "$INS_PATH/hosts/$h/details"
	expect_status 200 "GET hosts/$h/details"
	check "hosts/$h/details: host" "$(jq -S . <<<"$doc_host")" "$(jq -S .host <<<"$RESP_BODY")"
	check "hosts/$h/details: services" "$(jq -c .services <<<"$doc_host")" "$(jq -c .services <<<"$RESP_BODY")"
	check "hosts/$h/details: artifacts" \
		"$(jq -c --arg h "$h" '[.artifacts[] | select(.host_id == $h)]' "$INS_DOC")" \
		"$(jq -c .artifacts <<<"$RESP_BODY")"
	check "hosts/$h/details: inbound_edges (host and computer account $ids)" "$(edges_into "$ids")" \
		"$(jq -c .inbound_edges <<<"$RESP_BODY")"
	check "hosts/$h/details: outbound_edges" "$(edges_from "$ids")" "$(jq -c .outbound_edges <<<"$RESP_BODY")"
done

# Principals: a user with credentials, a group, Domain Admins, a computer.
prins=$(jq -r '([.credentials[0].principal_id // empty]
	+ [(.principals[] | select(.principal_type == "group" and .builtin == false) | .principal_id)][0:1]
	+ [(.principals[] | select(.sid | endswith("-512")) | .principal_id)][0:1]
	+ [(.principals[] | select(.principal_type == "computer") | .principal_id)][0:1]) | unique | .[]' "$INS_DOC")
for p in $prins; do
	doc_p=$(jq -c --arg p "$p" '.principals[] | select(.principal_id == $p)' "$INS_DOC")
	iget "$INS_PATH/principals/$p"
	expect_status 200 "GET principals/$p"
	check "principals/$p is the document's principal object" "$(jq -S . <<<"$doc_p")" "$(jq -S . <<<"$RESP_BODY")"
	iget "$INS_PATH/principals/$p/details"
	expect_status 200 "GET principals/$p/details"
	check "principals/$p/details: principal" "$(jq -S . <<<"$doc_p")" "$(jq -S .principal <<<"$RESP_BODY")"
	check "principals/$p/details: membership_ids are the groups listing it as a member" \
		"$(jq -c --arg p "$p" '[.principals[] | select((.members // []) | index($p)) | .principal_id] | sort' "$INS_DOC")" \
		"$(jq -c '.membership_ids | sort' <<<"$RESP_BODY")"
	check "principals/$p/details: credentials" \
		"$(jq -c --arg p "$p" '[.credentials[] | select(.principal_id == $p)]' "$INS_DOC")" \
		"$(jq -c .credentials <<<"$RESP_BODY")"
	check "principals/$p/details: inbound_edges" "$(edges_into "[\"$p\"]")" "$(jq -c .inbound_edges <<<"$RESP_BODY")"
	check "principals/$p/details: outbound_edges" "$(edges_from "[\"$p\"]")" "$(jq -c .outbound_edges <<<"$RESP_BODY")"
done

for path in hosts/no-such-host hosts/no-such-host/details principals/no-such-principal \
	principals/no-such-principal/details; do
	iget "$INS_PATH/$path"
	expect_envelope 404 not_found_error "GET $path"
done
iget "${INS_PATH%/*}/00000000-0000-4000-8000-000000000000/hosts/$(jq -r '.hosts[0].host_id' "$INS_DOC")"
expect_envelope 404 not_found_error "a known host id under an unknown manifest"
