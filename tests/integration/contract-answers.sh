#!/usr/bin/env bash
# Every answer the api-*.sh tests of this run recorded (status, headers, body) is checked
# against docs/openapi.yaml with ajv: the documented status for that operation, its headers,
# and its schema, strictly (no undocumented key; every key of the resources present). Runs
# after the api-*.sh tests (the harness runs tests in name order).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/npm.bash"
records=$STACK_DIR/contract-records

n=$(find "$records" -name '*.json' 2>/dev/null | wc -l)
if [ "$n" -eq 0 ]; then
	skip "recorded answers match docs/openapi.yaml" "no answers recorded: run it with the api-*.sh tests"
	exit 0
fi
if ! npm_tools; then
	skip "recorded answers match docs/openapi.yaml" "$NPM_WHY"
	exit 0
fi
node "$(dirname "$0")/contract/validate.mjs" "$TOP_SRCDIR/docs/openapi.yaml" "$records" \
	"$T_NAME" >"$T_TMP/out" 2>&1
rc=$?
cat "$T_TMP/out"
T_FAILED=$(grep -c '^not ok ' "$T_TMP/out")
if [ $rc -ne 0 ] && [ "$T_FAILED" -eq 0 ]; then
	not_ok "the contract validator runs" "exit 0" "exit $rc: $(tail -n 5 "$T_TMP/out" | tr '\n' ' ')"
fi
