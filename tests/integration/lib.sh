# tests/integration/lib.sh: helpers for one integration test. Source it first:
#   . "$(dirname "$0")/lib.sh"
# tests/integration/run provides the environment:
#   BASE_URL (https://127.0.0.1:PORT, self-signed), HTTP_URL (plain HTTP, answers 426),
#   STACK_DIR, STACK (scripts/stack), TOP_SRCDIR, WORLDS_CONFIG (the server's config file),
#   WORLDS_DATABASE_URL, WORLDS_KEYS_DIR, WORLDS_BINDIR, WORLDS_API, WORLDS_GEN, WORLDSCTL,
#   WORLDS_SQL_DIR, WORLDS_SOCKET_PATH.
#
# Requests:   api METHOD /path [curl args]   (through nginx TLS: $BASE_URL/path)
#             http METHOD URL [curl args]
#   set RESP_STATUS, RESP_BODY, RESP_HEADERS (raw), RESP_BODY_FILE, RESP_HEADERS_FILE
# Checks (each prints one TAP line, and `# expected:` / `# got:` when it fails):
#   expect_status CODE [WHAT]        expect_json FILTER VALUE [WHAT] (jq -r output)
#   expect_header NAME VALUE [WHAT]  expect_header_match NAME ERE [WHAT]
#   expect_no_header NAME [WHAT]     expect_envelope CODE TYPE [WHAT] (status, type, body)
#   check WHAT EXPECTED GOT          ok WHAT | not_ok WHAT EXPECTED GOT | skip WHAT REASON
# Stack:      stack_ctl pg-stop|pg-start|api-stop|api-start|reload
#             on_exit COMMAND...     (run at exit, last registered first)
#             wait_until SECONDS COMMAND...
#             T_TMP: a private temp directory, removed at exit
set -u

: "${BASE_URL:?run integration tests through tests/integration/run}"
# T_NAME_PREFIX: set by a test that runs others again under other conditions.
T_NAME=${T_NAME_PREFIX:-}$(basename "$0" .sh)
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/worlds-test.XXXXXX")
T_CLEANUPS=()
JSON_CT='application/json; charset=utf-8'

t_end() {
	local i
	for ((i = ${#T_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUPS[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$T_TMP"
	[ "$T_FAILED" -eq 0 ]
}
# A script that dies (an unbound variable under set -u, an early exit) keeps its non-zero
# status, so the runner counts it as a failure even when no check had failed yet.
trap 't_rc=$?; t_end || [ $t_rc -ne 0 ] || t_rc=1; exit $t_rc' EXIT

on_exit() { T_CLEANUPS+=("$(printf '%q ' "$@")"); }

ok() { echo "ok - $T_NAME: $1"; }
skip() { echo "ok - $T_NAME: $1 # SKIP ${2:-}"; }
not_ok() {
	echo "not ok - $T_NAME: $1"
	echo "# expected: $2"
	echo "# got: $3"
	T_FAILED=$((T_FAILED + 1))
}
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "$2" "$3"; fi
}

stack_ctl() { "$STACK" "$1" --dir "$STACK_DIR" >/dev/null; }

wait_until() {
	local limit=$(($1 * 10)) i
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# One request; never fails the test by itself (RESP_STATUS 000 when no answer came).
http() {
	local method=$1 url=$2
	shift 2
	local m=(-X "$method")
	[ "$method" = HEAD ] && m=(--head)
	RESP_BODY_FILE=$T_TMP/body RESP_HEADERS_FILE=$T_TMP/headers
	: >"$RESP_BODY_FILE"
	: >"$RESP_HEADERS_FILE"
	RESP_STATUS=$(curl -sS -k --max-time "${CURL_MAX_TIME:-30}" "${m[@]}" \
		-o "$RESP_BODY_FILE" -D "$RESP_HEADERS_FILE" -w '%{http_code}' "$@" "$url" \
		2>"$T_TMP/curl.err") || true
	RESP_BODY=$(cat "$RESP_BODY_FILE")
	RESP_HEADERS=$(tr -d '\r' <"$RESP_HEADERS_FILE")
	RESP_WHAT="$method ${url#"$BASE_URL"}"
}
api() {
	local method=$1 path=$2
	shift 2
	http "$method" "$BASE_URL$path" "$@"
}

# The body, shortened for messages.
resp_excerpt() {
	local b=$RESP_BODY
	[ ${#b} -gt 300 ] && b="${b:0:300}..."
	[ -s "$T_TMP/curl.err" ] && b="$b (curl: $(head -c 200 "$T_TMP/curl.err"))"
	echo "$b"
}

expect_status() {
	local what=${2:-$RESP_WHAT answers $1}
	if [ "$RESP_STATUS" = "$1" ]; then
		ok "$what"
	else
		not_ok "$what" "status $1" "status $RESP_STATUS, body: $(resp_excerpt)"
	fi
}

expect_json() {
	local filter=$1 want=$2 what=${3:-$RESP_WHAT: $1 is $2} got
	got=$(jq -r "$filter" <<<"$RESP_BODY" 2>&1) || got="not JSON ($got): $(resp_excerpt)"
	check "$what" "$want" "$got"
}

# The last value of header NAME (case-insensitive), without surrounding blanks.
header_value() {
	awk -v n="$(tr '[:upper:]' '[:lower:]' <<<"$1")" '
		{ i = index($0, ":"); if (i == 0) next
		  k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1)
		  gsub(/^[ \t]+|[ \t]+$/, "", v); if (k == n) { found = 1; last = v } }
		END { if (found) print last; else exit 1 }' <<<"$RESP_HEADERS"
}

expect_header() {
	local what=${3:-$RESP_WHAT: header $1 is $2} got
	got=$(header_value "$1") || got="(no $1 header)"
	check "$what" "$2" "$got"
}

expect_header_match() {
	local what=${3:-$RESP_WHAT: header $1 matches $2} got
	if got=$(header_value "$1") && [[ $got =~ $2 ]]; then
		ok "$what"
	else
		not_ok "$what" "$1 matching /$2/" "${got:-(no $1 header)}"
	fi
}

expect_no_header() {
	local what=${2:-$RESP_WHAT: no $1 header} got
	if got=$(header_value "$1"); then not_ok "$what" "no $1 header" "$1: $got"; else ok "$what"; fi
}

# The API's error envelope: status, JSON Content-Type, and a body with exactly the
# envelope's keys, code equal to the status and the given type.
expect_envelope() {
	local code=$1 type=$2 what=${3:-$RESP_WHAT} got
	expect_status "$code" "$what: status $code"
	expect_header Content-Type "$JSON_CT" "$what: JSON Content-Type"
	got=$(jq -c --argjson code "$code" --arg type "$type" '
		if type != "object" then "not an object"
		elif .code != $code then "code \(.code)"
		elif .type != $type then "type \(.type)"
		elif (.detail | type) != "string" or (.detail | length) == 0 then "no detail"
		elif (keys - ["code", "type", "detail", "errors"]) != [] then
			"extra keys \(keys - ["code", "type", "detail", "errors"])"
		else "envelope" end' <<<"$RESP_BODY" 2>/dev/null) || got="not JSON"
	if [ "$got" = '"envelope"' ]; then
		ok "$what: envelope $code $type"
	else
		not_ok "$what: envelope $code $type" \
			"{\"code\":$code,\"type\":\"$type\",\"detail\":\"...\"}" "$got: $(resp_excerpt)"
	fi
}
