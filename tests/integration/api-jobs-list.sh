#!/usr/bin/env bash
# GET /jobs and GET /manifests paging and filters: order (created_at desc, then id desc),
# pages that cover every job once, a page past the end, page/page_size bounds, each filter
# and filters combined, bad filters listed together.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "list-$RANDOM$RANDOM")
P2=5b1e8f0a-3c2d-4e6f-8a9b-0c1d2e3f4a5b
# A generator that never claims: the jobs stay queued, so their statuses are ours to set.
af_conf generator /bin/true

ids=()
for i in 1 2 3 4 5; do
	post_json "$base/manifests" "$AF_EDITOR" "{\"name\": \"e$i\"}"
	ids+=("$(jq -r .id <<<"$RESP_BODY")")
done
for i in 1 2; do
	post_json "$base/manifests" "$AF_ADMIN" "{\"name\": \"a$i\", \"project_id\": \"$P2\"}"
	ids+=("$(jq -r .id <<<"$RESP_BODY")")
done
check "seven jobs created" 7 "$(printf '%s\n' "${ids[@]}" | grep -c -E '^[0-9a-f-]{36}$')"
call POST "$base/jobs/${ids[6]}/cancel" "$AF_EDITOR"
expect_json .status cancelled "one of the admin's jobs cancelled"
printf '%s\n' "${ids[@]}" >"$T_TMP/ids"
af_cancel_later "$base" "$T_TMP/ids"

call GET "$base/jobs" "$AF_VIEWER"
expect_status 200 "GET /jobs (defaults)"
expect_json '[.page, .page_size, .total, (.items | length)] | tojson' '[1,20,7,7]' "defaults: page 1, page_size 20, total 7"
expect_json '[.items[] | [.created_at, .id]] as $k | $k == ($k | sort | reverse)' true \
	"newest first: created_at desc, then id desc"
expect_json '.items | map(.id) | sort | tojson' "$(printf '%s\n' "${ids[@]}" | jq -R . | jq -sc 'sort')" \
	"the list is exactly the workspace's jobs"
all=$(jq -c '[.items[].id]' <<<"$RESP_BODY")

pages="[]"
for p in 1 2 3 4; do
	call GET "$base/jobs?page=$p&page_size=2" "$AF_VIEWER"
	expect_json '[.page, .page_size, .total] | tojson' "[$p,2,7]" "page $p of size 2: page, page_size, total"
	pages=$(jq -c --argjson a "$pages" '$a + [.items[].id]' <<<"$RESP_BODY")
done
check "pages of 2 cover every job once, in order" "$all" "$pages"
call GET "$base/jobs?page=5&page_size=2" "$AF_VIEWER"
expect_status 200 "a page past the end answers 200"
expect_json '[(.items | length), .total, .page] | tojson' '[0,7,5]' "a page past the end: no items, the real total"
call GET "$base/jobs?page=1000000" "$AF_VIEWER"
expect_json '[(.items | length), .total] | tojson' '[0,7]' "page 1000000 (the largest) answers empty"
call GET "$base/jobs?page_size=100" "$AF_VIEWER"
expect_json '[.page_size, (.items | length)] | tojson' '[100,7]' "page_size 100 is allowed"
call GET "$base/jobs?page_size=1" "$AF_VIEWER"
expect_json '[.page_size, (.items | length), .items[0].id] | tojson' "[1,1,$(jq -c '.[0]' <<<"$all")]" "page_size 1: the newest job"

qbad() {
	local q=$1 loc=$2 etype=$3 what=$4
	call GET "$base/jobs?$q" "$AF_VIEWER"
	local got
	got=$(jq -r --argjson loc "$loc" --arg et "$etype" \
		'"\(.code) \(.type) \([.errors[]? | select(.loc == $loc and .type == $et)] | length)"' <<<"$RESP_BODY" 2>/dev/null)
	check "$what: ?$q → 422, loc $loc $etype" "422 422 validation_error 1" "$RESP_STATUS $got"
}
qbad "page_size=0" '["query","page_size"]' greater_than_equal "page_size 0"
qbad "page_size=101" '["query","page_size"]' less_than_equal "page_size 101"
qbad "page_size=-1" '["query","page_size"]' greater_than_equal "page_size -1"
qbad "page_size=abc" '["query","page_size"]' int_parsing "page_size not a number"
qbad "page_size=" '["query","page_size"]' int_parsing "page_size empty"
qbad "page=0" '["query","page"]' greater_than_equal "page 0"
qbad "page=1000001" '["query","page"]' less_than_equal "page past its bound"
qbad "page=1.5" '["query","page"]' int_parsing "page 1.5"
qbad "page=99999999999999999999" '["query","page"]' int_parsing "page past 64 bits"
qbad "page=%31%00" '["query","page"]' value_error "page with an encoded NUL"
qbad "status=queu%e" '["query","status"]' value_error "status with a broken escape"
qbad "project_id=%zz" '["query","project_id"]' value_error "project_id with a broken escape"
qbad "status=done" '["query","status"]' enum "unknown status"
qbad "kind=manifest" '["query","kind"]' enum "unknown kind"
qbad "project_id=abc" '["query","project_id"]' uuid_parsing "project_id not a UUID"
qbad "created_by=abc" '["query","created_by"]' uuid_parsing "created_by not a UUID"
call GET "$base/jobs?page=0&page_size=101&status=x&kind=y&project_id=z&created_by=w" "$AF_VIEWER"
expect_json '[.errors[].loc[1]] | sort | join(",")' "created_by,kind,page,page_size,project_id,status" \
	"six bad query parameters: all listed"

# count FILTER: the total for that query string.
count() {
	call GET "$base/jobs?$1" "$AF_VIEWER"
	check "?$1 → total $2" "$2 $2" "$(jq -r '"\(.total) \(.items | length)"' <<<"$RESP_BODY" 2>/dev/null)"
}
count "status=queued" 6
count "status=cancelled" 1
count "status=completed" 0
count "kind=manifest_generation" 7
count "kind=trajectory_generation" 0
count "created_by=$AF_ADMIN_ID" 2
count "created_by=$AF_EDITOR_ID" 5
count "project_id=$P2" 2
count "project_id=$AF_PROJECT_ID" 0
count "status=queued&created_by=$AF_ADMIN_ID" 1
count "status=queued&created_by=$AF_ADMIN_ID&project_id=$P2&kind=manifest_generation" 1
count "status=cancelled&created_by=$AF_EDITOR_ID" 0
call GET "$base/jobs?status=queued&page_size=2&page=3" "$AF_VIEWER"
expect_json '[.total, (.items | length)] | tojson' '[6,2]' "a filtered third page: the filtered total"
call GET "$base/jobs?status=queued&page_size=4&page=2" "$AF_VIEWER"
expect_json '[(.items | length), (.items | map(.status == "queued") | all)] | tojson' '[2,true]' \
	"a filtered second page holds the rest, all matching"

call GET "$base/manifests" "$AF_VIEWER"
expect_status 200 "GET /manifests in a workspace without manifests"
expect_json '[.items, .page, .page_size, .total] | tojson' '[[],1,20,0]' "an empty manifest list"
call GET "$base/manifests?page=9&page_size=100" "$AF_VIEWER"
expect_json '[.items, .page, .page_size, .total] | tojson' '[[],9,100,0]' "manifest page past the end"
for q in page_size=0 page_size=101 page=0 project_id=x created_by=x; do
	call GET "$base/manifests?$q" "$AF_VIEWER"
	check "GET /manifests?$q → 422 loc [query, ${q%%=*}]" "422 [\"query\",\"${q%%=*}\"]" \
		"$RESP_STATUS $(jq -c '.errors[0].loc' <<<"$RESP_BODY" 2>/dev/null)"
done
call GET "$base/manifests?created_by=$AF_EDITOR_ID&project_id=$P2&page=1&page_size=5" "$AF_VIEWER"
expect_json '[.total, .page_size] | tojson' '[0,5]' "manifest filters combined"
