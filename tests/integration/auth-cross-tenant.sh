#!/usr/bin/env bash
# The cross-tenant matrix over every route of the application's route table (read from
# src/api/*.c at run time, so a new route is covered the day it is added). Organization A
# has workspaces a1 and a2, B has b1; a job and its manifest live in a1.
#   - an admin of a2 only and an admin of b1 only get 404 not_found_error on every a1 route
#     and resource (HEAD included), and on a1's resources through their own workspace:
#     never 403, so nothing about a1 leaks; a1's admin gets 404 on every a2 and b1 route;
#   - a1's viewer gets 403 forbidden_error on every write, its editor on every DELETE; the
#     roles that may are served;
#   - unknown and malformed organization or workspace slugs get 404 for a1's own admin;
#   - nothing an outsider or a refused role sent changed anything (job and manifest intact).
# Expected roles come from api.md (viewer reads, editor also creates and cancels, admin
# also deletes), not from the table's own column.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 28
NIL=00000000-0000-4000-8000-000000000000

# --- the routes --------------------------------------------------------------------------
mapfile -t ROUTES < <(grep -hoE 'HTTP_(GET|POST|PUT|PATCH|DELETE), *API_BASE *"[^"]*"' \
	"$TOP_SRCDIR"/src/api/*.c | sed -E 's/^HTTP_([A-Z]+), *API_BASE *"([^"]*)"$/\1 \2/' | sort -u |
	awk '$1 == "DELETE" { d = d $0 "\n"; next } { print } END { printf "%s", d }')
# (DELETE last: were one let through, the cells before it still test a live manifest.)
check "the route table is read from src/api/*.c" yes "$([ ${#ROUTES[@]} -ge 8 ] && echo yes ||
	echo "only ${#ROUTES[@]} routes: ${ROUTES[*]:-none}")"
for r in "POST /manifests" "GET /manifests" "GET /manifests/{}" "DELETE /manifests/{}" \
	"GET /manifests/{}/document" "GET /jobs" "GET /jobs/{}" "POST /jobs/{}/cancel"; do
	[[ " ${ROUTES[*]/%/|} " == *" $r|"* ]] || not_ok "route $r in the table" "present" "absent"
done
echo "# ${#ROUTES[@]} routes: ${ROUTES[*]/%/;}"

# --- the resources: a job and its manifest in a1 -----------------------------------------
areq POST "$AUTH_A1/manifests" "$AUTH_EDITOR" -H 'Content-Type: application/json' \
	--data-binary '{"name":"auth matrix","preset":"small","num_users":40,"num_hosts":8,"seed":7}'
expect_status 202 "the editor of a1 creates a manifest job"
JID=$(jq -r .id <<<"$RESP_BODY" 2>/dev/null)
[[ $JID =~ ^[0-9a-f-]{36}$ ]] || { not_ok "a job id" "a uuid" "$(resp_excerpt)"; exit 1; }
# wait_job ID: polls a1's job (20 s at most); STATUS is its last status, RESP_BODY the job.
wait_job() {
	local i
	STATUS=unknown
	for ((i = 0; i < 100; i++)); do
		areq GET "$AUTH_A1/jobs/$1" "$AUTH_VIEWER"
		STATUS=$(jq -r .status <<<"$RESP_BODY" 2>/dev/null)
		case $STATUS in completed | failed | cancelled) return ;; esac
		sleep 0.2
	done
}
wait_job "$JID"
JSTATUS=$STATUS # the manifest job's, for the end
MID=
if [ "$STATUS" = completed ]; then
	MID=$(jq -r .resource_id <<<"$RESP_BODY")
	ok "the job completes: manifest $MID"
else
	not_ok "the job completes (manifest cases need its manifest)" "completed within 20 s" \
		"$STATUS: $(resp_excerpt)"
fi
HOST= PRIN=
if [ -n "$MID" ]; then
	areq GET "$AUTH_A1/manifests/$MID/document" "$AUTH_VIEWER"
	HOST=$(jq -r '.hosts[0].host_id // empty' "$RESP_BODY_FILE" 2>/dev/null)
	PRIN=$(jq -r '.principals[0].principal_id // empty' "$RESP_BODY_FILE" 2>/dev/null)
fi
# A trajectory of a1's manifest, for the /trajectories/{} routes.
TID=
if [ -n "$MID" ]; then
	areq POST "$AUTH_A1/trajectories" "$AUTH_EDITOR" -H 'Content-Type: application/json' \
		--data-binary "{\"manifest_id\":\"$MID\",\"count\":1}"
	expect_status 202 "the editor of a1 creates a trajectory job"
	TJID=$(jq -r .id <<<"$RESP_BODY" 2>/dev/null)
	wait_job "$TJID"
	if [ "$STATUS" = completed ]; then
		TID=$(jq -r .resource_id <<<"$RESP_BODY")
		ok "the trajectory job completes: trajectory $TID"
	else
		not_ok "the trajectory job completes" "completed within 20 s" "$STATUS: $(resp_excerpt)"
	fi
fi

# fill PATTERN: sets FILLED to the route with its {} filled from the resources (the segment
# before each {} names it); returns 1 when one is missing (MISSING says which). Called in
# this shell, not in $(...), so MISSING reaches the caller.
fill() {
	local p=$1 out= seg prev=
	MISSING= FILLED=
	IFS=/ read -ra segs <<<"${p#/}"
	for seg in "${segs[@]}"; do
		if [ "$seg" = "{}" ]; then
			case $prev in
			manifests) seg=$MID ;;
			jobs) seg=$JID ;;
			hosts) seg=$HOST ;;
			principals) seg=$PRIN ;;
			trajectories) seg=$TID ;;
			*) seg= ;;
			esac
			[ -n "$seg" ] || { MISSING="no $prev id"; return 1; }
		fi
		out=$out/$seg
		prev=$seg
	done
	FILLED=$out
}
# A query that makes the route answer 200 for a member (required parameters).
query_for() {
	case $1 in
	*/graph/subgraph) echo "?center=$PRIN" ;;
	esac
}
body_for() {
	case $1 in
	*/manifests) echo '{"name":"auth matrix","preset":"small","num_users":10,"num_hosts":2,"seed":8}' ;;
	*/trajectories) echo "{\"manifest_id\":\"$MID\"}" ;;
	*) echo '{}' ;;
	esac
}
need_role() { case $1 in GET) echo viewer ;; DELETE) echo admin ;; *) echo editor ;; esac; }

# --- the batch: every non-destructive cell in one curl, paced under nginx's rate ---------
# cell EXPECT WHAT METHOD PATH TOKEN: EXPECT is "404 not_found_error", "403 forbidden_error",
# a bare status ("200", or "404" for HEAD), or "200 without ID" (a list that must not show ID).
CELLS=()
: >"$T_TMP/batch.cfg"
mkdir -p "$T_TMP/cell"
cell() {
	local expect=$1 what=$2 method=$3 path=$4 token=$5 n=${#CELLS[@]} body
	CELLS+=("$expect|$what|$method $path")
	{
		[ "$n" -gt 0 ] && echo next
		echo 'silent'
		echo 'show-error'
		echo 'insecure'
		echo 'max-time = 20'
		[ ${#AUTH_IFACE[@]} -gt 0 ] && echo "interface = \"${AUTH_IFACE[1]}\""
		echo "url = \"$BASE_URL$path\""
		if [ "$method" = HEAD ]; then echo 'head'; else echo "request = \"$method\""; fi
		echo "output = \"$T_TMP/cell/$n\""
		echo "header = \"Authorization: Bearer $token\""
		if [ "$method" = POST ] || [ "$method" = PUT ] || [ "$method" = PATCH ]; then
			body=$(body_for "${path%%\?*}")
			echo 'header = "Content-Type: application/json"'
			echo "data-binary = \"${body//\"/\\\"}\""
		fi
		echo "write-out = \"%{http_code} $n\\n\""
	} >>"$T_TMP/batch.cfg"
}

# The a1 routes, each with its resources filled in.
A1_ROUTES=()   # "METHOD PATTERN PATH" for routes whose ids are all known
for r in "${ROUTES[@]}"; do
	method=${r%% *} pat=${r#* }
	if fill "$pat"; then
		A1_ROUTES+=("$method $pat $FILLED$(query_for "$pat")")
	else
		not_ok "$method $pat: a resource to test it on" "an id in a1" \
			"$MISSING (a job did not complete or the document has none); route not tested"
	fi
done

for r in "${A1_ROUTES[@]}"; do
	read -r method pat path <<<"$r"
	role=$(need_role "$method")
	# Outsiders, through a1: 404 everywhere, writes included.
	cell "404 not_found_error" "admin of a2 only: $method a1$pat" "$method" "$AUTH_A1$path" "$AUTH_A2_ONLY"
	cell "404 not_found_error" "admin of b1 only: $method a1$pat" "$method" "$AUTH_A1$path" "$AUTH_B1_ONLY"
	# HEAD is answered by the GET route: its status must not tell either.
	[ "$method" = GET ] &&
		cell "404" "admin of b1 only: HEAD a1$pat" HEAD "$AUTH_A1$path" "$AUTH_B1_ONLY"
	# Outsiders, a1's resources through their own workspace: 404 (lists: a1's job absent).
	if [[ $pat == *"{}"* ]]; then
		cell "404 not_found_error" "admin of a2 only: $method a2$pat with a1's ids" "$method" "$AUTH_A2$path" "$AUTH_A2_ONLY"
		cell "404 not_found_error" "admin of b1 only: $method b1$pat with a1's ids" "$method" "$AUTH_B1$path" "$AUTH_B1_ONLY"
	elif [ "$method" = GET ]; then
		cell "200 without $JID" "admin of a2 only: $method a2$pat does not list a1's job" "$method" "$AUTH_A2$path" "$AUTH_A2_ONLY"
		cell "200 without $JID" "admin of b1 only: $method b1$pat does not list a1's job" "$method" "$AUTH_B1$path" "$AUTH_B1_ONLY"
	fi
	# The other way: a1's admin is no member of a2 nor of org B.
	cell "404 not_found_error" "admin of a1: $method a2$pat" "$method" "$AUTH_A2$path" "$AUTH_ADMIN"
	cell "404 not_found_error" "admin of a1: $method b1$pat" "$method" "$AUTH_B1$path" "$AUTH_ADMIN"
	# Unknown organization or workspace for a1's admin: 404.
	cell "404 not_found_error" "unknown org: $method $pat" "$method" "/api/v1/org/no-such-$AUTH_TAG/ws/a1/worlds$path" "$AUTH_ADMIN"
	cell "404 not_found_error" "unknown workspace: $method $pat" "$method" "/api/v1/org/$AUTH_ORG_A/ws/no-such/worlds$path" "$AUTH_ADMIN"
	cell "404 not_found_error" "a1 under the other org: $method $pat" "$method" "/api/v1/org/$AUTH_ORG_B/ws/a1/worlds$path" "$AUTH_ADMIN"
	# Roles inside a1: refused below the route's role, served at or above it (reads only
	# here; the writes that may succeed run after the batch).
	case $role in
	editor) cell "403 forbidden_error" "viewer of a1: $method $pat" "$method" "$AUTH_A1$path" "$AUTH_VIEWER" ;;
	admin)
		cell "403 forbidden_error" "viewer of a1: $method $pat" "$method" "$AUTH_A1$path" "$AUTH_VIEWER"
		cell "403 forbidden_error" "editor of a1: $method $pat" "$method" "$AUTH_A1$path" "$AUTH_EDITOR"
		;;
	viewer)
		cell 200 "viewer of a1: $method $pat" "$method" "$AUTH_A1$path" "$AUTH_VIEWER"
		cell 200 "editor of a1: $method $pat" "$method" "$AUTH_A1$path" "$AUTH_EDITOR"
		cell 200 "admin of a1: $method $pat" "$method" "$AUTH_A1$path" "$AUTH_ADMIN"
		;;
	esac
done

# Malformed slugs (never valid: upper case, leading hyphen, underscore, 64 characters, a
# dot, percent-encoded): 404 on a read, a write and a delete.
long=$(printf 'a%.0s' $(seq 1 64))
for r in "GET /jobs" "POST /manifests" "DELETE /manifests/{}"; do
	method=${r%% *} pat=${r#* } path=${r#* }
	path=${path/\{\}/${MID:-$NIL}}
	for bad in "org/${AUTH_ORG_A^^}/ws/a1" "org/-$AUTH_ORG_A/ws/a1" "org/$AUTH_ORG_A/ws/a_1" \
		"org/$AUTH_ORG_A/ws/$long" "org/$long/ws/a1" "org/$AUTH_ORG_A/ws/a1.x" \
		"org/$AUTH_ORG_A/ws/a1%20"; do
		cell "404 not_found_error" "malformed slug ${bad//$AUTH_ORG_A/A}: $method $pat" "$method" \
			"/api/v1/$bad/worlds$path" "$AUTH_ADMIN"
	done
done

start=$(date +%s.%N)
curl --rate 40/s -K "$T_TMP/batch.cfg" >"$T_TMP/batch.codes" 2>"$T_TMP/batch.err"
echo "# ${#CELLS[@]} requests in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
declare -A CODE=()
while read -r code n; do CODE[$n]=$code; done <"$T_TMP/batch.codes"
for ((n = 0; n < ${#CELLS[@]}; n++)); do
	IFS='|' read -r expect what req <<<"${CELLS[$n]}"
	RESP_STATUS=${CODE[$n]:-000}
	RESP_BODY=$(cat "$T_TMP/cell/$n" 2>/dev/null)
	RESP_WHAT=$req
	case $expect in
	"200 without "*)
		id=${expect#200 without }
		if [ "$RESP_STATUS" = 200 ] && [[ $RESP_BODY != *"$id"* ]]; then ok "$what"; else
			not_ok "$what" "200 without $id ($req)" "$RESP_STATUS: $(resp_excerpt)"
		fi
		;;
	200 | 404)
		if [ "$RESP_STATUS" = "$expect" ]; then ok "$what"; else
			not_ok "$what" "$expect ($req)" "$RESP_STATUS: $(resp_excerpt)"
		fi
		;;
	*) expect_type ${expect% *} ${expect#* } "$what" ;;
	esac
done
[ -s "$T_TMP/batch.err" ] && echo "# curl: $(head -c 300 "$T_TMP/batch.err")"

# --- writes by the roles that may make them --------------------------------------------
for r in "${A1_ROUTES[@]}"; do
	read -r method pat path <<<"$r"
	[ "$method" = GET ] || [ "$method" = DELETE ] && continue
	for who in editor admin; do
		tok=$AUTH_EDITOR
		[ $who = admin ] && tok=$AUTH_ADMIN
		areq "$method" "$AUTH_A1$path" "$tok" -H 'Content-Type: application/json' \
			--data-binary "$(body_for "$pat")"
		case "$method $pat" in
		"POST /manifests") expect_status 202 "$who of a1: POST /manifests is served (202)" ;;
		"POST /jobs/{}/cancel")
			# The job has finished: 409 conflict is the served answer (200 if still queued).
			[[ $RESP_STATUS == 200 || $RESP_STATUS == 409 ]] && ok "$who of a1: POST /jobs/{}/cancel is served ($RESP_STATUS)" ||
				not_ok "$who of a1: POST /jobs/{}/cancel is served" "200 or 409 ($RESP_WHAT)" "$RESP_STATUS: $(resp_excerpt)"
			;;
		*)
			[[ $RESP_STATUS != 401 && $RESP_STATUS != 403 && $RESP_STATUS != 404 ]] &&
				ok "$who of a1: $method $pat is let through ($RESP_STATUS)" ||
				not_ok "$who of a1: $method $pat is let through" "not 401/403/404 ($RESP_WHAT)" "$RESP_STATUS: $(resp_excerpt)"
			;;
		esac
	done
done

# --- nothing changed by the refused requests, then the admin deletes -------------------
areq GET "$AUTH_A1/jobs/$JID" "$AUTH_ADMIN"
expect_json .status "$JSTATUS" "the job is as it was ($JSTATUS) after the refused cancels"
if [ -n "$MID" ]; then
	areq GET "$AUTH_A1/manifests/$MID" "$AUTH_ADMIN"
	expect_status 200 "the manifest still exists after the refused deletes"
	areq DELETE "$AUTH_A1/manifests/$MID" "$AUTH_ADMIN"
	expect_status 204 "admin of a1: DELETE /manifests/{} is served (204)"
	areq GET "$AUTH_A1/manifests/$MID" "$AUTH_ADMIN"
	expect_type 404 not_found_error "the deleted manifest is gone"
else
	not_ok "manifest cases (refused deletes left it, admin deletes it)" "a completed job's manifest" \
		"no manifest: the job ended $JSTATUS"
fi
