#!/usr/bin/env bash
# Principal search: known names are found by any case of a substring of sam, UPN, display
# name or e-mail; total equals the document's count of matches; principal_type narrows it;
# pages are stable (page 2 of size 5 continues page 1, and a repeat gives the same page);
# without q the pages walk the principals in document order; 422 for bad parameters.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inspect-fixture.bash"
inspect_fixture

# want Q [TYPE]: the document's matching principal ids, in order.
want() {
	jq -r --arg q "$(tr '[:upper:]' '[:lower:]' <<<"$1")" --arg t "${2:-}" '.principals[]
		| select($t == "" or .principal_type == $t)
		| select([.sam, .upn, .display_name, .email] | map(select(. != null) | ascii_downcase)
			| any(contains($q)))
		| .principal_id' "$INS_DOC"
}
# got QUERY: every page (size 100) of the search, ids in order.
got() {
	local page=1 n
	while :; do
		iget "$INS_PATH/principals?$1&page=$page&page_size=100"
		[ "$RESP_STATUS" = 200 ] || { echo "status $RESP_STATUS"; return; }
		jq -r '.items[].principal_id' <<<"$RESP_BODY"
		n=$(jq '.items | length' <<<"$RESP_BODY")
		[ "$n" -eq 100 ] || return 0
		page=$((page + 1))
	done
}
urlq() { jq -rn --arg v "$1" '$v | @uri'; }

user=$(jq -c '[.principals[] | select(.principal_type == "user" and .builtin == false and .email != null)][7]' "$INS_DOC")
sam=$(jq -r .sam <<<"$user")
upper=$(tr '[:lower:]' '[:upper:]' <<<"$sam")
iget "$INS_PATH/principals?q=$(urlq "$upper")"
expect_status 200 "search by the upper-cased sam $upper"
check "the user $sam is found whatever the case" yes \
	"$(jq -r --arg id "$(jq -r .principal_id <<<"$user")" 'if any(.items[]; .principal_id == $id) then "yes" else "no" end' <<<"$RESP_BODY")"
expect_json '"\(.page) \(.page_size)"' "1 20" "page and page_size default to 1 and 20"

for q in "$(jq -r '.display_name' <<<"$user" | cut -c2-6)" "$(jq -r '.email | split("@")[1]' <<<"$user")" \
	"Admins" "svc" "$(jq -r '.upn' <<<"$user" | cut -d@ -f1 | rev | cut -c1-3 | rev)"; do
	w=$(want "$q")
	g=$(got "q=$(urlq "$q")")
	check "q=$q: every page equals the document's $(wc -l <<<"$w" | tr -d ' ') matches in order" \
		"$(md5sum <<<"$w")" "$(md5sum <<<"$g")"
	iget "$INS_PATH/principals?q=$(urlq "$q")&page_size=1"
	expect_json .total "$(grep -c . <<<"$w")" "q=$q: total"
done

for t in group service_account computer user; do
	w=$(want "a" "$t")
	g=$(got "q=A&principal_type=$t")
	check "q=A&principal_type=$t equals the document's $t matches" "$(md5sum <<<"$w")" "$(md5sum <<<"$g")"
done
w=$(jq -r '.principals[] | select(.principal_type == "computer") | .principal_id' "$INS_DOC")
check "principal_type=computer without q lists every computer in order" "$(md5sum <<<"$w")" \
	"$(got "principal_type=computer" | md5sum)"
iget "$INS_PATH/principals?page=3&page_size=7"
expect_json '[.items[].principal_id] | join(" ")' \
	"$(jq -r '[.principals[14:21][].principal_id] | join(" ")' "$INS_DOC")" "without q, page 3 of size 7 is principals 15 to 21"
expect_json .total "$(jq '.principals | length' "$INS_DOC")" "without q, total is every principal"

iget "$INS_PATH/principals?q=e&page=1&page_size=5"; p1=$(jq -c '[.items[].principal_id]' <<<"$RESP_BODY")
iget "$INS_PATH/principals?q=e&page=2&page_size=5"; p2=$(jq -c '[.items[].principal_id]' <<<"$RESP_BODY")
iget "$INS_PATH/principals?q=e&page=1&page_size=10"; both=$(jq -c '[.items[].principal_id]' <<<"$RESP_BODY")
check "pages 1 and 2 of size 5 are page 1 of size 10" "$both" "$(jq -cn --argjson a "$p1" --argjson b "$p2" '$a + $b')"
iget "$INS_PATH/principals?q=e&page=2&page_size=5"
check "the same page twice is the same" "$p2" "$(jq -c '[.items[].principal_id]' <<<"$RESP_BODY")"
iget "$INS_PATH/principals?q=%25"
expect_json .total "$(want "%" | grep -c .)" "q=% is a literal percent sign, not a wildcard"
iget "$INS_PATH/principals?q=zz-no-such-name-zz"
expect_json '"\(.items | length) \(.total)"' "0 0" "no match: empty page, total 0"

iget "$INS_PATH/principals?principal_type=host&page_size=101&page=0"
expect_envelope 422 validation_error
expect_json '[.errors[] | "\(.loc | join(".")) \(.type)"] | join(", ")' \
	"query.principal_type enum, query.page greater_than_equal, query.page_size less_than_equal" \
	"principal_type, page and page_size are checked together"
iget "$INS_PATH/principals?q=$(printf 'x%.0s' $(seq 1 201))"
expect_json '.errors[0] | "\(.loc | join(".")) \(.type)"' "query.q string_too_long" "q longer than 200 is refused"
# A broken escape is an encoding error, not a length one, wherever it sits.
for q in 'a%00b' 'a%zz' 'abc%4' "$(printf 'x%.0s' $(seq 1 201))%0"; do
	iget "$INS_PATH/principals?q=$q"
	expect_envelope 422 validation_error
	expect_json '.errors[0] | "\(.loc | join(".")) \(.type) \(.msg)"' \
		"query.q value_error Input should be correctly percent-encoded (a '%' followed by two hex digits, never %00)" \
		"q=${q:0:12}: the bad percent-encoding is named"
done
