#!/usr/bin/env bash
# Every verb of worlds(1) against the real stack, in a fresh workspace: --json prints the
# API's JSON (equal to what curl gets for the same route), the readable output shows its
# values, manifest-create --wait then manifest-download gives the bytes of offline
# worlds-gen, and the verbs that change things do (cancel, delete).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
. "$(dirname "$0")/client/lib.bash"
api_fixture
client_setup

cl whoami --json
expect_rc 0 "whoami --json"
same_json "whoami --json is GET /me" "$CL_OUT" "$(curl_json /api/v1/me)"
cl whoami
expect_out_has "email   editor-$AF_TAG@example.com" "whoami: the user's e-mail"
proj=$(af_sql "SELECT default_project_id FROM workspaces w JOIN organizations o ON o.id = w.organization_id WHERE o.slug = '$AF_ORG' AND w.slug = '$CL_WS'")
check "whoami: the workspace in use is marked, with role and default project" \
	"* $AF_ORG $CL_WS editor $proj" "$(grep '^\*' "$CL_OUT_FILE" | tr -s ' ')"

# A world, waited for; its document equals offline worlds-gen's.
cl manifest-create --name client-verbs --preset small --seed 4242 --domain verbs.example \
	--wait --poll-interval-sec 0.2 --timeout-sec 120
expect_rc 0 "manifest-create --wait: exit 0 when completed"
expect_out_has "status        completed" "manifest-create --wait prints the finished job"
job=$(sed -n 's/^job  *//p' "$CL_OUT_FILE")
mid=$(sed -n 's/^resource id  *//p' "$CL_OUT_FILE")
check "the job made a manifest" manifest "$(curl_json "$CL_BASE/jobs/$job" | jq -r .resource_type)"
"$WORLDS_GEN" --preset small --seed 4242 --domain verbs.example >"$T_TMP/offline.json"
cl manifest-download "$mid" -o "$T_TMP/dl.json"
expect_rc 0 "manifest-download -o"
if cmp -s "$T_TMP/offline.json" "$T_TMP/dl.json"; then
	ok "manifest-download: the bytes of offline worlds-gen"
else
	not_ok "manifest-download: the bytes of offline worlds-gen" "$(sha256sum <"$T_TMP/offline.json")" \
		"$(sha256sum <"$T_TMP/dl.json" 2>&1)"
fi
expect_err_has "worlds: manifest document: $(stat -c %s "$T_TMP/offline.json") bytes to $T_TMP/dl.json, sha256 $(sha256sum <"$T_TMP/offline.json" | cut -d' ' -f1) (verified)" \
	"manifest-download says what it wrote and that it was verified"
check "no temporary file is left" "" "$(ls "$T_TMP" | grep '\.part$')"
cl -q manifest-download "$mid"
cmp -s "$T_TMP/offline.json" "$CL_OUT_FILE" && [ ! -s "$CL_ERR_FILE" ] &&
	ok "manifest-download to stdout, quietly: the same bytes, nothing on stderr" ||
	not_ok "manifest-download to stdout, quietly" "the document, empty stderr" "$(head -c 200 "$CL_ERR_FILE")"

cl --json manifest-get "$mid"
same_json "manifest-get --json is GET /manifests/{id}" "$CL_OUT" "$(curl_json "$CL_BASE/manifests/$mid")"
cl manifest-get "$mid"
expect_out_has "sha256      $(sha256sum <"$T_TMP/offline.json" | cut -d' ' -f1)" "manifest-get: its sha256"
expect_out_has "domains     verbs.example" "manifest-get: its domains"
cl --json manifest-list
same_json "manifest-list --json is GET /manifests?page_size=50" "$CL_OUT" \
	"$(curl_json "$CL_BASE/manifests?page_size=50")"
cl manifest-list
check "manifest-list: a header, one row, the page line" \
	"ID NAME PRESET SEED HOSTS PRINCIPALS EDGES SIZE CREATED|$mid client-verbs small 4242|page 1 of 1, 1 in all" \
	"$(sed -n 1p "$CL_OUT_FILE" | tr -s ' ')|$(sed -n 2p "$CL_OUT_FILE" | awk '{ print $1, $2, $3, $4 }')|$(sed -n 3p "$CL_OUT_FILE")"

cl --json job-get "$job"
same_json "job-get --json is GET /jobs/{id}" "$CL_OUT" "$(curl_json "$CL_BASE/jobs/$job")"
cl job-get "$job"
expect_out_has "resource id   $mid" "job-get: what the job made"
cl job-wait "$job"
expect_rc 0 "job-wait on a completed job: exit 0"

# Trajectories over it.
cl -q trajectory-create --manifest-id "$mid" --count 2 --seed 7 --strategy greedy --max-steps 50 \
	--wait --poll-interval-sec 0.2 --timeout-sec 120
expect_rc 0 "trajectory-create --wait -q: exit 0"
batch=$CL_OUT
check "-q --wait prints the id of what the job made" "$batch" \
	"$(curl_json "$CL_BASE/jobs?kind=trajectory_generation" | jq -r '.items[0].resource_id')"
cl --json trajectory-list --manifest-id "$mid"
same_json "trajectory-list --json --manifest-id is GET /trajectories?manifest_id=&page_size=50" "$CL_OUT" \
	"$(curl_json "$CL_BASE/trajectories?manifest_id=$mid&page_size=50")"
tid=$(jq -r '.items[0].id' <<<"$CL_OUT")
cl --json trajectory-get "$tid"
same_json "trajectory-get --json is GET /trajectories/{id}" "$CL_OUT" "$(curl_json "$CL_BASE/trajectories/$tid")"
steps=$(jq '.steps | length' <<<"$CL_OUT")
cl trajectory-get "$tid"
expect_out_has "strategy    greedy" "trajectory-get: its strategy"
check "trajectory-get: one table row per step under the header" "$steps" \
	"$(sed -n '/^#  *TECHNIQUE/,$p' "$CL_OUT_FILE" | tail -n +2 | wc -l)"
cl trajectory-list
check "trajectory-list: two rows and the page line" "page 1 of 1, 2 in all" "$(tail -n 1 "$CL_OUT_FILE")"

cl --json job-list --kind manifest_generation
same_json "job-list --json --kind is GET /jobs?kind=&page_size=50" "$CL_OUT" \
	"$(curl_json "$CL_BASE/jobs?kind=manifest_generation&page_size=50")"
cl --json job-list --status completed --page-size 1 --page 2
same_json "job-list --status --page-size --page" "$CL_OUT" \
	"$(curl_json "$CL_BASE/jobs?status=completed&page=2&page_size=1")"
cl job-list
check "job-list: both jobs" "2" "$(grep -cE '^[0-9a-f-]{36}  ' "$CL_OUT_FILE")"

# Cancel: a queued job (no generator runs here now), twice, then a finished one.
af_conf generator /bin/true
cl -q manifest-create --name to-cancel
expect_rc 0 "manifest-create -q: exit 0"
queued=$CL_OUT
check "-q prints the new job's id alone" "$queued" "$(curl_json "$CL_BASE/jobs/$queued" | jq -r .id)"
cl --json job-cancel "$queued"
expect_rc 0 "job-cancel"
check "job-cancel --json: the cancelled job" cancelled "$(jq -r .status <<<"$CL_OUT")"
cl job-cancel "$queued"
expect_rc 0 "job-cancel again: unchanged, exit 0"
expect_out_has "status        cancelled" "job-cancel prints the job"
cl job-cancel "$job"
expect_rc 5 "job-cancel of a completed job: refused, exit 5"
expect_err_match "^worlds: HTTP 409 conflict_error: " "the 409 is rendered"

# Delete needs the admin role.
cl manifest-delete "$mid"
expect_rc 5 "manifest-delete as editor: exit 5"
expect_err_has "worlds: HTTP 403 forbidden_error: Your role in this workspace does not allow this" \
	"the 403 is rendered"
cl_as "$AF_ADMIN" manifest-delete "$mid"
expect_rc 0 "manifest-delete as admin"
expect_out_has "deleted manifest $mid" "manifest-delete says so"
cl manifest-get "$mid"
expect_rc 5 "manifest-get of a deleted manifest: exit 5"
expect_err_has "worlds: HTTP 404 not_found_error: Manifest not found" "the 404 is rendered"
