#!/usr/bin/env bash
# Idempotency-Key on POST /manifests: the same key and body answer the first job again (202,
# same id, nothing created); the same key with another body answers 409; keys belong to
# their workspace; no key means a new job every time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "idem-$RANDOM$RANDOM")
other=$(af_workspace "idem2-$RANDOM$RANDOM")
af_conf generator /bin/true
key="retry-$RANDOM-$RANDOM"
body='{"name":"idempotent","preset":"small","seed":7}'

total() { call GET "$1/jobs" "$AF_VIEWER"; jq -r .total <<<"$RESP_BODY"; }

post_json "$base/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $key"
expect_status 202 "first request with a key"
first=$(jq -r .id <<<"$RESP_BODY")
first_body=$RESP_BODY
post_json "$base/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $key"
expect_status 202 "same key, same body: 202 again"
expect_json .id "$first" "same key, same body: the first job's id"
check "same key, same body: the same job, field for field" "$first_body" "$RESP_BODY"
expect_header Location "$base/jobs/$first" "the replay's Location is the first job's"
check "the replay created nothing" 1 "$(total "$base")"

post_json "$base/manifests" "$AF_ADMIN" "$body" -H "Idempotency-Key: $key"
expect_json .id "$first" "same key and body from another member of the workspace: the first job"

post_json "$base/manifests" "$AF_EDITOR" '{"name":"idempotent","preset":"small","seed":8}' -H "Idempotency-Key: $key"
expect_envelope 409 conflict_error "same key, another body"
post_json "$base/manifests" "$AF_EDITOR" '{"name":"idempotent", "preset":"small","seed":7}' -H "Idempotency-Key: $key"
expect_envelope 409 conflict_error "same key, the same fields in other bytes (the body is compared as sent)"
check "the conflicts created nothing" 1 "$(total "$base")"

post_json "$base/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $key-2"
expect_status 202 "another key, same body"
second=$(jq -r .id <<<"$RESP_BODY")
[ "$second" != "$first" ] && ok "another key: a new job" || not_ok "another key: a new job" "an id other than $first" "$second"

post_json "$other/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $key"
expect_status 202 "the same key in another workspace"
[ "$(jq -r .id <<<"$RESP_BODY")" != "$first" ] && ok "keys belong to their workspace: a new job" ||
	not_ok "keys belong to their workspace" "a new job" "$(jq -r .id <<<"$RESP_BODY")"
oid=$(jq -r .id <<<"$RESP_BODY")

post_json "$base/manifests" "$AF_EDITOR" "$body"
a=$(jq -r .id <<<"$RESP_BODY")
post_json "$base/manifests" "$AF_EDITOR" "$body"
b=$(jq -r .id <<<"$RESP_BODY")
[ "$a" != "$b" ] && ok "without a key, the same body twice makes two jobs" || not_ok "no key: two jobs" "two ids" "$a $b"
check "four jobs in the workspace" 4 "$(total "$base")"

# A replay of a key whose job was cancelled since still answers that job, as it is now.
call POST "$base/jobs/$first/cancel" "$AF_EDITOR"
post_json "$base/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $key"
expect_json '"\(.id) \(.status)"' "$first cancelled" "a replay answers the first job as it is now"

long=$(head -c 255 /dev/zero | tr '\0' '~')
post_json "$base/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $long"
expect_status 202 "a key of 255 visible characters is accepted"
c=$(jq -r .id <<<"$RESP_BODY")
post_json "$base/manifests" "$AF_EDITOR" "$body" -H "Idempotency-Key: $long"
expect_json .id "$c" "a 255-character key replays"

for id in "$second" "$a" "$b" "$c"; do call POST "$base/jobs/$id/cancel" "$AF_EDITOR"; done
call POST "$other/jobs/$oid/cancel" "$AF_EDITOR"
