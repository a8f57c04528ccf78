#!/usr/bin/env bash
# POST /trajectories end to end: 202 and a trajectory_generation job (resource_type by
# count), the job completes with result {kept, tried, trajectory_ids}, the reads (list with
# filters, one with steps, a manifest's), offline == service for the same world and
# parameters (from the flags and from the downloaded document), every stored trajectory
# replayed by the checker (worlds-gen trajectories --check), the defaults, Idempotency-Key
# replay, and the manifest's deletion taking its trajectories.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "traj-$RANDOM$RANDOM")

af_manifest "$base" '{"name":"traj world","preset":"small","seed":5}' 60
mid=$AF_MID

body='{"manifest_id":"'$mid'","count":3,"strategy":"smart-random","max_steps":40,"seed":7,"name":"batch"}'
post_json "$base/trajectories" "$AF_EDITOR" "$body" -H 'Idempotency-Key: traj-batch-1'
expect_status 202 "POST /trajectories: 202"
expect_json '[.kind, .status, .resource_type] | join(" ")' "trajectory_generation queued trajectory_batch" \
	"a queued trajectory_generation job, resource_type trajectory_batch"
expect_header_match Location "/jobs/[0-9a-f-]{36}\$" "Location names the job"
job=$(jq -r .id <<<"$RESP_BODY")
post_json "$base/trajectories" "$AF_EDITOR" "$body" -H 'Idempotency-Key: traj-batch-1'
expect_json .id "$job" "the same Idempotency-Key and body: the same job"
post_json "$base/trajectories" "$AF_VIEWER" "$body"
expect_envelope 403 forbidden_error "a viewer cannot create"

af_wait_job "$base" "$job" 60
check "the batch job completes" completed "$AF_JOB_STATUS"
expect_json '[.progress, .result.count, .result.kept, .result.tried, (.result.trajectory_ids | length), .result.cancelled] | tojson' \
	'[1,3,3,3,3,false]' "result: count, kept, tried, ids; progress 1"
expect_json '.resource_id == .result.batch_id' true "resource_id is the batch"
ids=$(jq -r '.result.trajectory_ids[]' <<<"$RESP_BODY")

call GET "$base/trajectories?manifest_id=$mid&page_size=2" "$AF_VIEWER"
expect_json '[.total, (.items | length), .page_size] | tojson' '[3,2,2]' "list by manifest: total 3, paged"
expect_json '[.items[] | has("steps")] | any' false "list items come without steps"
call GET "$base/manifests/$mid/trajectories" "$AF_VIEWER"
expect_json '[.total, ([.items[].sequence_index] | tojson)] | tojson' '[3,"[0,1,2]"]' \
	"a manifest's trajectories, in sequence order"
call GET "$base/trajectories?created_by=$AF_ADMIN_ID" "$AF_VIEWER"
expect_json .total 0 "created_by filter: another user's, none"
call GET "$base/trajectories?created_by=$AF_EDITOR_ID" "$AF_VIEWER"
expect_json .total 3 "created_by filter: the editor's three"
call GET "$base/manifests/$mid" "$AF_VIEWER"
project=$(jq -r .project_id <<<"$RESP_BODY")
call GET "$base/trajectories?project_id=$project&page=2&page_size=2" "$AF_VIEWER"
expect_json '[.total, (.items | length), .page] | tojson' '[3,1,2]' "project_id filter, second page"
call GET "$base/trajectories?project_id=0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41" "$AF_VIEWER"
expect_json .total 0 "another project_id: none"
call GET "$base/trajectories?manifest_id=nope" "$AF_VIEWER"
expect_envelope 422 validation_error "a malformed manifest_id filter"
expect_json '.errors[0].loc | tojson' '["query","manifest_id"]'

# Offline: the same world (preset small, seed 5) and parameters give the same steps.
"$WORLDS_GEN" trajectories --preset small --seed 5 --count 3 --strategy smart-random \
	--max-steps 40 --traj-seed 7 > "$T_TMP/offline.json"
i=0
for id in $ids; do
	call GET "$base/trajectories/$id" "$AF_VIEWER"
	[ $i -eq 0 ] && expect_json '[.id, .manifest_id, .source_job_id, .name, .goal, .mode] | join(" ")' \
		"$id $mid $job batch Domain Admins kali" "GET one: ids, name, defaults"
	got=$(jq -cS '{sequence_index, success, termination_reason, step_count, foothold, steps}' <<<"$RESP_BODY")
	want=$(jq -cS ".trajectories[$i] | {sequence_index, success, termination_reason, step_count, foothold, steps}" "$T_TMP/offline.json")
	check "trajectory $i: the service's steps are worlds-gen's" "$want" "$got"
	i=$((i + 1))
done
# Offline from the downloaded document (worlds-gen trajectories --manifest): the same again.
call GET "$base/manifests/$mid/document" "$AF_VIEWER"
cp "$RESP_BODY_FILE" "$T_TMP/doc.json"
"$WORLDS_GEN" trajectories --manifest "$T_TMP/doc.json" --count 3 --strategy smart-random \
	--max-steps 40 --traj-seed 7 > "$T_TMP/from-doc.json"
check "worlds-gen trajectories --manifest DOCUMENT: the same trajectories" \
	"$(jq -cS .trajectories "$T_TMP/offline.json")" "$(jq -cS .trajectories "$T_TMP/from-doc.json")"
# The replay checker over each stored trajectory: every step possible when it was taken.
for id in $ids; do
	call GET "$base/trajectories/$id" "$AF_VIEWER"
	cp "$RESP_BODY_FILE" "$T_TMP/stored.json"
	out=$("$WORLDS_GEN" trajectories --manifest "$T_TMP/doc.json" --check "$T_TMP/stored.json" 2>&1)
	check "stored trajectory $id replays against the world" "0 violations" "$(grep -o '[0-9]* violations' <<<"$out")"
done
call GET "$base/trajectories/$(jq -r '.trajectory_ids[0]' <<<"$(af_sql "SELECT result FROM jobs WHERE id = '$job'")")" "$AF_OUTSIDER"
expect_envelope 404 not_found_error "an outsider cannot read it"
call GET "$base/trajectories/0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41" "$AF_VIEWER"
expect_envelope 404 not_found_error "an unknown trajectory"

# count 1: resource_type trajectory, resource_id the trajectory itself; greedy reaches the goal.
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'","strategy":"greedy","mode":"c2"}'
expect_json .resource_type trajectory "count 1: resource_type trajectory"
one=$(jq -r .id <<<"$RESP_BODY")
af_wait_job "$base" "$one" 60
check "the single job completes" completed "$AF_JOB_STATUS"
tid=$(jq -r .resource_id <<<"$RESP_BODY")
call GET "$base/trajectories/$tid" "$AF_VIEWER"
expect_json '[.success, .termination_reason, .strategy, .mode, .seed, .step_count == (.steps | length)] | tojson' \
	'[true,"goal_reached","greedy","c2",42,true]' "greedy c2 reaches Domain Admins; seed defaults to 42"
cp "$RESP_BODY_FILE" "$T_TMP/stored.json"
out=$("$WORLDS_GEN" trajectories --manifest "$T_TMP/doc.json" --check "$T_TMP/stored.json" 2>&1)
check "the stored c2 trajectory replays against the world" "0 violations" "$(grep -o '[0-9]* violations' <<<"$out")"
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'"}'
def=$(jq -r .id <<<"$RESP_BODY")
af_wait_job "$base" "$def" 60
call GET "$base/trajectories/$(jq -r .resource_id <<<"$RESP_BODY")" "$AF_VIEWER"
expect_json '[.goal, .strategy, .mode, .seed, .sequence_index, (.step_count <= 100)] | tojson' \
	'["Domain Admins","random","kali",42,0,true]' "only manifest_id: every default of api.md"

# only_successful: the kept ones all reach the goal; the result says how many were tried.
post_json "$base/trajectories" "$AF_EDITOR" '{"manifest_id":"'$mid'","count":3,"max_steps":3,"only_successful":true,"seed":11}'
os=$(jq -r .id <<<"$RESP_BODY")
af_wait_job "$base" "$os" 60
check "the only_successful job completes" completed "$AF_JOB_STATUS"
expect_json '(.result.kept == (.result.trajectory_ids | length)) and .result.tried >= .result.kept and .result.tried <= 30' \
	true "result: kept, and tried (at most 10 per requested)"
"$WORLDS_GEN" trajectories --preset small --seed 5 --count 3 --max-steps 3 --only-successful --traj-seed 11 > "$T_TMP/os.json"
expect_json '[.result.kept, .result.tried] | tojson' "$(jq -c '[.kept, .tried]' "$T_TMP/os.json")" \
	"kept and tried as worlds-gen counts them"
for id in $(jq -r '.result.trajectory_ids[]' <<<"$RESP_BODY"); do
	call GET "$base/trajectories/$id" "$AF_VIEWER"
	expect_json .success true "kept trajectory $id reached the goal"
done

call DELETE "$base/manifests/$mid" "$AF_ADMIN"
expect_status 204 "delete the manifest"
call GET "$base/trajectories/$tid" "$AF_VIEWER"
expect_envelope 404 not_found_error "its trajectories went with it"
