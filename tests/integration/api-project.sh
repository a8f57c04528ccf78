#!/usr/bin/env bash
# POST /manifests and project_id (sql/014): a project named in the body is the workspace's
# (its default, one it used before, or a new one, which becomes its own); another
# workspace's project answers 422 value_error at ["body","project_id"] and stores nothing,
# as POST /trajectories refuses a project other than its manifest's (traj-validation.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
mine=ws-$RANDOM$RANDOM theirs=wt-$RANDOM$RANDOM
base=$(af_workspace "$mine")
other=$(af_workspace "$theirs")
# A generator that never claims: the jobs stay queued (and are cancelled at the end).
af_conf generator /bin/true
: >"$T_TMP/mine" && af_cancel_later "$base" "$T_TMP/mine"
: >"$T_TMP/theirs" && af_cancel_later "$other" "$T_TMP/theirs"
default_of() {
	af_sql "SELECT w.default_project_id FROM workspaces w JOIN organizations o ON o.id = w.organization_id WHERE o.slug = '$AF_ORG' AND w.slug = '$1'"
}
mine_default=$(default_of "$mine")
P=$(cat /proc/sys/kernel/random/uuid) Q=$(cat /proc/sys/kernel/random/uuid)

good() { # BASE FILE PROJECT WHAT
	post_json "$1/manifests" "$AF_EDITOR" "{\"preset\":\"small\",\"project_id\":\"$3\"}"
	expect_status 202 "$4: 202"
	expect_json .project_id "$(tr 'A-F' 'a-f' <<<"$3")" "$4: stored under that project"
	jq -r .id <<<"$RESP_BODY" >>"$2"
}
refused() { # BASE PROJECT WHAT [HEADER...]
	local b=$1 p=$2 what=$3
	shift 3
	post_json "$b/manifests" "$AF_EDITOR" "{\"preset\":\"small\",\"project_id\":\"$p\"}" "$@"
	expect_envelope 422 validation_error "$what"
	expect_json '.errors | map("\(.loc | join(".")) \(.type)") | join(", ")' \
		"body.project_id value_error" "$what: named at body.project_id"
	expect_json '.errors[0].msg | test("belongs to another workspace")' true "$what: says why"
}

good "$base" "$T_TMP/mine" "$P" "a new project"
good "$base" "$T_TMP/mine" "$P" "the same project again"
good "$base" "$T_TMP/mine" "$mine_default" "the workspace's default project, named"
refused "$other" "$P" "another workspace's project"
refused "$other" "$(tr 'a-f' 'A-F' <<<"$P")" "another workspace's project, upper-case"
refused "$other" "$mine_default" "another workspace's default project"
refused "$other" "$P" "another workspace's project, with an Idempotency-Key" \
	-H "Idempotency-Key: project-$RANDOM$RANDOM"
good "$other" "$T_TMP/theirs" "$Q" "a new project in the other workspace"
refused "$base" "$Q" "that project, named back in the first workspace"

ws_id() { af_sql "SELECT w.id FROM workspaces w JOIN organizations o ON o.id = w.organization_id WHERE o.slug = '$AF_ORG' AND w.slug = '$1'"; }
check "nothing was stored under a refused project" "0 0" \
	"$(af_sql "SELECT count(*) FROM jobs WHERE workspace_id = '$(ws_id "$theirs")' AND project_id IN ('$P', '$mine_default')") $(af_sql "SELECT count(*) FROM jobs WHERE workspace_id = '$(ws_id "$mine")' AND project_id = '$Q'")"
check "each project has one workspace" "$(ws_id "$mine") $(ws_id "$theirs")" \
	"$(af_sql "SELECT workspace_id FROM projects WHERE id = '$P'") $(af_sql "SELECT workspace_id FROM projects WHERE id = '$Q'")"
check "a new workspace's default project is its own at once" t \
	"$(af_sql "SELECT p.workspace_id = w.id FROM workspaces w JOIN projects p ON p.id = w.default_project_id WHERE w.id = '$(ws_id "$theirs")'")"
call GET "$other/jobs?project_id=$P" "$AF_VIEWER"
expect_json .total 0 "the other workspace lists no job of the refused project"
