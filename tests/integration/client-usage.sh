#!/usr/bin/env bash
# worlds(1) refuses bad input with exit 2 and a message naming the verb, flag, variable or
# file line, before any request: the server named is a port nobody listens on, so a request
# would end in exit 7 instead. --help and --version answer without a server.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
. "$(dirname "$0")/client/lib.bash"
api_fixture
client_setup
export WORLDS_SERVER=https://127.0.0.1:$(closed_port) WORLDS_CACERT=
ID=00000000-0000-4000-8000-000000000000

# refused ARGS... -- LINE: exit 2 and exactly LINE as the first line of stderr.
refused() {
	local args=() want
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	want=$2
	cl "${args[@]}"
	check "worlds ${args[*]}: exit 2, '$want'" "2 $want" "$CL_RC $(head -n 1 "$CL_ERR_FILE")"
}

refused -- "usage: worlds [OPTIONS] VERB [ARGS] [OPTIONS]"
refused frobnicate -- "worlds: unknown verb 'frobnicate' (worlds --help lists them)"
refused --bogus job-list -- "worlds: unknown option '--bogus' (worlds --help)"
refused job-list --bogus -- "worlds: job-list: unknown option '--bogus' (worlds job-list --help)"
refused job-list --status -- "worlds: job-list: --status needs a value (S) (worlds job-list --help)"
refused manifest-create --num-users 12x -- \
	"worlds: manifest-create: --num-users: expected a whole number, got '12x' (worlds manifest-create --help)"
refused manifest-create --seed 1.5 -- \
	"worlds: manifest-create: --seed: expected a whole number, got '1.5' (worlds manifest-create --help)"
refused trajectory-create --count ten -- \
	"worlds: trajectory-create: --count: expected a whole number, got 'ten' (worlds trajectory-create --help)"
refused job-list --page two -- "worlds: job-list: --page: expected a whole number, got 'two' (worlds job-list --help)"
refused job-wait "$ID" --poll-interval-sec -1 -- \
	"worlds: job-wait: --poll-interval-sec: expected a number of seconds above 0, got '-1' (worlds job-wait --help)"
refused job-wait "$ID" --timeout-sec soon -- \
	"worlds: job-wait: --timeout-sec: expected a number of seconds above 0, got 'soon' (worlds job-wait --help)"
refused --retries 11 job-list -- "worlds: --retries: expected a whole number from 0 to 10, got '11'"
refused job-get -- "worlds: job-get: JOB_ID is missing (worlds job-get --help)"
refused job-get "$ID" "$ID" -- "worlds: job-get: unexpected argument '$ID' (worlds job-get --help)"
refused job-get not-a-uuid -- "worlds: JOB_ID 'not-a-uuid' is not a UUID"
refused manifest-download "${ID}x" -- "worlds: MANIFEST_ID '${ID}x' is not a UUID"
refused manifest-export "$ID" -- \
	"worlds: manifest-export: --format is required (known today: bloodhound, opengraph)"
refused --server example.com job-list -- "worlds: --server: expected https://HOST[:PORT], got 'example.com'"
refused --organization Acme job-list -- \
	"worlds: --organization: 'Acme' is not a slug ([a-z0-9][a-z0-9-]{0,62})"
WORLDS_SERVER= refused job-list -- "worlds: no server: give --server URL or set WORLDS_SERVER"
WORLDS_TOKEN= refused job-list -- \
	"worlds: no token: give --token TOKEN or --token-file FILE, or set WORLDS_TOKEN"
WORLDS_TOKEN= refused --token-file "$T_TMP/missing" job-list -- \
	"worlds: --token-file: cannot read '$T_TMP/missing': No such file or directory"
WORLDS_ORGANIZATION= refused job-list -- \
	"worlds: no organization: give --organization SLUG or set WORLDS_ORGANIZATION (worlds whoami lists yours)"
WORLDS_WORKSPACE= refused manifest-create -- \
	"worlds: no workspace: give --workspace SLUG or set WORLDS_WORKSPACE (worlds whoami lists yours)"
mkdir -p "$HOME/.config/worlds"
printf 'server = https://x.example\n\norganisation = acme\n' >"$HOME/.config/worlds/client.conf"
refused job-list -- "worlds: $HOME/.config/worlds/client.conf:3: unknown key 'organisation' (known: server, token, token_file, organization, workspace, cacert, insecure, retries)"
printf 'insecure = maybe\n' >"$HOME/.config/worlds/client.conf"
refused job-list -- "worlds: $HOME/.config/worlds/client.conf:1: key 'insecure': expected yes or no, got 'maybe'"
rm -f "$HOME/.config/worlds/client.conf"
refused --config "$T_TMP/none.conf" job-list -- "worlds: $T_TMP/none.conf: cannot read: No such file or directory"

# The same settings with a good value reach the (absent) server: exit 7, naming it.
cl job-list --retries 0
expect_rc 7 "valid input goes on to the request (exit 7: nobody listens)"
expect_err_match "^worlds: cannot connect to $WORLDS_SERVER: .*Couldn't connect to server" \
	"a refused connection names the server"

cl --help
expect_rc 0 "--help exits 0"
for v in manifest-create manifest-list manifest-get manifest-download manifest-export manifest-delete \
	trajectory-create trajectory-list trajectory-get trajectory-replay job-list job-get job-cancel \
	job-wait whoami; do
	grep -qE "^  $v " "$CL_OUT_FILE" || not_ok "--help lists $v" "a line for $v" "$(head -c 300 "$CL_OUT_FILE")"
done
ok "--help lists the fifteen verbs"
for code in 0 1 2 3 4 5 6 7 130; do
	grep -qE "^ +$code  " "$CL_OUT_FILE" || not_ok "--help lists exit status $code" "a line for $code" "none"
done
ok "--help lists every exit status"
cl manifest-export --help
expect_rc 0 "manifest-export --help exits 0"
grep -q "bloodhound" "$CL_OUT_FILE" && grep -q "opengraph" "$CL_OUT_FILE" &&
	ok "manifest-export --help names the formats known today" ||
	not_ok "manifest-export --help names the formats known today" "bloodhound, opengraph" "$CL_OUT"
cl --version
check "--version" "0 worlds $(sed -n 's/^PACKAGE_VERSION = //p' "$WORLDS_BINDIR/Makefile" 2>/dev/null || echo 0.1.0)" \
	"$CL_RC $CL_OUT"
