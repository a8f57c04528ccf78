#!/usr/bin/env bash
# The overview counts what the document holds (nodes and edges by type, per domain, hosts
# per subnet) and carries its attack paths; the command vocabulary answers for kali and c2
# with the fields of api.md, and covers the access-granting edge types of the world.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inspect-fixture.bash"
inspect_fixture

iget "$INS_PATH/graph/overview"
expect_status 200 "GET graph/overview"
ov=$RESP_BODY
check "overview: edges by type" \
	"$(jq -cS '.edges | group_by(.edge_type) | map({(.[0].edge_type): length}) | add' "$INS_DOC")" \
	"$(jq -cS .edges_by_type <<<"$ov")"
check "overview: nodes by type" \
	"$(jq -cS '([.domains[] | "domain"] + [.ous[] | "ou"] + [.gpos[] | "gpo"] + [.subnets[] | "subnet"]
		+ [.principals[].principal_type] + [.hosts[] | "host"]) | group_by(.) | map({(.[0]): length}) | add' "$INS_DOC")" \
	"$(jq -cS .nodes_by_type <<<"$ov")"
check "overview: total nodes and edges" \
	"$(jq -c '[(.domains + .ous + .gpos + .subnets + .principals + .hosts | length), (.edges | length)]' "$INS_DOC")" \
	"$(jq -c '[.nodes, .edges]' <<<"$ov")"
check "overview: hosts per subnet" \
	"$(jq -cS '[.subnets[].subnet_id as $s | {($s): ([.hosts[] | select(.subnet == $s)] | length)}] | add' "$INS_DOC")" \
	"$(jq -cS '[.subnets[] | {(.id): .hosts}] | add' <<<"$ov")"
check "overview: principals per domain" \
	"$(jq -cS '.principals | group_by(.domain) | map({(.[0].domain): length}) | add' "$INS_DOC")" \
	"$(jq -cS '[.domains[] | {(.domain): ([.nodes_by_type | to_entries[]
		| select(.key | IN("user", "service_account", "computer", "group")) | .value] | add)}] | add' <<<"$ov")"
check "overview: the document's attack paths" "$(jq -cS .attack_paths "$INS_DOC")" "$(jq -cS .attack_paths <<<"$ov")"
iget "$INS_PATH/graph/overview"
check "overview: the same answer twice" "$ov" "$RESP_BODY"

for mode in kali c2; do
	iget "$INS_PATH/commands?mode=$mode"
	expect_status 200 "GET commands?mode=$mode"
	expect_json '[.[] | (keys - ["name","pattern","description","usage","examples","events","mode","technique","edge_types","precondition"]) | length] | add' \
		0 "$mode: every command has the api.md fields (and its edge types) only"
	expect_json '[.[] | select(.name == null or .pattern == null or .usage == null or (.examples | length) == 0)] | length' \
		0 "$mode: no command lacks name, pattern, usage or an example"
	expect_json '[.[].name] | length == (unique | length)' true "$mode: names are unique"
	expect_json "[.[] | select(.mode != \"$mode\")] | length" 0 "$mode: only $mode commands"
	# Every access-granting edge type present in this world has a command.
	missing=$(jq -r --argjson cmds "$RESP_BODY" '[.edges[].edge_type] | unique
		| map(select(IN("MemberOf", "Contains", "TrustedBy", "CanReach") | not))
		| map(select(. as $t | [$cmds[].edge_types[]] | index($t) | not)) | join(" ")' "$INS_DOC")
	check "$mode: every access-granting edge type of the world has a command" "" "$missing"
done
iget "$INS_PATH/commands"
expect_json '[.[].mode] | unique | join(" ")' kali "commands default to kali"
expect_json '[.[] | select(.name == "kerberoast")][0].precondition' spns "kerberoast applies to SPN accounts"
expect_json '[.[] | select(.name == "pass-the-hash")][0].edge_types | join(" ")' AdminTo "pass-the-hash walks AdminTo"
iget "$INS_PATH/commands?mode=agent"
expect_envelope 422 validation_error "commands?mode=agent"
expect_json '.errors[0].loc | join(".")' query.mode "the mode is named"
