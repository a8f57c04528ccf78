# tests/integration/auth/fixture.bash: the tenants, users and tokens the auth-*.sh tests
# share, made once per stack and cached in $STACK_DIR/auth-fixture (not a test itself).
# Source after lib.sh, then call auth_fixture. It sets
#   AUTH_TAG                      random suffix of every name made here
#   AUTH_ORG_A, AUTH_ORG_B        organization slugs; A holds workspaces a1 and a2, B holds b1
#   AUTH_A1, AUTH_A2, AUTH_B1     base paths (/api/v1/org/ORG/ws/WS/worlds)
#   AUTH_ADMIN, AUTH_EDITOR, AUTH_VIEWER   tokens of A1's members with that role
#   AUTH_A2_ONLY, AUTH_B1_ONLY    tokens of an admin of A2 only, of an admin of B1 only
#   AUTH_KEY, AUTH_KID            the signing key (k4.secret file) those tokens are made
#                                 with, and its key id (k4.pid)
# and defines:
#   actl ARGS...                  worldsctl with the stack's configuration
#   asql SQL                      one value from the stack's database
#   auth_source N                 sends this test's requests from 127.0.0.N (own rate-limit
#                                 bucket in nginx) when that address works; AUTH_IFACE
#   areq METHOD PATH TOKEN [curl args]   lib.sh's api with the bearer token ("" for none),
#                                 waiting out nginx's rate limit
#   expect_type CODE TYPE WHAT    one TAP line: status and the envelope's type, and on a
#                                 mismatch the request, expected and got
# Every failure to build the fixture is reported as not ok and ends the test.

AUTH_DIR=$STACK_DIR/auth-fixture
AUTH_IFACE=()

actl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@"; }
asql() { psql "$WORLDS_DATABASE_URL" -XtAq -v ON_ERROR_STOP=1 -c "$1"; }

# auth_new_member NAME ROLE: a fresh user (NAME-TAG@example.com) with ROLE in a1 of org A,
# and a 10-minute token for it, printed.
auth_new_member() {
	local email=$1-$AUTH_TAG@example.com
	actl user add --email "$email" --username "$1-$AUTH_TAG" >/dev/null 2>"$T_TMP/err" ||
		not_ok "user add $email" "exit 0" "$(cat "$T_TMP/err")"
	actl member add --user "$email" --org "$AUTH_ORG_A" --workspace a1 --role "$2" \
		>/dev/null 2>"$T_TMP/err" || not_ok "member add $email" "exit 0" "$(cat "$T_TMP/err")"
	actl token issue --user "$email" --ttl 600 --key "$AUTH_KEY" 2>"$T_TMP/err" ||
		not_ok "token issue $email" "a token" "$(cat "$T_TMP/err")"
}

auth_fail() {
	not_ok "auth fixture: $1" "${2:-success}" "${3:-failed}"
	exit 1
}

auth_source() {
	if curl -sk --interface "127.0.0.$1" -o /dev/null --max-time 5 "$BASE_URL/api/v1/healthz"; then
		AUTH_IFACE=(--interface "127.0.0.$1")
	else
		AUTH_IFACE=()
	fi
}

areq() {
	local method=$1 path=$2 token=$3 i
	shift 3
	local auth=()
	[ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
	for i in 1 2 3 4 5 6 7 8 9 10; do
		api "$method" "$path" "${AUTH_IFACE[@]}" "${auth[@]}" "$@"
		# nginx's rate limit, not the workspace's job quota (which says so in detail).
		[ "$RESP_STATUS" = 429 ] && [[ $RESP_BODY == *'Too many requests'* ]] || break
		sleep 1
	done
	return 0
}

expect_type() {
	local code=$1 type=$2 what=$3 got="(no type)"
	# Not jq: the matrix makes hundreds of these, and the envelope's shape is another test's.
	[[ $RESP_BODY =~ \"type\":[[:space:]]*\"([a-z_]+)\" ]] && got=${BASH_REMATCH[1]}
	if [ "$RESP_STATUS" = "$code" ] && [ "$got" = "$type" ]; then
		ok "$what"
	else
		not_ok "$what" "$code $type ($RESP_WHAT)" "$RESP_STATUS $got: $(resp_excerpt)"
	fi
}

# auth_key_works TOKEN PATH: the token is accepted (200) on PATH.
auth_key_works() {
	[ "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" \
		"$BASE_URL$2")" = 200 ]
}

auth_build() {
	local tag u
	mkdir -p "$AUTH_DIR"
	tag=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
	actl keygen --dir "$AUTH_DIR" --name key >"$AUTH_DIR/kid" 2>/dev/null || auth_fail "keygen"
	cp "$AUTH_DIR/key.public" "$WORLDS_KEYS_DIR/auth-$tag.public" || auth_fail "install the key"
	stack_ctl reload || auth_fail "reload"
	actl org add "auth-a-$tag" >/dev/null 2>&1 || auth_fail "org add auth-a-$tag"
	actl org add "auth-b-$tag" >/dev/null 2>&1 || auth_fail "org add auth-b-$tag"
	actl workspace add "auth-a-$tag" a1 >/dev/null 2>&1 || auth_fail "workspace add a1"
	actl workspace add "auth-a-$tag" a2 >/dev/null 2>&1 || auth_fail "workspace add a2"
	actl workspace add "auth-b-$tag" b1 >/dev/null 2>&1 || auth_fail "workspace add b1"
	for u in admin:a:a1 editor:a:a1 viewer:a:a1 a2only:a:a2 b1only:b:b1; do
		set -- ${u//:/ }
		actl user add --email "$1-$tag@example.com" --username "auth-$1-$tag" \
			--full-name "Auth $1" >/dev/null 2>&1 || auth_fail "user add $1"
		local role=$1
		case $1 in a2only | b1only) role=admin ;; esac
		actl member add --user "$1-$tag@example.com" --org "auth-$2-$tag" --workspace "$3" \
			--role "$role" >/dev/null 2>&1 || auth_fail "member add $1 ($role of $2/$3)"
		actl token issue --user "$1-$tag@example.com" --ttl 86400 --key "$AUTH_DIR/key.secret" \
			>"$AUTH_DIR/$1.token" 2>/dev/null || auth_fail "token issue $1"
	done
	echo "AUTH_TAG=$tag" >"$AUTH_DIR/env"
	# The master replaces its workers on SIGHUP: wait until they know the key.
	wait_until 10 auth_key_works "$(cat "$AUTH_DIR/viewer.token")" \
		"/api/v1/org/auth-a-$tag/ws/a1/worlds/jobs" ||
		auth_fail "the fixture's key is accepted" 200 "not within 10 s"
	touch "$AUTH_DIR/done"
}

auth_fixture() {
	(
		flock 8
		[ -f "$AUTH_DIR/done" ] || auth_build
	) 8>"$STACK_DIR/auth-fixture.lock" || exit 1
	# shellcheck disable=SC1091
	. "$AUTH_DIR/env"
	AUTH_ORG_A=auth-a-$AUTH_TAG
	AUTH_ORG_B=auth-b-$AUTH_TAG
	AUTH_A1=/api/v1/org/$AUTH_ORG_A/ws/a1/worlds
	AUTH_A2=/api/v1/org/$AUTH_ORG_A/ws/a2/worlds
	AUTH_B1=/api/v1/org/$AUTH_ORG_B/ws/b1/worlds
	AUTH_KEY=$AUTH_DIR/key.secret
	AUTH_KID=$(cat "$AUTH_DIR/kid")
	AUTH_ADMIN=$(cat "$AUTH_DIR/admin.token")
	AUTH_EDITOR=$(cat "$AUTH_DIR/editor.token")
	AUTH_VIEWER=$(cat "$AUTH_DIR/viewer.token")
	AUTH_A2_ONLY=$(cat "$AUTH_DIR/a2only.token")
	AUTH_B1_ONLY=$(cat "$AUTH_DIR/b1only.token")
}
