#!/usr/bin/env bash
# POST /trajectories refusals: every bad field answers 422 with its loc (all at once),
# mode agent says no agent runtime exists, unknown fields are forbidden, manifest_id is
# required; an unknown or foreign manifest answers 404, a manifest job still running 422,
# a project_id other than the manifest's 422.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "trajv-$RANDOM$RANDOM")
other=$(af_workspace "trajw-$RANDOM$RANDOM")

post_json "$base/manifests" "$AF_EDITOR" '{"preset":"small","seed":2}'
mjob=$(jq -r .id <<<"$RESP_BODY")
af_wait_job "$base" "$mjob" 60
mid=$(jq -r .resource_id <<<"$RESP_BODY")

bad() { # BODY LOCS-JSON TYPES-JSON WHAT
	post_json "$base/trajectories" "$AF_EDITOR" "$1"
	expect_envelope 422 validation_error "$4: 422"
	expect_json '[.errors[].loc[1]] | tojson' "$2" "$4: loc"
	[ -n "$3" ] && expect_json '[.errors[].type] | tojson' "$3" "$4: type"
}
m='"manifest_id":"'$mid'"'
bad "{$m,\"count\":0}" '["count"]' '["greater_than_equal"]' "count 0"
bad "{$m,\"count\":101}" '["count"]' '["less_than_equal"]' "count 101"
bad "{$m,\"count\":\"3\"}" '["count"]' '["int_type"]' "count as a string"
bad "{$m,\"max_steps\":1001}" '["max_steps"]' '["less_than_equal"]' "max_steps 1001"
bad "{$m,\"threads\":17}" '["threads"]' '["less_than_equal"]' "threads 17"
bad "{$m,\"seed\":1.5}" '["seed"]' '["int_type"]' "seed 1.5"
bad "{$m,\"seed\":99999999999999999999}" '["seed"]' '["int_type"]' "seed past 64 bits"
bad "{$m,\"strategy\":\"best\"}" '["strategy"]' '["enum"]' "strategy best"
bad "{$m,\"mode\":\"metasploit\"}" '["mode"]' '["enum"]' "mode metasploit"
bad "{$m,\"only_successful\":\"yes\"}" '["only_successful"]' '["bool_type"]' "only_successful a string"
bad "{$m,\"goal\":\"\"}" '["goal"]' '["string_too_short"]' "empty goal"
bad "{$m,\"name\":\"\"}" '["name"]' '' "empty name"
bad "{$m,\"project_id\":\"not-a-uuid\"}" '["project_id"]' '' "project_id not a UUID"
bad "{$m,\"colour\":\"blue\"}" '["colour"]' '["extra_forbidden"]' "an unknown field"
bad '{"count":2}' '["manifest_id"]' '["missing"]' "manifest_id missing"
bad '{"manifest_id":"xyz"}' '["manifest_id"]' '["uuid_parsing"]' "manifest_id not a UUID"
bad "{$m,\"count\":0,\"strategy\":\"x\",\"max_steps\":0}" '["count","max_steps","strategy"]' '' \
	"every failing field at once"
post_json "$base/trajectories" "$AF_EDITOR" "{$m,\"mode\":\"agent\"}"
expect_envelope 422 validation_error "mode agent: 422"
expect_json '.errors[0].msg | test("no agent runtime")' true "mode agent: the message says no agent runtime exists here"
post_json "$base/trajectories" "$AF_EDITOR" 'not json'
expect_envelope 400 invalid_error "a body that is not JSON"

post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41"}'
expect_envelope 404 not_found_error "an unknown manifest"
post_json "$other/trajectories" "$AF_EDITOR" "{$m}"
expect_envelope 404 not_found_error "a manifest of another workspace"
post_json "$base/trajectories" "$AF_EDITOR" "{$m,\"project_id\":\"0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41\"}"
expect_envelope 422 validation_error "a project_id other than the manifest's"
expect_json '.errors[0].loc | tojson' '["body","project_id"]'

# A manifest job held queued (no generator): its id is not a completed manifest yet.
af_conf generator /bin/true
post_json "$base/manifests" "$AF_EDITOR" '{"preset":"small"}'
pending=$(jq -r .id <<<"$RESP_BODY")
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$pending'"}'
expect_envelope 422 validation_error "a manifest job not completed: 422"
expect_json '.errors[0].loc | tojson' '["body","manifest_id"]'
call POST "$base/jobs/$pending/cancel" "$AF_EDITOR"
