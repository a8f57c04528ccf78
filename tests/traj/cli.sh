#!/bin/bash
# worlds-gen trajectories: same flags -> same bytes, every strategy and mode answers and
# replays (--check), the record's fields, only_successful, every termination reason, and
# bad flags -> exit 2 with the API's wording.
. "$top_srcdir/tests/gen/lib.sh"
need_jq
T() { "$GEN" trajectories "$@"; }
expect() { # STATUS PATTERN DESCRIPTION ARGS...
	local want=$1 pat=$2 what=$3; shift 3
	T "$@" > "$TMP/out" 2> "$TMP/err"; local got=$?
	ok $([ $got -eq $want ] && grep -q -- "$pat" "$TMP/err" "$TMP/out"; echo $?) "$what" \
		"exit $got (want $want); stderr: $(head -3 "$TMP/err")"
}
W=(--preset small --seed 9)
T "${W[@]}" --count 5 --strategy smart-random > "$TMP/a.json"
T "${W[@]}" --count 5 --strategy smart-random -o "$TMP/b.json"
ok $(cmp -s "$TMP/a.json" "$TMP/b.json"; echo $?) "same flags, same bytes (stdout and -o)"
T "${W[@]}" --count 5 --strategy smart-random --traj-seed 43 > "$TMP/c.json"
ok $(! cmp -s "$TMP/a.json" "$TMP/c.json"; echo $?) "another --traj-seed, other trajectories"
ok $([ "$(jq '.trajectories | length' "$TMP/a.json")" = 5 ] && \
	[ "$(jq '[.trajectories[].sequence_index] == [0,1,2,3,4]' "$TMP/a.json")" = true ]; echo $?) \
	"count 5: sequence indexes 0..4"
ok $(jq -e '[.trajectories[] | .step_count == (.steps | length)] | all' "$TMP/a.json" >/dev/null; echo $?) \
	"step_count is the number of steps"
ok $(jq -e '[.trajectories[].steps[] | has("index","command","technique","actor","target","outcome","output","state_before","state_after")] | all' \
	"$TMP/a.json" >/dev/null; echo $?) "every step has the record's fields"
for mode in kali c2; do
	for s in random greedy recon-first smart-random; do
		T "${W[@]}" --count 2 --max-steps 30 --strategy $s --mode $mode > "$TMP/s.json" 2> "$TMP/err"
		ok $(jq -e --arg s $s --arg m $mode '[.trajectories[] | .strategy == $s and .mode == $m] | all' \
			"$TMP/s.json" >/dev/null; echo $?) "$mode $s" "$(head -3 "$TMP/err")"
		T "${W[@]}" --check "$TMP/s.json" > "$TMP/chk" 2>&1
		ok $? "$mode $s: every step replays (--check)" "$(head -3 "$TMP/chk")"
	done
done
T "${W[@]}" --strategy greedy > "$TMP/g.json"
ok $(jq -e '.trajectories[0] | .success and .termination_reason == "goal_reached"' "$TMP/g.json" >/dev/null; echo $?) \
	"greedy reaches Domain Admins"
# seed 1's goal is two commands from the foothold (greedy: 2 steps), so one step cannot reach it
T --preset small --seed 1 --max-steps 1 > "$TMP/m.json"
ok $(jq -e '.trajectories[0] | .termination_reason == "max_steps" and .step_count == 1' "$TMP/m.json" >/dev/null; echo $?) \
	"max-steps 1 ends max_steps"
T "${W[@]}" --count 3 --max-steps 40 --only-successful > "$TMP/o.json"
ok $(jq -e '(.trajectories | all(.success)) and .kept == (.trajectories | length) and .tried >= .kept' \
	"$TMP/o.json" >/dev/null; echo $?) "only-successful keeps successes and says how many were tried"
# The texts: every placeholder filled with the world's names, and a command line typed
# with the account held before the step (never the one it takes), never by a group.
for m in kali c2; do
	T --preset large --seed 1 --count 20 --max-steps 60 --mode $m
	for sd in 1 2 3 4 5 6; do T --preset medium --seed $sd --count 5 --max-steps 30 --mode $m; done
done | jq -s '[.[].trajectories[].steps[]]' > "$TMP/steps.json"
for sd in 1 2 3 4 5 6; do "$GEN" --preset medium --seed $sd; done | cat - <("$GEN" --preset large --seed 1) |
	jq -s '[.[].principals[] | select(.principal_type == "group") | .sam] | unique' > "$TMP/groups.json"
ok $(jq -e 'length > 500 and ([.[] | select(.command_name == "force-change-password")] | length) > 2' \
	"$TMP/steps.json" >/dev/null; echo $?) "a sample of steps ($(jq length "$TMP/steps.json")), password resets among them"
cat > "$TMP/placeholders.jq" <<'JQ'
.[] | .command | select(test("[{}]|(^|[ '\"/:@])(gpo_guid|gpo_name|outfile|hash_file|krbtgt_hash|domain_sid|domain_netbios|target_computer|target_host|target_user|dc_computer|dc_host|listener_host|new_password|found_password|nt_hash|base_dn|member|computer)($|[ '\"$])"))
JQ
bad=$(jq -r -f "$TMP/placeholders.jq" "$TMP/steps.json" 2>&1 | head -3)
ok $([ -z "$bad" ]; echo $?) "no placeholder left in a command line" "$bad"
cat > "$TMP/reset.jq" <<'JQ'
.[] | select(.command_name == "force-change-password") | .command
| (capture("-u (?<u>[^ ]+) .*set password (?<t>[^ ]+)") // empty) | select(.u == .t) | .u
JQ
bad=$(jq -r -f "$TMP/reset.jq" "$TMP/steps.json" 2>&1 | head -3)
ok $([ -z "$bad" ]; echo $?) "force-change-password is typed as the attacker, not as the account it resets" "$bad"
cat > "$TMP/whoami.jq" <<'JQ'
$groups[0] as $g | .[] | .output | select(test("whoami")) | capture("whoami\\n[^\\\\]+\\\\(?<a>.*)$") | .a
| select(. as $a | $g | index($a))
JQ
bad=$(jq -r --slurpfile groups "$TMP/groups.json" -f "$TMP/whoami.jq" "$TMP/steps.json" 2>&1 | head -3)
ok $([ -z "$bad" ]; echo $?) "a session runs as an account, never as a group" "$bad"
# --check fails on a step that was impossible, and on a success the replay does not reach.
T "${W[@]}" --count 3 --max-steps 40 > "$TMP/r.json"
jq '.trajectories[0].steps[0].actor = "d1-512"' "$TMP/r.json" > "$TMP/forged.json"
expect 1 "actor is not controlled before the step" "--check: a forged actor fails" --check "$TMP/forged.json" "${W[@]}"
# a GenericAll/GenericWrite step on a user, renamed to add-member (which acts on groups only)
T --preset medium --seed 4 --count 20 --max-steps 60 > "$TMP/mw.json"
jq '.trajectories |= map(.steps |= map(if (.target | startswith("u-")) and (.command_name |
	IN("force-change-password", "shadow-credentials", "targeted-kerberoast")) then .command_name = "add-member" else . end))' \
	"$TMP/mw.json" > "$TMP/forged.json"
if cmp -s "$TMP/mw.json" "$TMP/forged.json"; then
	ok 1 "--check: add-member on a user fails" "no GenericAll/GenericWrite step on a user to forge"
else
	expect 1 "does not act on this kind of object: user" "--check: add-member on a user fails" \
		--check "$TMP/forged.json" --preset medium --seed 4
fi
jq '.trajectories[1].success = (.trajectories[1].success | not)' "$TMP/r.json" > "$TMP/forged.json"
expect 1 "success disagrees" "--check: a false success fails" --check "$TMP/forged.json" "${W[@]}"
expect 1 "violations" "--check against another world fails" --check "$TMP/r.json" --preset small --seed 10
jq '.trajectories[2]' "$TMP/r.json" > "$TMP/one.json"
expect 0 "1 trajectories" "--check takes one stored record" --check "$TMP/one.json" "${W[@]}"
# A goal that exists but that no edge leads to (a subnet): greedy and recon-first stop at
# once; random and smart-random explore until nothing applies.
for s in greedy recon-first; do
	T "${W[@]}" --goal net-1 --strategy $s > "$TMP/n.json"
	ok $(jq -e '.trajectories[0] | (.success | not) and .termination_reason == "goal_unreachable" and .step_count == 0' \
		"$TMP/n.json" >/dev/null; echo $?) "$s toward an unreachable goal: goal_unreachable"
done
for s in random smart-random; do
	T "${W[@]}" --goal net-1 --strategy $s --max-steps 1000 --count 3 > "$TMP/n.json"
	ok $(jq -e '[.trajectories[] | (.success | not) and .termination_reason == "no_applicable_commands" and .step_count > 0] | all' \
		"$TMP/n.json" >/dev/null; echo $?) "$s toward an unreachable goal: no_applicable_commands" \
		"$(jq -c '[.trajectories[] | [.termination_reason, .step_count]]' "$TMP/n.json")"
	T "${W[@]}" --check "$TMP/n.json" > "$TMP/chk" 2>&1
	ok $? "$s toward an unreachable goal: every step replays" "$(head -3 "$TMP/chk")"
done
T "${W[@]}" --goal "No Such Group" > "$TMP/u.json"
ok $(jq -e '.trajectories[0] | (.success | not) and .termination_reason == "goal_unreachable"' "$TMP/u.json" >/dev/null; echo $?) \
	"unknown goal: goal_unreachable"
"$GEN" --preset small --seed 9 -o "$TMP/doc.json"
T --manifest "$TMP/doc.json" --count 5 --strategy smart-random > "$TMP/f.json"
ok $(cmp -s "$TMP/a.json" "$TMP/f.json"; echo $?) "--manifest FILE: the same trajectories as the world's flags"
sed 's/"sam":"/"sam":"x/' "$TMP/doc.json" > "$TMP/edited.json"
expect 1 "rebuilds byte for byte" "--manifest of an edited document is refused" --manifest "$TMP/edited.json"
expect 2 "takes the world from the document" "--manifest with world flags" --manifest "$TMP/doc.json" --seed 3
expect 2 "--strategy: Input should be 'random'" "bad strategy" --strategy best
expect 2 "no agent runtime" "mode agent" --mode agent
expect 2 "--count: Input should be less than or equal to 100" "count 101" --count 101
expect 2 "--max-steps: Input should be greater than or equal to 1" "max-steps 0" --max-steps 0
expect 2 "--threads: Input should be less than or equal to 16" "threads 17" --threads 17
expect 2 "--count: Input should be a valid integer" "count x" --count x
expect 2 "--hosts: Input should be less than or equal to 10000" "world flags checked" --hosts 10001
expect 0 "usage: worlds-gen trajectories" "--help" --help
done_testing
