#!/usr/bin/env bash
# DELETE /manifests/{id}: admin only (editor and viewer → 403), 204 without a body, then
# GET, the document and a second DELETE → 404; the job that made it stays.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "delete-$RANDOM$RANDOM")

post_json "$base/manifests" "$AF_EDITOR" '{"name":"to delete","seed":5}'
job=$(jq -r .id <<<"$RESP_BODY")
if ! af_wait_job "$base" "$job" 120 || [ "$AF_JOB_STATUS" != completed ]; then
	not_ok "a manifest job completes (to delete its manifest)" completed "$AF_JOB_STATUS"
	exit 1
fi
mid=$(jq -r .resource_id <<<"$RESP_BODY")

call DELETE "$base/manifests/$mid" "$AF_VIEWER"
expect_envelope 403 forbidden_error "a viewer cannot delete"
call DELETE "$base/manifests/$mid" "$AF_EDITOR"
expect_envelope 403 forbidden_error "an editor cannot delete"
call DELETE "/api/v1/org/$AF_ORG/ws/other/worlds/manifests/$mid" "$AF_OUTSIDER"
expect_envelope 404 not_found_error "an admin of another workspace cannot see it"
call GET "$base/manifests/$mid" "$AF_VIEWER"
expect_status 200 "still there after the refused deletes"

call DELETE "$base/manifests/$mid" "$AF_ADMIN"
expect_status 204 "an admin deletes: 204"
check "204 has no body" 0 "$(stat -c %s "$RESP_BODY_FILE")"
expect_no_header Content-Type "204 has no Content-Type"

call GET "$base/manifests/$mid" "$AF_VIEWER"
expect_envelope 404 not_found_error "GET after DELETE"
call GET "$base/manifests/$mid/document" "$AF_VIEWER"
expect_envelope 404 not_found_error "the document after DELETE"
call DELETE "$base/manifests/$mid" "$AF_ADMIN"
expect_envelope 404 not_found_error "DELETE twice"
call GET "$base/manifests" "$AF_VIEWER"
expect_json "[.items[] | select(.id == \"$mid\")] | length" 0 "the list no longer holds it"
expect_json .total 0 "the list's total drops"
call GET "$base/jobs/$job" "$AF_VIEWER"
expect_json '"\(.status) \(.resource_id)"' "completed $mid" "the job stays, completed, naming its manifest"
call DELETE "$base/manifests/0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41" "$AF_ADMIN"
expect_envelope 404 not_found_error "DELETE an unknown manifest"
call DELETE "$base/manifests/nope" "$AF_ADMIN"
expect_envelope 422 validation_error "DELETE with a malformed id"
