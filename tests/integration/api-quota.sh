#!/usr/bin/env bash
# The workspace's active-job quota (max_active_jobs_per_workspace, default 100): with the
# generator held back so that jobs stay queued, 100 creations succeed, the 101st answers
# 429 usage_limit_exceeded_error with Retry-After, a cancelled job frees a slot, an
# idempotent replay is still answered, and other workspaces are not affected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "quota-$RANDOM$RANDOM")
other=$(af_workspace "quota2-$RANDOM$RANDOM")
af_conf generator /bin/true

ids=()
accepted=0
for i in $(seq 1 100); do
	if [ "$i" = 1 ]; then
		post_json "$base/manifests" "$AF_EDITOR" '{"name":"q"}' -H "Idempotency-Key: quota-first"
	else
		post_json "$base/manifests" "$AF_EDITOR" '{"name":"q"}'
	fi
	[ "$RESP_STATUS" = 202 ] && accepted=$((accepted + 1)) && ids+=("$(jq -r .id <<<"$RESP_BODY")")
done
af_cancel_later "$base" "$T_TMP/ids"
printf '%s\n' "${ids[@]}" >"$T_TMP/ids"
check "100 active jobs are accepted" 100 "$accepted"

post_json "$base/manifests" "$AF_EDITOR" '{"name":"q"}'
expect_envelope 429 usage_limit_exceeded_error "the 101st active job"
expect_header_match Retry-After '^[0-9]+$' "the quota's 429 carries Retry-After (seconds)"
expect_json '.detail | test("active jobs")' true "detail says why"

post_json "$base/manifests" "$AF_EDITOR" '{"name":"q"}' -H "Idempotency-Key: quota-first"
expect_status 202 "a replayed Idempotency-Key is answered even when the quota is full"
expect_json .id "${ids[0]}" "the replay is the first job"

post_json "$other/manifests" "$AF_EDITOR" '{"name":"q"}'
expect_status 202 "another workspace of the same org is not affected"
call POST "$other/jobs/$(jq -r .id <<<"$RESP_BODY")/cancel" "$AF_EDITOR"

call GET "$base/jobs?status=queued&page_size=1" "$AF_VIEWER"
expect_json .total 100 "the workspace holds 100 queued jobs"

call POST "$base/jobs/${ids[1]}/cancel" "$AF_EDITOR"
expect_json .status cancelled "cancel one"
post_json "$base/manifests" "$AF_EDITOR" '{"name":"q"}'
expect_status 202 "a cancelled job frees a slot"
ids+=("$(jq -r .id <<<"$RESP_BODY")")
printf '%s\n' "${ids[@]}" >"$T_TMP/ids"
post_json "$base/manifests" "$AF_EDITOR" '{"name":"q"}'
expect_envelope 429 usage_limit_exceeded_error "full again"
