#!/usr/bin/env bash
# POST /manifests with bad input: each case asserts the status, the envelope's code and type,
# and an errors[] item with the expected loc and error type (api.md's table, the seed's
# rules). Values on the edge of each rule are accepted (202; those jobs are cancelled at
# once so that they cost nothing). Several errors at once are all listed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
base=$(af_workspace "valid-$RANDOM$RANDOM")
url=$base/manifests

# bad WHAT BODY STATUS TYPE LOC ERRTYPE [curl args]: one TAP line for the whole case.
bad() {
	local what=$1 body=$2 status=$3 type=$4 loc=$5 etype=$6 got want
	shift 6
	if [ $# -gt 0 ]; then
		call POST "$url" "$AF_EDITOR" --data-binary "$body" "$@"
	else
		post_json "$url" "$AF_EDITOR" "$body"
	fi
	want="$status $status $type true"
	got=$(jq -r --argjson loc "$loc" --arg et "$etype" \
		'"\(.code) \(.type) \([.errors[]? | select(.loc == $loc and .type == $et)] | length == 1)"' \
		<<<"$RESP_BODY" 2>/dev/null) || got="not JSON"
	got="$RESP_STATUS $got"
	if [ "$got" = "$want" ]; then
		ok "$what → $status $type, loc $loc $etype"
	else
		not_ok "$what → $status $type, loc $loc $etype" \
			"status $status, code $status, type $type, one error {loc: $loc, type: $etype}" \
			"status $RESP_STATUS: $(resp_excerpt)"
	fi
}

# good WHAT BODY [JQ-CHECK]: 202 and a queued job (then cancelled); JQ-CHECK on the job.
good() {
	local what=$1 body=$2 filter=${3:-true} id
	post_json "$url" "$AF_EDITOR" "$body"
	id=$(jq -r '.id // empty' <<<"$RESP_BODY" 2>/dev/null)
	if [ "$RESP_STATUS" = 202 ] && [ "$(jq -r "$filter" <<<"$RESP_BODY" 2>/dev/null)" = true ]; then
		ok "$what → 202"
	else
		not_ok "$what → 202" "status 202 and $filter" "status $RESP_STATUS: $(resp_excerpt)"
	fi
	[ -n "$id" ] && call POST "$base/jobs/$id/cancel" "$AF_EDITOR"
	return 0
}

long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
# $1 copies of the UTF-8 character $2.
repeat() { local s="" i; for ((i = 0; i < $1; i++)); do s+=$2; done; echo "$s"; }
B='["body"]'

# --- the body as a whole: 400 invalid_error ---------------------------------------------
bad "truncated JSON" '{"name": "x"' 400 invalid_error "$B" json_invalid
bad "invalid JSON (bare key)" '{name: 1}' 400 invalid_error "$B" json_invalid
bad "trailing characters after the object" '{} x' 400 invalid_error "$B" json_invalid
bad "two objects" '{}{}' 400 invalid_error "$B" json_invalid
bad "empty body" '' 400 invalid_error "$B" json_invalid
bad "single quotes" "{'name': 'x'}" 400 invalid_error "$B" json_invalid
bad "body is not UTF-8" $'{"name": "\xff\xfe"}' 400 invalid_error "$B" json_invalid
bad "nesting deeper than the limit" "{\"name\": $(long 64 '[')$(long 64 ']')}" 400 invalid_error "$B" json_invalid
bad "a JSON array" '[]' 400 invalid_error "$B" model_type
bad "a JSON string" '"small"' 400 invalid_error "$B" model_type
bad "a JSON number" '42' 400 invalid_error "$B" model_type
bad "JSON null" 'null' 400 invalid_error "$B" model_type
bad "Content-Type text/plain" '{}' 400 invalid_error "$B" model_type -H 'Content-Type: text/plain'
bad "form Content-Type" '{}' 400 invalid_error "$B" model_type \
	-H 'Content-Type: application/x-www-form-urlencoded'
bad "no Content-Type" '{}' 400 invalid_error "$B" model_type -H 'Content-Type:'
bad "application/jsonx" '{}' 400 invalid_error "$B" model_type -H 'Content-Type: application/jsonx'
call POST "$url" "$AF_EDITOR" -H 'Content-Type: application/json; charset=utf-8' --data-binary '{}'
expect_status 202 "Content-Type application/json; charset=utf-8 is accepted"
[ "$RESP_STATUS" = 202 ] && call POST "$base/jobs/$(jq -r .id <<<"$RESP_BODY")/cancel" "$AF_EDITOR"

# 65 KiB: nginx answers before the application sees it.
printf '{"name": "%s"}' "$(long 66560)" >"$T_TMP/big.json"
call POST "$url" "$AF_EDITOR" -H 'Content-Type: application/json' --data-binary @"$T_TMP/big.json"
expect_envelope 413 invalid_error "a 65 KiB body"

# --- name ----------------------------------------------------------------------------------
bad "name: a number" '{"name": 123}' 422 validation_error '["body","name"]' string_type
bad "name: a boolean" '{"name": true}' 422 validation_error '["body","name"]' string_type
bad "name: a list" '{"name": ["x"]}' 422 validation_error '["body","name"]' string_type
bad "name: an object" '{"name": {}}' 422 validation_error '["body","name"]' string_type
bad "name: empty" '{"name": ""}' 422 validation_error '["body","name"]' string_too_short
bad "name: blanks only" '{"name": "   "}' 422 validation_error '["body","name"]' string_too_short
bad "name: 201 characters" "{\"name\": \"$(long 201)\"}" 422 validation_error '["body","name"]' string_too_long
bad "name: 201 two-byte characters" "{\"name\": \"$(repeat 201 é)\"}" 422 validation_error '["body","name"]' string_too_long
bad "name: a control character (U+0001)" '{"name": "a\u0001b"}' 422 validation_error '["body","name"]' value_error
bad "name: a tab inside" '{"name": "a\tb"}' 422 validation_error '["body","name"]' value_error
bad "name: DEL" '{"name": "a\u007fb"}' 422 validation_error '["body","name"]' value_error
bad "name: a C1 control (U+0085)" '{"name": "a\u0085b"}' 422 validation_error '["body","name"]' value_error
bad "name: NUL" '{"name": "a\u0000b"}' 422 validation_error '["body","name"]' string_unicode
good "name: 1 character" '{"name": "x"}'
good "name: 200 characters" "{\"name\": \"$(long 200)\"}"
good "name: 200 two-byte characters" "{\"name\": \"$(repeat 200 é)\"}"
good "name: null means absent" '{"name": null}'

# --- project_id ----------------------------------------------------------------------------
P='["body","project_id"]'
bad "project_id: UUID version 1" '{"project_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}' 422 validation_error "$P" uuid_version
bad "project_id: UUID version 7" '{"project_id": "01890a5d-ac96-774b-bcce-b302099a8057"}' 422 validation_error "$P" uuid_version
bad "project_id: version 4 nibble, wrong variant" '{"project_id": "0a4f1c7e-5d3b-4c2a-cf1e-2b7d8c6a5e41"}' 422 validation_error "$P" uuid_version
bad "project_id: not a UUID" '{"project_id": "not-a-uuid"}' 422 validation_error "$P" uuid_parsing
bad "project_id: a non-hex digit" '{"project_id": "0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e4z"}' 422 validation_error "$P" uuid_parsing
bad "project_id: one digit short" '{"project_id": "0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e4"}' 422 validation_error "$P" uuid_parsing
bad "project_id: empty" '{"project_id": ""}' 422 validation_error "$P" uuid_parsing
bad "project_id: a number" '{"project_id": 4}' 422 validation_error "$P" uuid_type
good "project_id: upper-case v4, stored lower-case" '{"project_id": "0A4F1C7E-5D3B-4C2A-9F1E-2B7D8C6A5E41"}' \
	'.project_id == "0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41"'
good "project_id: null means the default project" '{"project_id": null}' '.project_id != null'

# --- preset --------------------------------------------------------------------------------
bad "preset: unknown" '{"preset": "huge"}' 422 validation_error '["body","preset"]' enum
bad "preset: wrong case" '{"preset": "Small"}' 422 validation_error '["body","preset"]' enum
bad "preset: a number" '{"preset": 1}' 422 validation_error '["body","preset"]' enum
good "preset: null means absent" '{"preset": null}'
good "preset: medium" '{"preset": "medium"}'

# --- seed ----------------------------------------------------------------------------------
S='["body","seed"]'
bad "seed: a string" '{"seed": "42"}' 422 validation_error "$S" int_type
bad "seed: 1.0" '{"seed": 1.0}' 422 validation_error "$S" int_type
bad "seed: 1e3" '{"seed": 1e3}' 422 validation_error "$S" int_type
bad "seed: a boolean" '{"seed": true}' 422 validation_error "$S" int_type
bad "seed: 2^63 (past int64)" '{"seed": 9223372036854775808}' 422 validation_error "$S" int_type
bad "seed: 2^64" '{"seed": 18446744073709551616}' 422 validation_error "$S" int_type
bad "seed: -2^63-1" '{"seed": -9223372036854775809}' 422 validation_error "$S" int_type
bad "seed: 100 digits" "{\"seed\": $(long 100 9)}" 422 validation_error "$S" int_type
good "seed: 2^63-1" '{"seed": 9223372036854775807}'
good "seed: -2^63 (the int64 minimum)" '{"seed": -9223372036854775808}'
good "seed: negative" '{"seed": -1}'
good "seed: null means drawn by the server" '{"seed": null}'

# --- num_users / num_hosts -----------------------------------------------------------------
U='["body","num_users"]'
H='["body","num_hosts"]'
bad "num_users: 0" '{"num_users": 0}' 422 validation_error "$U" greater_than_equal
bad "num_users: -1" '{"num_users": -1}' 422 validation_error "$U" greater_than_equal
bad "num_users: 50001" '{"num_users": 50001}' 422 validation_error "$U" less_than_equal
bad "num_users: a string" '{"num_users": "5"}' 422 validation_error "$U" int_type
bad "num_users: 5.0" '{"num_users": 5.0}' 422 validation_error "$U" int_type
bad "num_users: 1e3" '{"num_users": 1e3}' 422 validation_error "$U" int_type
bad "num_users: a boolean" '{"num_users": true}' 422 validation_error "$U" int_type
bad "num_users: past 64 bits" '{"num_users": 99999999999999999999}' 422 validation_error "$U" int_type
bad "num_users: a list" '{"num_users": [1]}' 422 validation_error "$U" int_type
good "num_users: 1" '{"num_users": 1}'
good "num_users: 50000" '{"num_users": 50000}'
good "num_users: null means absent" '{"num_users": null}'
bad "num_hosts: 0" '{"num_hosts": 0}' 422 validation_error "$H" greater_than_equal
bad "num_hosts: 10001" '{"num_hosts": 10001}' 422 validation_error "$H" less_than_equal
bad "num_hosts: a string" '{"num_hosts": "10"}' 422 validation_error "$H" int_type
bad "num_hosts: 10.5" '{"num_hosts": 10.5}' 422 validation_error "$H" int_type
bad "num_hosts: false" '{"num_hosts": false}' 422 validation_error "$H" int_type
bad "num_hosts: below -2^63" '{"num_hosts": -9223372036854775809}' 422 validation_error "$H" int_type
good "num_hosts: 1" '{"num_hosts": 1}'
good "num_hosts: 10000" '{"num_hosts": 10000}'
good "num_hosts: null means absent" '{"num_hosts": null}'

# --- domains -------------------------------------------------------------------------------
D='["body","domains"]'
d17=$(for i in $(seq 1 17); do printf '"d%d.local",' "$i"; done)
d16=$(for i in $(seq 1 16); do printf '"d%d.local",' "$i"; done)
bad "domains: empty list" '{"domains": []}' 422 validation_error "$D" too_short
bad "domains: 17 names" "{\"domains\": [${d17%,}]}" 422 validation_error "$D" too_long
bad "domains: a string, not a list" '{"domains": "corp.local"}' 422 validation_error "$D" list_type
bad "domains: duplicate after case folding" '{"domains": ["a.local", "A.LOCAL"]}' 422 validation_error '["body","domains",1]' value_error
bad "domains: underscore" '{"domains": ["bad_name.local"]}' 422 validation_error '["body","domains",0]' value_error
bad "domains: label starts with a hyphen" '{"domains": ["-a.local"]}' 422 validation_error '["body","domains",0]' value_error
bad "domains: empty label" '{"domains": ["a..local"]}' 422 validation_error '["body","domains",0]' value_error
bad "domains: empty name" '{"domains": [""]}' 422 validation_error '["body","domains",0]' value_error
bad "domains: 64-character label" "{\"domains\": [\"$(long 64).local\"]}" 422 validation_error '["body","domains",0]' value_error
bad "domains: 254 characters" "{\"domains\": [\"$(long 60).$(long 60).$(long 60).$(long 60).$(long 10)\"]}" 422 validation_error '["body","domains",0]' string_too_long
bad "domains: an item that is a number" '{"domains": [1]}' 422 validation_error '["body","domains",0]' string_type
bad "domains: an item that is null" '{"domains": [null]}' 422 validation_error '["body","domains",0]' string_type
good "domains: 16 names" "{\"domains\": [${d16%,}]}" '.status == "queued" or .status == "running"'
good "domains: 63-character label, 253 characters" "{\"domains\": [\"$(long 63).$(long 63).$(long 63).$(long 61)\"]}"
good "domains: null means the preset's" '{"domains": null}'

# --- the object as a whole -------------------------------------------------------------------
bad "an unknown field" '{"nmae": "x"}' 422 validation_error '["body","nmae"]' extra_forbidden
bad "a field in the wrong case" '{"Name": "x"}' 422 validation_error '["body","Name"]' extra_forbidden
bad "fewer hosts than domains" '{"num_hosts": 1, "domains": ["a.local", "b.local"]}' 422 validation_error "$H" value_error
good "an empty object" '{}'

# Several errors: every one listed, in one answer.
post_json "$url" "$AF_EDITOR" '{"num_hosts": 10001, "preset": "huge", "seed": "x", "extra": 1, "domains": ["ok.local", 5, "bad..x"]}'
expect_envelope 422 validation_error "six errors at once"
expect_json '[.errors[] | "\(.loc | map(tostring) | join(".")):\(.type)"] | sort | join(" ")' \
	"body.domains.1:string_type body.domains.2:value_error body.extra:extra_forbidden body.num_hosts:less_than_equal body.preset:enum body.seed:int_type" \
	"every failing field is listed"
expect_json .detail "6 validation errors" "detail counts the errors"
expect_json '[.errors[] | (.msg | type == "string" and length > 0)] | all' true "every error has a message"

# Idempotency-Key must be 1-255 visible ASCII characters.
K='["header","Idempotency-Key"]'
bad "Idempotency-Key: 256 characters" '{}' 422 validation_error "$K" string_pattern_mismatch \
	-H 'Content-Type: application/json' -H "Idempotency-Key: $(long 256 k)"
bad "Idempotency-Key: a blank inside" '{}' 422 validation_error "$K" string_pattern_mismatch \
	-H 'Content-Type: application/json' -H "Idempotency-Key: a b"
bad "Idempotency-Key: non-ASCII" '{}' 422 validation_error "$K" string_pattern_mismatch \
	-H 'Content-Type: application/json' -H "Idempotency-Key: clé"

# Path ids must be UUIDs.
call GET "$base/jobs/not-a-uuid" "$AF_VIEWER"
expect_envelope 422 validation_error "GET /jobs/not-a-uuid"
expect_json '.errors[0].loc | tojson' '["path","job_id"]' "loc names the path parameter"
call GET "$base/manifests/1234" "$AF_VIEWER"
expect_envelope 422 validation_error "GET /manifests/1234"
expect_json '.errors[0] | "\(.loc | tojson) \(.type)"' '["path","manifest_id"] uuid_parsing'
