#!/usr/bin/env bash
# How worlds(1) says what went wrong: the error envelope as one line per field error
# (401, 403, 404, 422, 426, 429), and with --json the envelope itself on stdout; a refused
# connection, an untrusted certificate and a stopped API named with the server's URL;
# retries (429 after Retry-After, 502) only where sending again is safe; exit statuses
# 5 (refused), 6 (server error), 7 (no answer).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
. "$(dirname "$0")/client/lib.bash"
api_fixture
client_setup
ID=00000000-0000-4000-8000-000000000000

cl_as "v4.public.not-a-token" job-list
expect_rc 5 "a bad token: exit 5"
expect_err_has "worlds: HTTP 401 token_error: Invalid token" "401 rendered"
cl_as "$AF_DISABLED" whoami
expect_err_has "worlds: HTTP 403 forbidden_error: User is disabled" "403 of a disabled user rendered"
cl_as "$AF_VIEWER" manifest-create
expect_rc 5 "a viewer creating: exit 5"
expect_err_has "worlds: HTTP 403 forbidden_error: Your role in this workspace does not allow this" "403 rendered"
cl job-get "$ID"
expect_rc 5 "an unknown job: exit 5"
expect_err_has "worlds: HTTP 404 not_found_error: Job not found" "404 rendered"
WORLDS_WORKSPACE=nowhere cl job-list
expect_err_has "worlds: HTTP 404 not_found_error: Organization or workspace not found" \
	"404 of an unknown workspace rendered"

cl manifest-create --num-users 50001 --num-hosts 0 --preset huge --domain ok.example --domain 'no way'
expect_rc 5 "422: exit 5"
check "422: the envelope's line, then one line per field error" \
	"worlds: HTTP 422 validation_error: 4 validation errors|domains[1]: Value error, not a valid DNS name: only letters, digits, hyphens and dots are allowed|num_hosts: Input should be greater than or equal to 1|num_users: Input should be less than or equal to 50000|preset: Input should be 'small', 'medium', 'large' or 'enterprise'" \
	"$(paste -sd'|' "$CL_ERR_FILE")"
check "422: nothing on stdout" "" "$CL_OUT"
cl --json manifest-create --num-users 50001
expect_rc 5 "422 with --json: exit 5"
same_json "422 with --json: the envelope on stdout, as the server sent it" "$CL_OUT" \
	"$(curl -sS --cacert "$WORLDS_CACERT" -H "Authorization: Bearer $AF_EDITOR" \
		-H 'Content-Type: application/json' -d '{"num_users":50001}' "$BASE_URL$CL_BASE/manifests")"
cl job-list --page-size 101
expect_err_has "page_size: Input should be less than or equal to 100" "a query parameter's 422: its name"

cl --server "$HTTP_URL" job-list
expect_rc 5 "plain HTTP: exit 5"
expect_err_has "worlds: HTTP 426 upgrade_required_error: Plain HTTP is not served: use HTTPS" "426 rendered"
WORLDS_CACERT= cl job-list
expect_rc 7 "an untrusted certificate: exit 7"
expect_err_match "^worlds: TLS with $BASE_URL failed: .*self-signed certificate.* \(for a private CA: --cacert FILE\)$" \
	"an untrusted certificate: the server and the way out named"
WORLDS_CACERT= cl --insecure whoami
expect_rc 0 "--insecure goes past it"
port=$(closed_port)
cl --server "https://127.0.0.1:$port" --retries 1 job-list
expect_rc 7 "a refused connection: exit 7"
check "a refused connection: one retry said, then the failure naming the server" \
	"worlds: cannot connect to https://127.0.0.1:$port; again in 0.5 s (1 of 1)|worlds: cannot connect to https://127.0.0.1:$port: " \
	"$(sed -E 's/(to https:[^:]*:[0-9]+: ).*/\1/' "$CL_ERR_FILE" | paste -sd'|')"

# 429: the workspace's quota. A creation without a key is not sent again; with one, it is,
# after the server's Retry-After, and goes through once a slot is free.
af_conf generator /bin/true
af_conf max_active_jobs_per_workspace 1
touch "$T_TMP/jobs"
af_cancel_later "$CL_BASE" "$T_TMP/jobs"
cl -q manifest-create --name first
first=$CL_OUT
echo "$first" >>"$T_TMP/jobs"
cl manifest-create --name second
expect_rc 5 "429 on a creation without a key: exit 5 at once"
expect_err_match "^worlds: HTTP 429 usage_limit_exceeded_error: " "429 rendered"
check "429 without a key: never sent again" 0 "$(grep -c 'again in' "$CL_ERR_FILE")"
"$WORLDS_CLI" --json manifest-create --name keyed --idempotency-key "cl-$CL_WS" >"$T_TMP/k.out" 2>"$T_TMP/k.err" &
kpid=$!
wait_until 10 grep -q "answered 429; again in 5.0 s (1 of 4)" "$T_TMP/k.err" &&
	ok "429 with a key: retried after Retry-After (5 s)" ||
	not_ok "429 with a key: retried after Retry-After" "answered 429; again in 5.0 s" "$(cat "$T_TMP/k.err")"
cl job-cancel "$first"
wait "$kpid"
check "429 with a key: once a slot is free, the retry creates the job (exit 0)" 0 $?
jq -r .id "$T_TMP/k.out" >>"$T_TMP/jobs"
check "429 with a key: the job is the key's" "cl-$CL_WS" \
	"$(af_sql "SELECT idempotency_key FROM jobs WHERE id = '$(jq -r .id "$T_TMP/k.out")'")"

# 502: worlds-api stopped. A read is retried until it is back; a creation is not.
stack_ctl api-stop
on_exit "$STACK" api-start --dir "$STACK_DIR"
cl manifest-create --name during-502
expect_rc 6 "502 on a creation: exit 6 at once"
check "502 on a creation: rendered, not sent again" "worlds: HTTP 502 bad_gateway_error: " \
	"$(sed -E 's/(bad_gateway_error: ).*/\1/' "$CL_ERR_FILE" | paste -sd'|')"
"$WORLDS_CLI" --json job-get "$first" >"$T_TMP/r.out" 2>"$T_TMP/r.err" &
rpid=$!
wait_until 10 grep -q "answered 502; again in" "$T_TMP/r.err" || true
stack_ctl api-start
wait "$rpid"
check "502 on a read: retried until worlds-api is back (exit 0)" 0 $?
check "502 on a read: each retry said" yes "$(grep -q "^worlds: $BASE_URL answered 502; again in 0.5 s (1 of 4)$" "$T_TMP/r.err" && echo yes || cat "$T_TMP/r.err")"
check "502 on a read: then the answer" "$first" "$(jq -r .id "$T_TMP/r.out" 2>&1)"
