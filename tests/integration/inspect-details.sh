#!/usr/bin/env bash
# Hosts and principals: GET returns the document's own object; details add what the
# document says about it: a host's services, the artifacts on it and the edges of the host
# and of its computer account; a principal's groups (membership_ids: the groups whose
# members list it), its credentials and its edges; 404 for unknown ids. The edges listed
# are capped per direction (edge_limit, default 1000, at most 5000, from edge_offset): an
# ordinary entity has every edge and truncated false; a hub (Domain Users, one MemberOf
# edge per user) lists the first 1000 with its totals and truncated true, and its pages
# put together are its edges; 422 for edge_limit / edge_offset out of range.
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
	expect_json '"\(.truncated) \(.inbound_total) \(.outbound_total) \(.edge_limit) \(.edge_offset)"' \
		"false $(edges_into "$ids" | jq length) $(edges_from "$ids" | jq length) 1000 0" \
		"hosts/$h/details: every edge listed, totals, the default page"
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
	expect_json '"\(.truncated) \(.inbound_total) \(.outbound_total)"' \
		"false $(edges_into "[\"$p\"]" | jq length) $(edges_from "[\"$p\"]" | jq length)" \
		"principals/$p/details: every edge listed, with its totals"
done

# A hub: Domain Users of the first domain, one inbound MemberOf edge per user.
du=$(jq -r '[.principals[] | select(.sid | endswith("-513"))][0].principal_id' "$INS_DOC")
du_in=$(edges_into "[\"$du\"]")
du_out=$(edges_from "[\"$du\"]")
n_in=$(jq length <<<"$du_in")
check "the fixture's Domain Users ($du) has more inbound edges than the cap" yes \
	"$([ "$n_in" -gt 1000 ] && echo yes || echo "no: $n_in")"
iget "$INS_PATH/principals/$du/details"
expect_status 200 "GET principals/$du/details (a hub)"
expect_json '"\(.truncated) \(.inbound_edges | length) \(.inbound_total) \(.outbound_total) \(.edge_limit) \(.edge_offset)"' \
	"true 1000 $n_in $(jq length <<<"$du_out") 1000 0" "the hub's details list 1000 inbound edges of $n_in, truncated"
check "the hub's inbound_edges are its first 1000 in edge order" "$(jq -c '.[:1000]' <<<"$du_in" | md5sum)" \
	"$(jq -c .inbound_edges <<<"$RESP_BODY" | md5sum)"
check "the hub's outbound_edges (under the cap) are all listed" "$du_out" "$(jq -c .outbound_edges <<<"$RESP_BODY")"
check "the hub's principal object is the document's" \
	"$(jq -S --arg p "$du" '.principals[] | select(.principal_id == $p)' "$INS_DOC")" "$(jq -S .principal <<<"$RESP_BODY")"
: >"$T_TMP/pages"
for ((off = 0; off < n_in + 700; off += 700)); do
	iget "$INS_PATH/principals/$du/details?edge_limit=700&edge_offset=$off"
	[ "$RESP_STATUS" = 200 ] || break
	jq -c '.inbound_edges[]' <<<"$RESP_BODY" >>"$T_TMP/pages"
	last=$off
done
expect_json '"\(.inbound_edges | length) \(.outbound_edges | length) \(.inbound_total) \(.edge_offset) \(.truncated)"' \
	"0 0 $n_in $last true" "a page past the end is empty and keeps the totals"
check "the hub's pages of 700 (edge_offset) put together are its $n_in inbound edges, in order" \
	"$(jq -c '.[]' <<<"$du_in" | md5sum) ($n_in edges)" "$(md5sum <"$T_TMP/pages") ($(wc -l <"$T_TMP/pages") edges)"
iget "$INS_PATH/principals/$du/details?edge_limit=5000"
check "edge_limit=5000 lists the whole hub: truncated false" "false $n_in" \
	"$(jq -r '"\(.truncated) \(.inbound_edges | length)"' <<<"$RESP_BODY")"
check "edge_limit=5000: the document's edges" "$(md5sum <<<"$du_in")" "$(jq -c .inbound_edges <<<"$RESP_BODY" | md5sum)"
h=$(jq -r '.hosts[0].host_id' "$INS_DOC")
iget "$INS_PATH/hosts/$h/details?edge_limit=1"
expect_json '"\(.inbound_edges | length <= 1) \(.outbound_edges | length <= 1) \(.edge_limit)"' "true true 1" \
	"hosts/$h/details?edge_limit=1 lists at most one edge per direction"
expect_json '(.truncated == ((.inbound_edges | length) < .inbound_total or (.outbound_edges | length) < .outbound_total))' \
	true "hosts/$h/details?edge_limit=1: truncated says whether a list is cut"

# 422: loc ["query", name].
for q in "edge_limit=0" "edge_limit=5001" "edge_limit=abc" "edge_offset=-1"; do
	iget "$INS_PATH/principals/$du/details?$q"
	expect_envelope 422 validation_error "principals/{id}/details?$q"
	expect_json '.errors[0].loc | join(".")' "query.${q%%=*}" "principals/{id}/details?$q names query.${q%%=*}"
done
iget "$INS_PATH/hosts/$h/details?edge_limit=5001&edge_offset=x"
expect_envelope 422 validation_error "hosts/{id}/details?edge_limit=5001&edge_offset=x"
expect_json '[.errors[].loc | join(".")] | join(" ")' "query.edge_limit query.edge_offset" \
	"hosts/{id}/details lists edge_limit and edge_offset"

for path in hosts/no-such-host hosts/no-such-host/details principals/no-such-principal \
	principals/no-such-principal/details; do
	iget "$INS_PATH/$path"
	expect_envelope 404 not_found_error "GET $path"
done
iget "${INS_PATH%/*}/00000000-0000-4000-8000-000000000000/hosts/$(jq -r '.hosts[0].host_id' "$INS_DOC")"
expect_envelope 404 not_found_error "a known host id under an unknown manifest"
