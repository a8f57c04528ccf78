#!/bin/bash
# worlds-gen's flags: help, version, output file, pretty, and every bad flag -> exit 2 with
# the API's message.
. "$(dirname "$0")/lib.sh"
need_jq
expect() { # STATUS PATTERN DESCRIPTION ARGS...
	local want=$1 pat=$2 what=$3; shift 3
	"$GEN" "$@" > "$TMP/out" 2> "$TMP/err"; local got=$?
	ok $([ $got -eq $want ] && grep -q -- "$pat" "$TMP/err" "$TMP/out"; echo $?) "$what" \
		"exit $got (want $want); stderr: $(head -3 "$TMP/err")"
}
expect 0 "usage: worlds-gen" "--help" --help
expect 0 "generator 1" "--version" --version
expect 2 "unrecognized option" "unknown flag" --colour blue
expect 2 "unexpected argument" "stray argument" --seed 1 extra
expect 2 "--hosts: Input should be less than or equal to 10000" "too many hosts" --hosts 10001
expect 2 "--users: Input should be greater than or equal to 1" "zero users" --users 0
expect 2 "--users: Input should be a valid integer" "users not a number" --users 12abc
expect 2 "--seed: Input should be a valid integer" "seed past 64 bits" --seed 99999999999999999999
expect 2 "--preset: Input should be 'small', 'medium', 'large' or 'enterprise'" "bad preset" --preset huge
expect 2 "--domain #2: Value error, duplicate domain" "duplicate domain" --domain a.b --domain A.B
expect 2 "--domain #1: Value error, not a valid DNS name" "bad domain" --domain "bad_name"
expect 2 "--hosts: Value error, num_hosts must be at least the number of domains" "fewer hosts than domains" --preset enterprise --hosts 2
expect 2 "--strategy: Input should be" "trajectories mode: bad strategy" trajectories --strategy nope
expect 2 "unknown mode" "unknown mode" frobnicate
"$GEN" --preset small --seed 4 -o "$TMP/a.json"; "$GEN" --preset small --seed 4 > "$TMP/b.json"
ok $(cmp -s "$TMP/a.json" "$TMP/b.json"; echo $?) "-o FILE equals standard output"
ok $([ ! -e "$TMP/a.json.tmp" ]; echo $?) "no temporary file left"
"$GEN" --preset small --seed 4 --pretty > "$TMP/p.json"
ok $(cmp -s <(jq -cS . "$TMP/a.json") <(jq -cS . "$TMP/p.json"); echo $?) "--pretty holds the same JSON"
ok $([ "$(wc -l < "$TMP/p.json")" -gt 100 ]; echo $?) "--pretty is indented"
ok $([ "$(jq -r .seed "$TMP/a.json")" = 4 ]; echo $?) "seed recorded"
"$GEN" --users 5 --hosts 2 > "$TMP/r.json"
s=$(jq -r .seed "$TMP/r.json"); "$GEN" --users 5 --hosts 2 --seed "$s" > "$TMP/r2.json"
ok $(cmp -s "$TMP/r.json" "$TMP/r2.json"; echo $?) "a drawn seed is recorded and reproduces the world"
"$GEN" --preset small -o /nonexistent/dir/x.json 2> "$TMP/err"
ok $([ $? -eq 1 ]; echo $?) "unwritable output: exit 1"
done_testing
