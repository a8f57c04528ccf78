#!/usr/bin/env bash
# The seed declares WorldJobResponse.result an object (not nullable, unlike the fields it
# marks "Any of ... null"): a job that has no result yet must still answer an object.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "result-$RANDOM$RANDOM")
af_conf generator /bin/true
post_json "$base/manifests" "$AF_EDITOR" '{"name":"no result yet"}'
job=$(jq -r .id <<<"$RESP_BODY")
expect_json '.result | type' object "a queued job's result is an object (the seed's type)"
call POST "$base/jobs/$job/cancel" "$AF_EDITOR"
expect_json '.result | type' object "a cancelled job's result is an object"
call GET "$base/jobs?page_size=1" "$AF_VIEWER"
expect_json '.items[0].result | type' object "in the list too"
