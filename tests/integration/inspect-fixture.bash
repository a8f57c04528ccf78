# tests/integration/inspect-fixture.bash: the world the inspect-*.sh tests read, made once
# per stack and cached in $STACK_DIR/inspect-fixture (not a test itself: no .sh suffix).
# Source after lib.sh, then call inspect_fixture; it sets
#   INS_MID            the manifest id (a completed manifest job, fixed seed)
#   INS_PATH           /api/v1/org/ORG/ws/lab/worlds/manifests/$INS_MID
#   INS_VIEWER         a token of a viewer of that workspace
#   INS_OUTSIDER       a token of a member (admin) of another workspace of the same org
#   INS_OTHER_PATH     the same manifest under the outsider's own workspace
#   INS_DOC            the manifest document (file)
# and defines iget PATH_AND_QUERY [TOKEN]: GET through nginx that waits out a 429.
# Every failure to build the fixture is reported as not ok and ends the test.

# INS_FORM says how the world is stored (sql/012_own_tables.sql): "own" (the default; it is
# big enough for tables of its own) or "shared" (made while worlds.own_tables_rows is raised,
# so it goes to the shared tables like a small world; inspect-shared-tables.sh).
INS_FORM=${INS_FORM:-own}
case $INS_FORM in
own) INS_DIR=$STACK_DIR/inspect-fixture ;;
shared) INS_DIR=$STACK_DIR/inspect-fixture-shared ;;
*) echo "not ok - inspect fixture: INS_FORM is own or shared, not $INS_FORM"; exit 1 ;;
esac
# Big enough for several pages and a Domain Users group past the subgraph's 2000 nodes.
INS_REQUEST='{"name":"inspect fixture","preset":"small","num_users":2200,"num_hosts":80,"seed":20261128}'

# af_record: every answer of these tests is also a record for the contract check.
. "$(dirname "${BASH_SOURCE[0]}")/contract/api-fixture.bash"

ins_ctl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@"; }

iget() {
	local tok=${2:-$INS_VIEWER} i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		api GET "$1" -H "Authorization: Bearer $tok"
		[ "$RESP_STATUS" = 429 ] || break
		sleep 1
	done
	[ "$RESP_STATUS" = 000 ] || af_record GET "$1"
	return 0
}

ins_fail() {
	not_ok "inspect fixture: $1" "${2:-a completed manifest}" "${3:-$(resp_excerpt)}"
	exit 1
}

ins_run() { "$@" >/dev/null 2>&1 || ins_fail "${*:2}" "exit 0" "failed"; }

# ins_own_rows N|DEFAULT: the database's worlds.own_tables_rows for the generators started
# from now on (each job opens its own session); the default is put back at exit regardless.
ins_own_rows() {
	af_sql "DO \$\$ BEGIN EXECUTE format('ALTER DATABASE %I SET worlds.own_tables_rows TO %s',
		current_database(), '$1'); END \$\$" >/dev/null || ins_fail "ALTER DATABASE" "done" "failed"
	[ "$1" = DEFAULT ] || on_exit ins_own_rows DEFAULT
}

ins_build() {
	local org tag key viewer editor outsider job status i
	mkdir -p "$INS_DIR"
	tag=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
	org=ins-$tag
	key=$INS_DIR/key
	ins_run ins_ctl keygen --dir "$INS_DIR" --name key
	cp "$INS_DIR/key.public" "$WORLDS_KEYS_DIR/inspect-$tag.public"
	stack_ctl reload
	ins_run ins_ctl org add "$org" --name "Inspect $tag"
	ins_run ins_ctl workspace add "$org" lab --name Lab
	ins_run ins_ctl workspace add "$org" other --name Other
	for u in editor viewer outsider; do
		ins_run ins_ctl user add --email "$u-$tag@example.com" --username "$u-$tag" \
			--full-name "Inspect $u"
	done
	ins_run ins_ctl member add --user "editor-$tag@example.com" --org "$org" --workspace lab --role editor
	ins_run ins_ctl member add --user "viewer-$tag@example.com" --org "$org" --workspace lab --role viewer
	ins_run ins_ctl member add --user "outsider-$tag@example.com" --org "$org" --workspace other --role admin
	for u in editor viewer outsider; do
		ins_ctl token issue --user "$u-$tag@example.com" --ttl 86400 --key "$key.secret" \
			>"$INS_DIR/$u.token" 2>/dev/null || ins_fail "token issue" "exit 0" "failed"
	done
	editor=$(cat "$INS_DIR/editor.token")
	base=/api/v1/org/$org/ws/lab/worlds
	# The reload reaches the workers within a moment: wait until the key is known.
	wait_until 10 bash -c "curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $editor' \
		'$BASE_URL$base/jobs' | grep -qx 200" || ins_fail "the new key is accepted" "200" "not within 10 s"
	[ "$INS_FORM" = shared ] && ins_own_rows 1000000000
	api POST "$base/manifests" -H "Authorization: Bearer $editor" \
		-H 'Content-Type: application/json' -d "$INS_REQUEST"
	[ "$RESP_STATUS" = 202 ] || ins_fail "POST /manifests" "202" "$RESP_STATUS $(resp_excerpt)"
	job=$(jq -r .id <<<"$RESP_BODY")
	for ((i = 0; i < 240; i++)); do
		iget "$base/jobs/$job" "$editor"
		status=$(jq -r .status <<<"$RESP_BODY" 2>/dev/null)
		case $status in completed | failed | cancelled) break ;; esac
		sleep 0.5
	done
	[ "$status" = completed ] || ins_fail "the manifest job completes" "completed" \
		"$status $(jq -c '{error, progress}' <<<"$RESP_BODY" 2>/dev/null)"
	INS_MID=$(jq -r .resource_id <<<"$RESP_BODY")
	[ "$INS_FORM" = shared ] && ins_own_rows DEFAULT
	af_sql "SELECT to_regclass('worlds_graph.nodes_${INS_MID//-/}') IS NOT NULL" >"$INS_DIR/own"
	[ "$(cat "$INS_DIR/own")" = "$([ "$INS_FORM" = own ] && echo t || echo f)" ] ||
		ins_fail "the world is stored in $INS_FORM tables" "$INS_FORM" "the other form"
	iget "$base/manifests/$INS_MID/document" "$editor"
	[ "$RESP_STATUS" = 200 ] || ins_fail "GET the document" "200" "$RESP_STATUS"
	cp "$RESP_BODY_FILE" "$INS_DIR/document.json"
	cat >"$INS_DIR/env" <<EOF
INS_MID=$INS_MID
INS_PATH=$base/manifests/$INS_MID
INS_OTHER_PATH=/api/v1/org/$org/ws/other/worlds/manifests/$INS_MID
INS_OTHER_WS=/api/v1/org/$org/ws/other/worlds
EOF
}

inspect_fixture() {
	exec 8>"$STACK_DIR/inspect-fixture.lock"
	flock 8
	[ -s "$INS_DIR/env" ] || ins_build
	flock -u 8
	# shellcheck disable=SC1091
	. "$INS_DIR/env"
	INS_VIEWER=$(cat "$INS_DIR/viewer.token")
	INS_OUTSIDER=$(cat "$INS_DIR/outsider.token")
	INS_DOC=$INS_DIR/document.json
}
