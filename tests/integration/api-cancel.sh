#!/usr/bin/env bash
# POST /jobs/{id}/cancel for each status: queued → cancelled at once (cancel_requested_at =
# completed_at); cancelled → 200 unchanged; running → cancel requested, then cancelled within
# seconds; completed → 409; unknown, other workspace → 404; not a UUID → 422; viewer → 403.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "cancel-$RANDOM$RANDOM")
TS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$'

# --- queued: the generator held back --------------------------------------------------------
af_conf generator /bin/true
post_json "$base/manifests" "$AF_EDITOR" '{"name":"to cancel"}'
job=$(jq -r .id <<<"$RESP_BODY")
expect_json .status queued "the job is queued"

call POST "$base/jobs/$job/cancel" "$AF_VIEWER"
expect_envelope 403 forbidden_error "a viewer cannot cancel"

call POST "$base/jobs/$job/cancel" "$AF_EDITOR"
expect_status 200 "cancel a queued job: 200"
expect_json .status cancelled "queued → cancelled at once"
expect_json '.cancel_requested_at != null and .cancel_requested_at == .completed_at' true \
	"cancel_requested_at = completed_at"
expect_json '.completed_at | test("'"${TS//\\/\\\\}"'")' true "completed_at is RFC 3339 UTC with microseconds"
expect_json .started_at null "a job cancelled while queued never started"
expect_json '[.resource_id, .error] | tojson' '[null,null]' "no resource, no error"
cancelled=$RESP_BODY

sleep 1
call POST "$base/jobs/$job/cancel" "$AF_EDITOR"
expect_status 200 "cancel a cancelled job: 200"
check "cancel a cancelled job: unchanged, field for field" "$cancelled" "$RESP_BODY"
call GET "$base/jobs/$job" "$AF_VIEWER"
check "GET after the cancels: the same job" "$cancelled" "$RESP_BODY"

call POST "$base/jobs/0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41/cancel" "$AF_EDITOR"
expect_envelope 404 not_found_error "cancel an unknown job"
call POST "$base/jobs/not-a-uuid/cancel" "$AF_EDITOR"
expect_envelope 422 validation_error "cancel with a malformed id"
expect_json '.errors[0].loc | tojson' '["path","job_id"]'
call POST "/api/v1/org/$AF_ORG/ws/other/worlds/jobs/$job/cancel" "$AF_OUTSIDER"
expect_envelope 404 not_found_error "cancel a job of another workspace (through one's own)"

# --- completed and running: the real generator ----------------------------------------------
af_conf_restore
post_json "$base/manifests" "$AF_EDITOR" '{"name":"to finish","seed":1}'
done_job=$(jq -r .id <<<"$RESP_BODY")
if af_wait_job "$base" "$done_job" 120 && [ "$AF_JOB_STATUS" = completed ]; then
	before=$RESP_BODY
	call POST "$base/jobs/$done_job/cancel" "$AF_EDITOR"
	expect_envelope 409 conflict_error "cancel a completed job"
	call GET "$base/jobs/$done_job" "$AF_VIEWER"
	check "a completed job stays as it was" "$before" "$RESP_BODY"
else
	not_ok "a job completes (to cancel it afterwards)" completed "$AF_JOB_STATUS within 120 s"
fi

# The largest world takes long enough to be caught running.
post_json "$base/manifests" "$AF_EDITOR" '{"name":"long","num_users":50000,"num_hosts":10000,"seed":3}'
big=$(jq -r .id <<<"$RESP_BODY")
status=queued
for ((i = 0; i < 100; i++)); do
	call GET "$base/jobs/$big" "$AF_VIEWER"
	status=$(jq -r .status <<<"$RESP_BODY")
	[ "$status" = queued ] || break
	sleep 0.1
done
if [ "$status" = running ]; then
	call POST "$base/jobs/$big/cancel" "$AF_EDITOR"
	expect_status 200 "cancel a running job: 200"
	expect_json '.cancel_requested_at != null' true "running: cancel_requested_at is set"
	expect_json '.status == "running" or .status == "cancelled"' true "running: still running until the generator stops"
	t0=$(date +%s%N)
	if af_wait_job "$base" "$big" 15; then
		ms=$((($(date +%s%N) - t0) / 1000000))
		check "the running job ends cancelled" cancelled "$AF_JOB_STATUS"
		[ $ms -le 3000 ] && ok "the generator stopped within about a second (${ms} ms)" ||
			not_ok "the generator stops within about a second" "<= 3000 ms (1 s + polling)" "${ms} ms"
		expect_json '.completed_at != null and .resource_id == null' true "cancelled: completed_at set, no manifest"
	else
		not_ok "the running job ends within 15 s of the cancel" cancelled "$AF_JOB_STATUS"
	fi
else
	skip "cancel a running job" "the job was $status when polled (not caught running)"
	call POST "$base/jobs/$big/cancel" "$AF_EDITOR"
fi
