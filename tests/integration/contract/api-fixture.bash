# tests/integration/contract/api-fixture.bash: the tenants, users and tokens the api-*.sh
# tests share, made once per stack and cached in $STACK_DIR/api-fixture (not a test itself).
# Source after lib.sh, then call api_fixture. It sets
#   AF_ORG, AF_WS (slugs), AF_BASE (/api/v1/org/$AF_ORG/ws/$AF_WS/worlds)
#   AF_ORG_ID, AF_WS_ID, AF_PROJECT_ID (the workspace's default project)
#   AF_ADMIN, AF_EDITOR, AF_VIEWER   tokens of members of $AF_WS with that role
#   AF_OUTSIDER                      a token of an admin of another workspace of $AF_ORG
#   AF_DISABLED                      a token of a disabled editor of $AF_WS
#   AF_ADMIN_ID, AF_EDITOR_ID, ...   their user ids; AF_KEY the signing key (secret file)
# and defines:
#   call METHOD PATH TOKEN [curl args]   lib.sh's api with the bearer token ("" for none),
#                                        waiting out nginx's per-client rate limit, and
#                                        recording the answer for contract-answers.sh
#   post_json PATH TOKEN BODY [curl args]  call POST with Content-Type: application/json
#   af_workspace SLUG            a new workspace of $AF_ORG with the three members; prints
#                                its base path
#   af_wait_job BASE ID SECONDS  polls the job until it is terminal (AF_JOB_STATUS)
#   af_conf KEY VALUE            sets a worlds.conf key for the rest of the test (restored
#                                and reloaded at exit)
#   af_sql SQL                   one value from the stack's database
#   af_cancel_later BASE FILE    at exit, cancel the job ids listed in FILE (one a line)
# Every failure to build the fixture is reported as not ok and ends the test.

AF_DIR=$STACK_DIR/api-fixture
CONTRACT_RECORDS=$STACK_DIR/contract-records
mkdir -p "$CONTRACT_RECORDS"
AF_SEQ=0

af_ctl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@"; }
af_sql() { psql "$WORLDS_DATABASE_URL" -XtAq -v ON_ERROR_STOP=1 -c "$1"; }

af_fail() {
	not_ok "api fixture: $1" "${2:-success}" "${3:-failed}"
	exit 1
}

# Writes the last answer as a record for the contract test: method, path, status, headers
# and the raw body.
af_record() {
	local method=$1 path=${2%%\?*} file
	AF_SEQ=$((AF_SEQ + 1))
	file=$CONTRACT_RECORDS/$T_NAME-$(printf '%04d' "$AF_SEQ").json
	# Large documents add nothing to the check of their shape.
	[ "$(stat -c %s "$RESP_BODY_FILE")" -le 1048576 ] || return 0
	jq -n --arg test "$T_NAME" --arg method "$method" --arg path "$path" \
		--argjson status "${RESP_STATUS:-0}" --rawfile body "$RESP_BODY_FILE" \
		--arg headers "$RESP_HEADERS" '
		($headers | split("\n") | map(select(test("^[^: ]+:")) |
			capture("^(?<k>[^:]+):[ \t]*(?<v>.*)$") | {key: (.k | ascii_downcase), value: .v})
			| from_entries) as $h
		| {test: $test, method: $method, path: $path, status: $status,
		   content_type: ($h["content-type"] // ""), headers: $h, body: $body}' \
		>"$file" 2>/dev/null || rm -f "$file"
}

call() {
	local method=$1 path=$2 token=$3 i
	shift 3
	local auth=()
	[ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		api "$method" "$path" "${auth[@]}" "$@"
		# nginx's rate limit (its own detail), not the application's quota.
		[ "$RESP_STATUS" = 429 ] && [[ $RESP_BODY == *'Too many requests'* ]] || break
		sleep 1
	done
	[ "$RESP_STATUS" != 000 ] && af_record "$method" "$path"
	return 0
}

post_json() {
	local path=$1 token=$2 body=$3
	shift 3
	call POST "$path" "$token" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}

af_wait_job() {
	local base=$1 id=$2 limit=$(($3 * 5)) i
	AF_JOB_STATUS=unknown
	for ((i = 0; i < limit; i++)); do
		call GET "$base/jobs/$id" "$AF_VIEWER"
		AF_JOB_STATUS=$(jq -r .status <<<"$RESP_BODY" 2>/dev/null)
		case $AF_JOB_STATUS in completed | failed | cancelled) return 0 ;; esac
		sleep 0.2
	done
	return 1
}

# af_manifest BASE BODY SECONDS: posts a manifest job, waits for it and sets AF_MID to the
# completed manifest's id; otherwise reports not ok and ends the test.
af_manifest() {
	post_json "$1/manifests" "$AF_EDITOR" "$2"
	local job
	job=$(jq -r .id <<<"$RESP_BODY")
	af_wait_job "$1" "$job" "$3" && [ "$AF_JOB_STATUS" = completed ] ||
		{ not_ok "the manifest job completes" completed "$AF_JOB_STATUS"; exit 1; }
	AF_MID=$(jq -r .resource_id <<<"$RESP_BODY")
}

af_conf() {
	if [ ! -f "$T_TMP/worlds.conf.orig" ]; then
		cp -p "$WORLDS_CONFIG" "$T_TMP/worlds.conf.orig"
		on_exit af_conf_restore
	fi
	sed -i "/^$1[ =]/d" "$WORLDS_CONFIG"
	echo "$1 = $2" >>"$WORLDS_CONFIG"
	stack_ctl reload
	# The master replaces its workers after rereading the file.
	sleep 1
}
af_conf_restore() {
	cp -p "$T_TMP/worlds.conf.orig" "$WORLDS_CONFIG"
	"$STACK" reload --dir "$STACK_DIR" >/dev/null 2>&1
	sleep 1
}

af_cancel_later() { on_exit af_cancel_file "$1" "$2"; }
af_cancel_file() {
	local id
	while read -r id; do
		[ -n "$id" ] && call POST "$1/jobs/$id/cancel" "$AF_EDITOR"
	done <"$2"
}

af_workspace() {
	local slug=$1 u
	af_ctl workspace add "$AF_ORG" "$slug" --name "$slug" >/dev/null 2>&1 ||
		af_fail "workspace add $slug"
	for u in admin editor viewer; do
		af_ctl member add --user "$u-$AF_TAG@example.com" --org "$AF_ORG" --workspace "$slug" \
			--role "$u" >/dev/null 2>&1 || af_fail "member add $u to $slug"
	done
	echo "/api/v1/org/$AF_ORG/ws/$slug/worlds"
}

af_build() {
	local tag u role ws
	mkdir -p "$AF_DIR"
	tag=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
	AF_TAG=$tag
	AF_ORG=api-$tag
	AF_WS=lab
	af_ctl keygen --dir "$AF_DIR" --name key >/dev/null 2>&1 || af_fail "keygen"
	cp "$AF_DIR/key.public" "$WORLDS_KEYS_DIR/api-$tag.public" || af_fail "install the key"
	stack_ctl reload || af_fail "reload"
	af_ctl org add "$AF_ORG" --name "API $tag" >/dev/null 2>&1 || af_fail "org add"
	af_ctl workspace add "$AF_ORG" "$AF_WS" --name Lab >/dev/null 2>&1 || af_fail "workspace add"
	af_ctl workspace add "$AF_ORG" other --name Other >/dev/null 2>&1 || af_fail "workspace add"
	for u in admin editor viewer outsider disabled; do
		af_ctl user add --email "$u-$tag@example.com" --username "$u-$tag" \
			--full-name "API $u" >"$AF_DIR/$u.id" 2>/dev/null || af_fail "user add $u"
	done
	for u in admin editor viewer outsider disabled; do
		role=$u ws=$AF_WS
		[ $u = outsider ] && role=admin ws=other
		[ $u = disabled ] && role=editor
		af_ctl member add --user "$u-$tag@example.com" --org "$AF_ORG" --workspace "$ws" \
			--role "$role" >/dev/null 2>&1 || af_fail "member add $u"
		af_ctl token issue --user "$u-$tag@example.com" --ttl 86400 --key "$AF_DIR/key.secret" \
			>"$AF_DIR/$u.token" 2>/dev/null || af_fail "token issue $u"
	done
	af_ctl user disable "disabled-$tag@example.com" >/dev/null 2>&1 || af_fail "user disable"
	cat >"$AF_DIR/env" <<EOF
AF_TAG=$tag
AF_ORG=$AF_ORG
AF_WS=$AF_WS
AF_ORG_ID=$(af_sql "SELECT id FROM organizations WHERE slug = '$AF_ORG'")
AF_WS_ID=$(af_sql "SELECT w.id FROM workspaces w JOIN organizations o ON o.id = w.organization_id WHERE o.slug = '$AF_ORG' AND w.slug = '$AF_WS'")
AF_PROJECT_ID=$(af_sql "SELECT w.default_project_id FROM workspaces w JOIN organizations o ON o.id = w.organization_id WHERE o.slug = '$AF_ORG' AND w.slug = '$AF_WS'")
EOF
	# The reload reaches the workers within a moment: wait until the key is known.
	local tok
	tok=$(cat "$AF_DIR/viewer.token")
	wait_until 10 bash -c "curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $tok' \
		'$BASE_URL/api/v1/org/$AF_ORG/ws/$AF_WS/worlds/jobs' | grep -qx 200" ||
		af_fail "the new key is accepted" 200 "not within 10 s"
	touch "$AF_DIR/done"
}

api_fixture() {
	local u U
	(
		flock 8
		[ -f "$AF_DIR/done" ] || af_build
	) 8>"$STACK_DIR/api-fixture.lock" || exit 1
	# shellcheck disable=SC1091
	. "$AF_DIR/env"
	AF_KEY=$AF_DIR/key.secret
	AF_BASE=/api/v1/org/$AF_ORG/ws/$AF_WS/worlds
	for u in admin editor viewer outsider disabled; do
		U=$(tr '[:lower:]' '[:upper:]' <<<"$u")
		printf -v "AF_$U" '%s' "$(cat "$AF_DIR/$u.token")"
		printf -v "AF_${U}_ID" '%s' "$(cat "$AF_DIR/$u.id")"
	done
	[ -n "$AF_ORG_ID" ] && [ -n "$AF_WS_ID" ] && [ -n "$AF_PROJECT_ID" ] ||
		af_fail "tenant ids from the database"
}
