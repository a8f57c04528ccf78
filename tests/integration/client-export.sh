#!/usr/bin/env bash
# manifest-export and trajectory-replay stream what the server answers for
# …/manifests/{id}/export?format=F and …/trajectories/{id}/replay to stdout or -o FILE, the
# format passed on as given; a refusal is rendered and leaves no file behind. Where the
# server does not serve the route yet (issues #15, #17), its 404 is what is checked; where
# it does, the bytes are compared with curl's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
. "$(dirname "$0")/client/lib.bash"
api_fixture
client_setup

cl -q manifest-create --preset small --seed 99 --wait --poll-interval-sec 0.2 --timeout-sec 120
expect_rc 0 "a manifest to export"
mid=$CL_OUT
cl -q trajectory-create --manifest-id "$mid" --count 1 --wait --poll-interval-sec 0.2 --timeout-sec 120
expect_rc 0 "a trajectory to replay"
tid=$(curl_json "$CL_BASE/trajectories?manifest_id=$mid" | jq -r '.items[0].id')

# served PATH: 0 when the server has the route (anything but the router's 404).
served() {
	local body
	body=$(curl -sS --cacert "$WORLDS_CACERT" -H "Authorization: Bearer $AF_EDITOR" "$BASE_URL$1")
	! jq -e '.code == 404 and .detail == "No such route"' <<<"$body" >/dev/null 2>&1
}

# stream_verb WHAT PATH ARGS...: the verb's bytes equal curl's for PATH (route served), or
# the 404 rendered, exit 5 and no FILE (route not served yet).
stream_verb() {
	local what=$1 path=$2
	shift 2
	rm -f "$T_TMP/out.bin"
	cl "$@" -o "$T_TMP/out.bin"
	if served "$path"; then
		expect_rc 0 "$what: exit 0"
		curl -sS --cacert "$WORLDS_CACERT" -H "Authorization: Bearer $AF_EDITOR" -o "$T_TMP/curl.bin" \
			"$BASE_URL$path"
		cmp -s "$T_TMP/out.bin" "$T_TMP/curl.bin" && ok "$what: the server's bytes, as curl gets them" ||
			not_ok "$what: the server's bytes" "$(sha256sum <"$T_TMP/curl.bin")" "$(sha256sum <"$T_TMP/out.bin" 2>&1)"
	else
		expect_rc 5 "$what (route not served yet): exit 5"
		expect_err_has "worlds: HTTP 404 not_found_error: No such route" "$what: the 404 rendered"
		check "$what: no file, no temporary file left" "" "$(ls "$T_TMP" | grep -E '^out\.bin')"
	fi
}

stream_verb "manifest-export --format opengraph" "$CL_BASE/manifests/$mid/export?format=opengraph" \
	manifest-export "$mid" --format opengraph
stream_verb "manifest-export --format bloodhound" "$CL_BASE/manifests/$mid/export?format=bloodhound" \
	manifest-export "$mid" --format bloodhound
stream_verb "trajectory-replay" "$CL_BASE/trajectories/$tid/replay" trajectory-replay "$tid"
stream_verb "trajectory-replay --source-format worlds" \
	"$CL_BASE/trajectories/$tid/replay?source_format=worlds" trajectory-replay "$tid" --source-format worlds

# Any format goes to the server as given (URL-encoded); the server decides.
cl manifest-export "$mid" --format 'Next Format/1' -o "$T_TMP/odd.bin"
expect_rc 5 "an unknown format: refused by the server, exit 5"
grep -qF "GET $CL_BASE/manifests/$mid/export?format=Next%20Format%2F1 " "$STACK_DIR/log/nginx-access.log" &&
	ok "the format reached the server as given" ||
	not_ok "the format reached the server as given" "export?format=Next%20Format%2F1 in nginx's access log" \
		"$(grep -F "/export?" "$STACK_DIR/log/nginx-access.log" | tail -n 2)"
check "a refused export leaves no file" "" "$(ls "$T_TMP" | grep -E '^odd\.bin')"
cl manifest-export 00000000-0000-4000-8000-000000000000 --format opengraph
expect_rc 5 "an unknown manifest: exit 5"
