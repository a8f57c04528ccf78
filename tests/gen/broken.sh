#!/bin/bash
# worldsctl check catches each kind of violation: every hand-broken document in
# tests/gen/broken/breaks.txt fails (exit 1) and the report names the entity and the rule.
. "$(dirname "$0")/lib.sh"
need_jq
dir="$top_srcdir/tests/gen/broken"
"$CTL" check "$dir/base.json" > "$TMP/out" 2>&1
ok $? "the unbroken base document passes" "$(head -3 "$TMP/out")"
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	name=${line%% @@ *}; rest=${line#* @@ }
	filter=${rest%% @@ *}; rest=${rest#* @@ }
	id=${rest%% @@ *}; words=${rest#* @@ }
	jq -c "$filter" "$dir/base.json" > "$TMP/$name.json"
	"$CTL" check "$TMP/$name.json" > "$TMP/out" 2> "$TMP/err"
	st=$?
	ok $([ $st -eq 1 ]; echo $?) "$name: check fails" "exit $st"
	ok $(grep -F "$id: " "$TMP/out" | grep -qF -- "$words"; echo $?) "$name: reports '$id: ...$words'" \
		"got: $(head -3 "$TMP/out")"
done < "$dir/breaks.txt"
printf '{"domains": 3}' > "$TMP/junk.json"
"$CTL" check "$TMP/junk.json" > /dev/null 2>&1
ok $([ $? -eq 1 ]; echo $?) "a document of the wrong shape fails"
printf '{"domains": [' > "$TMP/cut.json"
"$CTL" check "$TMP/cut.json" > /dev/null 2>&1
ok $([ $? -eq 1 ]; echo $?) "a truncated document fails"
"$CTL" check "$TMP/none.json" > /dev/null 2>&1
ok $([ $? -eq 2 ]; echo $?) "a missing file is a usage error (2)"
done_testing
