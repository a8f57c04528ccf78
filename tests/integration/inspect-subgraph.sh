#!/usr/bin/env bash
# Subgraph: depth 1 is exactly the centre and its neighbours in both directions, with the
# edges between the centre and them; deeper levels grow it; a centre with more than 2000
# neighbours (Domain Users) is cut at 2000 nodes with truncated: true; 404 for an unknown
# centre; 422 for depth 0 or 4 and a missing centre.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inspect-fixture.bash"
inspect_fixture

# A user with the most edges in the document: neighbours in both directions.
center=$(jq -r '[.edges[] | .source, .target] | map(select(startswith("u-"))) | group_by(.)
	| max_by(length) | .[0]' "$INS_DOC")
want_nodes=$(jq -r --arg c "$center" '[$c] + [.edges[] | select(.source == $c) | .target]
	+ [.edges[] | select(.target == $c) | .source] | unique | .[]' "$INS_DOC" | md5sum)
want_edges=$(jq -r --arg c "$center" '.edges[] | select(.source == $c or .target == $c) | .edge_id' \
	"$INS_DOC" | sort | md5sum)

iget "$INS_PATH/graph/subgraph?center=$center&depth=1"
expect_status 200 "subgraph of $center, depth 1"
expect_json '"\(.center) \(.depth) \(.truncated)"' "$center 1 false" "center, depth and truncated are echoed"
check "depth 1 nodes are exactly $center and its neighbours (both directions)" "$want_nodes" \
	"$(jq -r '[.nodes[].data.id] | unique | .[]' <<<"$RESP_BODY" | md5sum)"
check "depth 1 nodes have no duplicate" "$(jq '.nodes | length' <<<"$RESP_BODY")" \
	"$(jq '[.nodes[].data.id] | unique | length' <<<"$RESP_BODY")"
check "depth 1 edges are exactly the edges of $center" "$want_edges" \
	"$(jq -r '.edges[].data.id' <<<"$RESP_BODY" | sort | md5sum)"
expect_json '.nodes[0].data.id' "$center" "the centre comes first"
n1=$(jq '.nodes | length' <<<"$RESP_BODY")

iget "$INS_PATH/graph/subgraph?center=$center"
expect_json '.depth' 2 "depth defaults to 2"
n2=$(jq '.nodes | length' <<<"$RESP_BODY")
check "depth 2 holds depth 1" yes "$([ "$n2" -ge "$n1" ] && echo yes || echo "no: $n2 < $n1")"
check "depth 2 edges are in edge order, none twice" ok "$(jq -r --slurpfile doc "$INS_DOC" '
	($doc[0].edges | to_entries | map({(.value.edge_id): .key}) | add) as $at
	| [.edges[].data.id | $at[.]] | if . == (sort | unique) then "ok" else "not: \(.[0:20])" end' <<<"$RESP_BODY")"
check "every edge of the answer joins two of its nodes" 0 "$(jq '[.nodes[].data.id] as $n
	| [.edges[].data | select((.source as $s | $n | index($s)) == null or (.target as $t | $n | index($t)) == null)]
	| length' <<<"$RESP_BODY")"

# Domain Users of the first domain has one member per user: past the 2000-node cap.
du=$(jq -r '[.principals[] | select(.sid | endswith("-513"))][0].principal_id' "$INS_DOC")
members=$(jq --arg g "$du" '[.edges[] | select(.target == $g and .edge_type == "MemberOf")] | length' "$INS_DOC")
iget "$INS_PATH/graph/subgraph?center=$du&depth=1"
expect_status 200 "subgraph of Domain Users ($members members)"
check "the Domain Users subgraph is cut at 2000 nodes" "2000 true" \
	"$(jq -r '"\(.nodes | length) \(.truncated)"' <<<"$RESP_BODY")"
check "no node twice when cut" 2000 "$(jq '[.nodes[].data.id] | unique | length' <<<"$RESP_BODY")"
iget "$INS_PATH/graph/subgraph?center=$du&depth=3"
expect_json '"\(.nodes | length <= 2000) \(.truncated)"' "true true" "depth 3 stays within 2000 nodes"

iget "$INS_PATH/graph/subgraph?center=no-such-node"
expect_envelope 404 not_found_error "subgraph of an unknown centre"
iget "$INS_PATH/graph/subgraph?center=$center&depth=4"
expect_json '.errors[0] | "\(.loc | join(".")) \(.type)"' "query.depth less_than_equal" "depth 4 is refused"
iget "$INS_PATH/graph/subgraph?center=$center&depth=0"
expect_json '.errors[0] | "\(.loc | join(".")) \(.type)"' "query.depth greater_than_equal" "depth 0 is refused"
iget "$INS_PATH/graph/subgraph"
expect_envelope 422 validation_error "subgraph without a centre"
expect_json '.errors[0].loc | join(".")' "query.center" "the missing centre is named"
