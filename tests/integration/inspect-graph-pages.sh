#!/usr/bin/env bash
# Graph pages of a world from a fixed seed: every node page and every edge page,
# concatenated, equal the document's nodes and edges exactly (same order, no duplicate,
# none missing); total is right; node_type / edge_type filters select exactly their kind;
# out-of-range limit, offset and unknown types answer 422 with loc ["query", name].
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inspect-fixture.bash"
inspect_fixture

# The document's graph, in the node order of the model: domains, OUs, GPOs, subnets,
# principals, hosts (id and type), and its edges in Cytoscape form.
jq -c '[.domains[] | [.domain_id, "domain"]] + [.ous[] | [.ou_id, "ou"]]
	+ [.gpos[] | [.gpo_id, "gpo"]] + [.subnets[] | [.subnet_id, "subnet"]]
	+ [.principals[] | [.principal_id, .principal_type]] + [.hosts[] | [.host_id, "host"]]
	| .[]' "$INS_DOC" >"$T_TMP/want-nodes"
jq -c '.edges[] | {data: {id: .edge_id, source, target, edge_type, severity}}' "$INS_DOC" \
	>"$T_TMP/want-edges"
nn=$(wc -l <"$T_TMP/want-nodes")
ne=$(wc -l <"$T_TMP/want-edges")

# pages KIND LIMIT [FILTER]: every page into $T_TMP/got-KIND; totals into $T_TMP/totals.
pages() {
	local kind=$1 limit=$2 filter=${3:-} offset=0 n
	: >"$T_TMP/got-$kind"
	: >"$T_TMP/totals"
	while :; do
		iget "$INS_PATH/graph/$kind?limit=$limit&offset=$offset$filter"
		if [ "$RESP_STATUS" != 200 ]; then
			not_ok "GET graph/$kind offset $offset" 200 "$RESP_STATUS $(resp_excerpt)"
			return 1
		fi
		jq -c ".${kind}[]" <<<"$RESP_BODY" >>"$T_TMP/got-$kind"
		jq -r '"\(.total) \(.limit) \(.offset)"' <<<"$RESP_BODY" >>"$T_TMP/totals"
		n=$(jq ".${kind} | length" <<<"$RESP_BODY")
		[ "$n" -eq "$limit" ] || break
		offset=$((offset + limit))
	done
}

pages nodes 700
jq -c '[.data.id, .data.node_type]' "$T_TMP/got-nodes" >"$T_TMP/got-node-ids"
check "node pages (limit 700) concatenated equal the document's $nn nodes in order" \
	"$(md5sum <"$T_TMP/want-nodes")" "$(md5sum <"$T_TMP/got-node-ids")"
check "no duplicate node" 0 "$(sort "$T_TMP/got-node-ids" | uniq -d | wc -l)"
check "every node page says total $nn" "$nn" "$(cut -d' ' -f1 "$T_TMP/totals" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "a node is {data: {id, node_type, label, properties}}" '["id","label","node_type","properties"]' \
	"$(head -1 "$T_TMP/got-nodes" | jq -c '.data | keys')"

pages edges 3000
check "edge pages (limit 3000) concatenated equal the document's $ne edges in order" \
	"$(md5sum <"$T_TMP/want-edges")" "$(jq -c . "$T_TMP/got-edges" | md5sum)"
check "every edge page says total $ne" "$ne" "$(cut -d' ' -f1 "$T_TMP/totals" | sort -u | tr '\n' ' ' | sed 's/ $//')"

iget "$INS_PATH/graph/nodes"
expect_json '"\(.limit) \(.offset) \(.nodes | length)"' "1000 0 $([ "$nn" -lt 1000 ] && echo "$nn" || echo 1000)" \
	"graph/nodes defaults to limit 1000, offset 0"
iget "$INS_PATH/graph/edges"
expect_json '"\(.limit) \(.offset) \(.edges | length)"' "5000 0 $([ "$ne" -lt 5000 ] && echo "$ne" || echo 5000)" \
	"graph/edges defaults to limit 5000, offset 0"
iget "$INS_PATH/graph/edges?limit=20000"
expect_json '.edges | length' "$([ "$ne" -lt 20000 ] && echo "$ne" || echo 20000)" "graph/edges takes limit 20000"
iget "$INS_PATH/graph/nodes?offset=$nn"
expect_json '"\(.nodes | length) \(.total)"' "0 $nn" "a page past the end is empty and keeps total"

# Filters: each type's pages are exactly the document's elements of that type, in order.
for t in user group host subnet; do
	pages nodes 400 "&node_type=$t"
	check "node_type=$t pages equal the document's $t nodes" \
		"$(jq -c --arg t "$t" 'select(.[1] == $t)' "$T_TMP/want-nodes" | md5sum)" \
		"$(jq -c '[.data.id, .data.node_type]' "$T_TMP/got-nodes" | md5sum)"
	check "node_type=$t total" "$(jq -c --arg t "$t" 'select(.[1] == $t)' "$T_TMP/want-nodes" | wc -l)" \
		"$(head -1 "$T_TMP/totals" | cut -d' ' -f1)"
done
for t in MemberOf AdminTo HasSession Contains; do
	pages edges 1500 "&edge_type=$t"
	check "edge_type=$t pages equal the document's $t edges" \
		"$(jq -c --arg t "$t" 'select(.data.edge_type == $t)' "$T_TMP/want-edges" | md5sum)" \
		"$(jq -c . "$T_TMP/got-edges" | md5sum)"
	check "edge_type=$t total" "$(jq -c --arg t "$t" 'select(.data.edge_type == $t)' "$T_TMP/want-edges" | wc -l)" \
		"$(head -1 "$T_TMP/totals" | cut -d' ' -f1)"
done
iget "$INS_PATH/graph/edges?edge_type=ReadLAPSPassword&limit=1&offset=1"
expect_json '"\(.edges[0].data.id) \(.offset)"' \
	"$(jq -r '[.edges[] | select(.edge_type == "ReadLAPSPassword")][1].edge_id // "null"' "$INS_DOC") 1" \
	"a filtered page's offset counts within the type"

# 422: every failing parameter listed, loc ["query", name].
iget "$INS_PATH/graph/nodes?limit=0&offset=-1&node_type=router"
expect_envelope 422 validation_error
expect_json '[.errors[].loc | join(".")] | join(" ")' "query.limit query.offset query.node_type" \
	"graph/nodes lists limit, offset and node_type"
iget "$INS_PATH/graph/nodes?limit=5001"
expect_json '.errors[0] | "\(.loc | join(".")) \(.type)"' "query.limit less_than_equal" "node limit 5001 is refused"
iget "$INS_PATH/graph/edges?limit=20001&edge_type=memberof"
expect_json '[.errors[] | "\(.loc | join(".")) \(.type)"] | join(", ")' \
	"query.limit less_than_equal, query.edge_type enum" "edge limit 20001 and a wrong-case edge type are refused"
iget "$INS_PATH/graph/edges?offset=abc"
expect_json '.errors[0] | "\(.loc | join(".")) \(.type)"' "query.offset int_parsing" "a non-integer offset is refused"

iget "${INS_PATH%/*}/00000000-0000-4000-8000-000000000000/graph/nodes"
expect_envelope 404 not_found_error "graph/nodes of an unknown manifest"
