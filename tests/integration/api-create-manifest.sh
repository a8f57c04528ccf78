#!/usr/bin/env bash
# POST /manifests end to end: the 202 answer field by field (api.md, the seed), Location,
# GET /jobs/{id}, the job completing, GET /manifests/{id} field by field, the document
# (byte-identical to worlds-gen offline, ETag, If-None-Match → 304) and the manifest list.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture

TS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$'
UUID='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
JOB_KEYS='["cancel_requested_at","completed_at","created_at","created_by","created_by_user","error","id","kind","organization_id","progress","project_id","resource_id","resource_type","result","started_at","status","workspace_id"]'
MANIFEST_KEYS='["artifact_refs","created_at","created_by","created_by_user","generator_version","id","manifest_kind","name","organization_id","preset","project_id","seed","sha256","size_bytes","source_job_id","stats","workspace_id"]'
EDITOR_USER="{\"email\":\"editor-$AF_TAG@example.com\",\"full_name\":\"API editor\",\"id\":\"$AF_EDITOR_ID\",\"username\":\"editor-$AF_TAG\"}"

# Seconds between an RFC 3339 timestamp and now (absolute).
age() { echo $(( $(date +%s) - $(date -d "$1" +%s) )) | tr -d -; }

before=$(date +%s)
post_json "$AF_BASE/manifests" "$AF_EDITOR" '{"name":"  lab world  ","preset":"small","seed":42,"domains":["Corp.Local"]}'
expect_status 202 "POST /manifests answers 202"
expect_header Content-Type "$JSON_CT"
expect_header Cache-Control no-store "an authenticated answer is never stored"
expect_header X-Content-Type-Options nosniff
job=$(jq -r .id <<<"$RESP_BODY" 2>/dev/null)
expect_header Location "$AF_BASE/jobs/$job" "Location is the job's URL path"
got=$(jq -c keys <<<"$RESP_BODY" 2>/dev/null); check "the job has every field of WorldJobResponse, no other" "$(jq -c . <<<"$JOB_KEYS")" "$got"
[[ $job =~ $UUID ]] && ok "id is a lower-case UUID" || not_ok "id is a lower-case UUID" "uuid" "$job"
expect_json .organization_id "$AF_ORG_ID"
expect_json .workspace_id "$AF_WS_ID"
expect_json .project_id "$AF_PROJECT_ID" "project_id defaults to the workspace's default project"
expect_json .kind manifest_generation
expect_json .status queued "a new job is queued"
expect_json .progress 0
expect_json .resource_type manifest "resource_type is set from creation"
expect_json .resource_id null
expect_json .error null
expect_json .created_by "$AF_EDITOR_ID"
expect_json ".created_by_user == $EDITOR_USER" true "created_by_user is {id, email, username, full_name}"
created=$(jq -r .created_at <<<"$RESP_BODY")
[[ $created =~ $TS ]] && ok "created_at is RFC 3339 UTC with microseconds" ||
	not_ok "created_at is RFC 3339 UTC with microseconds" "YYYY-MM-DDTHH:MM:SS.ffffffZ" "$created"
a=$(age "$created" 2>/dev/null || echo 9999)
[ "$a" -le 5 ] && ok "created_at is now" || not_ok "created_at is now" "within 5 s of $(date -u -d @"$before" +%FT%TZ)" "$created"
expect_json '.started_at' null "started_at is null while queued"
expect_json '.completed_at' null
expect_json '.cancel_requested_at' null

call GET "$AF_BASE/jobs/$job" "$AF_VIEWER"
expect_status 200 "GET /jobs/{id} answers 200 (viewer)"
expect_json .id "$job"
got=$(jq -c keys <<<"$RESP_BODY" 2>/dev/null); check "GET /jobs/{id}: every field" "$(jq -c . <<<"$JOB_KEYS")" "$got"
expect_json .created_at "$created" "GET /jobs/{id}: created_at as answered by POST"

if ! af_wait_job "$AF_BASE" "$job" 120; then
	not_ok "the job reaches a terminal status within 120 s" "completed" "$AF_JOB_STATUS"
	exit 1
fi
check "the job completes" completed "$AF_JOB_STATUS"
[ "$AF_JOB_STATUS" = completed ] || exit 1
expect_json .progress 1 "progress is 1 when completed"
mid=$(jq -r .resource_id <<<"$RESP_BODY")
[[ $mid =~ $UUID ]] && ok "resource_id is the manifest's UUID" || not_ok "resource_id is a UUID" uuid "$mid"
expect_json .result.manifest_id "$mid" "result.manifest_id is resource_id"
expect_json .result.seed 42 "result.seed is the request's seed"
expect_json '.result.sha256 | test("^[0-9a-f]{64}$")' true "result.sha256 is hex sha256"
expect_json '.result.size_bytes > 0' true "result.size_bytes is positive"
expect_json '.result.stats | type' object "result.stats is an object"
expect_json .error null "no error on a completed job"
expect_json '[.started_at, .completed_at] | map(test("'"${TS//\\/\\\\}"'")) | all' true \
	"started_at and completed_at are RFC 3339 UTC with microseconds"
expect_json '.created_at <= .started_at and .started_at <= .completed_at' true \
	"created_at <= started_at <= completed_at"
expect_json .cancel_requested_at null
sha=$(jq -r .result.sha256 <<<"$RESP_BODY")
size=$(jq -r .result.size_bytes <<<"$RESP_BODY")

call GET "$AF_BASE/manifests/$mid" "$AF_VIEWER"
expect_status 200 "GET /manifests/{id} answers 200"
expect_header Cache-Control no-store "GET /manifests/{id}: no-store (no ETag there)"
got=$(jq -c keys <<<"$RESP_BODY" 2>/dev/null); check "the manifest has every field" "$(jq -c . <<<"$MANIFEST_KEYS")" "$got"
expect_json .id "$mid"
expect_json .organization_id "$AF_ORG_ID"
expect_json .workspace_id "$AF_WS_ID"
expect_json .project_id "$AF_PROJECT_ID"
expect_json .source_job_id "$job"
expect_json .name "lab world" "name is trimmed"
expect_json .manifest_kind active_directory
expect_json .preset small
expect_json .seed 42
expect_json '.generator_version | type == "string" and length > 0' true "generator_version is a string"
expect_json .sha256 "$sha" "sha256 is the job result's"
expect_json .size_bytes "$size" "size_bytes is the job result's"
expect_json '.stats | ["domains","network_id","total_edges","total_hosts","total_principals"] - keys == []' true "stats has network_id, total_hosts, total_principals, total_edges, domains"
expect_json '.stats.domains | tojson' '["corp.local"]' "domains are case-folded to lower case"
expect_json .artifact_refs.document "$AF_BASE/manifests/$mid/document" "artifact_refs.document is the download path"
expect_json .created_by "$AF_EDITOR_ID"
expect_json ".created_by_user == $EDITOR_USER" true "the manifest's created_by_user is the editor"
expect_json '.created_at | test("'"${TS//\\/\\\\}"'")' true "created_at is RFC 3339 UTC with microseconds"

call GET "$AF_BASE/manifests/$mid/document" "$AF_VIEWER"
expect_status 200 "GET /manifests/{id}/document answers 200"
expect_header Content-Type "$JSON_CT"
expect_header ETag "\"$sha\"" "ETag is the quoted sha256"
expect_header Cache-Control "private, no-cache" "the document may be kept by the client, revalidated"
check "the document's sha256 is the manifest's" "$sha" "$(sha256sum <"$RESP_BODY_FILE" | cut -d' ' -f1)"
check "the document's size is size_bytes" "$size" "$(stat -c %s "$RESP_BODY_FILE")"
cp "$RESP_BODY_FILE" "$T_TMP/doc.json"
if "$WORLDS_GEN" --preset small --seed 42 --domain corp.local -o "$T_TMP/offline.json" 2>"$T_TMP/gen.err"; then
	if cmp -s "$T_TMP/doc.json" "$T_TMP/offline.json"; then
		ok "the document is byte-identical to worlds-gen --preset small --seed 42 --domain corp.local"
	else
		not_ok "the document is byte-identical to worlds-gen offline" "sha256 $sha" \
			"sha256 $(sha256sum <"$T_TMP/offline.json" | cut -d' ' -f1)"
	fi
else
	not_ok "worlds-gen offline" "exit 0" "$(head -c 200 "$T_TMP/gen.err")"
fi

call GET "$AF_BASE/manifests/$mid/document" "$AF_VIEWER" -H "If-None-Match: \"$sha\""
expect_status 304 "If-None-Match with the ETag answers 304"
check "304 has no body" 0 "$(stat -c %s "$RESP_BODY_FILE")"
expect_header ETag "\"$sha\"" "304 carries the ETag"
expect_header Cache-Control "private, no-cache" "304 keeps the document's Cache-Control"
call GET "$AF_BASE/manifests/$mid/document" "$AF_VIEWER" -H "If-None-Match: \"0000\", W/\"$sha\""
expect_status 304 "If-None-Match list with a weak match answers 304"
call GET "$AF_BASE/manifests/$mid/document" "$AF_VIEWER" -H 'If-None-Match: "0000"'
expect_status 200 "If-None-Match that does not match answers 200"

call GET "$AF_BASE/manifests?page_size=100" "$AF_VIEWER"
expect_status 200 "GET /manifests answers 200"
expect_json "[.items[] | select(.id == \"$mid\")] | length" 1 "the list holds the new manifest"
expect_json "[.items[] | select(.id == \"$mid\")][0] | keys | tojson" "$(jq -c . <<<"$MANIFEST_KEYS")" \
	"list items have every field"
expect_json '[.page, .page_size] | tojson' '[1,100]'
expect_json '.total >= 1' true "total counts the manifest"

call GET "$AF_BASE/jobs?page_size=5" "$AF_VIEWER"
expect_status 200 "GET /jobs answers 200"
expect_json "[.items[] | select(.id == \"$job\")][0].status" completed "the list shows the job completed"
