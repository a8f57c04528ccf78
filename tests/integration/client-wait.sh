#!/usr/bin/env bash
# job-wait: exit 1 for a failed job, 3 cancelled, 4 when --timeout-sec runs out (the
# completed case, exit 0, is client-verbs.sh's); timestamped lines when stderr is not a
# terminal; one line redrawn in place under tmux, with an ETA once progress moves; Ctrl-C
# stops the wait and leaves the job running, --cancel-on-interrupt cancels it.
# The jobs stay queued (the generator is /bin/true) and a stand-in generator (a psql
# session holding the job's lock) moves them, so every state is the test's to set.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
. "$(dirname "$0")/client/lib.bash"
api_fixture
client_setup
af_conf generator /bin/true

new_job() {
	cl -q manifest-create --name "wait-$1"
	echo "$CL_OUT" >>"$T_TMP/jobs"
	echo "$CL_OUT"
}
touch "$T_TMP/jobs"
af_cancel_later "$CL_BASE" "$T_TMP/jobs"
status_of() { curl_json "$CL_BASE/jobs/$1" | jq -r .status; }

# Timed out, then cancelled.
j=$(new_job timeout)
start=$(date +%s%N)
cl job-wait "$j" --timeout-sec 1 --poll-interval-sec 0.3
took=$((($(date +%s%N) - start) / 1000000))
expect_rc 4 "job-wait --timeout-sec 1 on a queued job: exit 4"
expect_err_has "worlds: timed out after 1 s; job $j is queued and goes on" "the timeout is said"
check "it waited about a second" yes "$([ "$took" -ge 900 ] && [ "$took" -lt 5000 ] && echo yes || echo "no: $took ms")"
check "the job is untouched" queued "$(status_of "$j")"
cl job-cancel "$j"
cl job-wait "$j"
expect_rc 3 "job-wait on a cancelled job: exit 3"
expect_err_has "worlds: job $j was cancelled" "the cancellation is said"

# Failed, watched through a pipe: a timestamped line per change.
j=$(new_job failed)
"$WORLDS_CLI" job-wait "$j" --poll-interval-sec 0.2 >"$T_TMP/w.out" 2>"$T_TMP/w.err" &
wpid=$!
sleep 0.6
standin_claim "$j" 0.25
wait_until 5 grep -q ' running 25% ' "$T_TMP/w.err"
standin_sql "UPDATE jobs SET progress = 0.5 WHERE id = '$j'"
wait_until 5 grep -q ' running 50% ' "$T_TMP/w.err"
standin_sql "UPDATE jobs SET status = 'failed', error = 'stand-in: boom', completed_at = now() WHERE id = '$j'"
wait "$wpid"
check "job-wait on a job that fails: exit 1" 1 $?
standin_end
check "the failure and its error are said" yes \
	"$(grep -qxF "worlds: job $j failed: stand-in: boom" "$T_TMP/w.err" && echo yes || cat "$T_TMP/w.err")"
check "not a terminal: one timestamped line per change" "queued 0%|running 25%|running 50%|failed 50%" \
	"$(grep -E "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z job $j [a-z]+ [0-9]+% \([0-9]+:[0-9]{2}\)$" "$T_TMP/w.err" |
		awk '{ print $4, $5 }' | paste -sd'|')"
check "no escape sequence when not a terminal" 0 "$(grep -c $'\033' "$T_TMP/w.err")"
check "the final job on stdout" "failed" "$(sed -n 's/^status  *//p' "$T_TMP/w.out")"

# Under tmux: the line a person sees, redrawn in place.
j=$(new_job tmux)
sock=$T_TMP/tmux.sock
cat >"$T_TMP/tw.sh" <<EOF
export HOME='$HOME' WORLDS_SERVER='$WORLDS_SERVER' WORLDS_CACERT='$WORLDS_CACERT'
export WORLDS_ORGANIZATION='$WORLDS_ORGANIZATION' WORLDS_WORKSPACE='$WORLDS_WORKSPACE' WORLDS_TOKEN='$WORLDS_TOKEN'
'$WORLDS_CLI' job-wait '$j' --poll-interval-sec 0.2
echo "exit=\$?"
sleep 60
EOF
if ! command -v tmux >/dev/null; then
	skip "the progress line under tmux" "tmux is not installed (apt-get install tmux)"
else
	tmux -S "$sock" new-session -d -x 160 -y 20 "bash '$T_TMP/tw.sh'"
	on_exit tmux -S "$sock" kill-server
	pane() { tmux -S "$sock" capture-pane -p -J | grep -v '^$'; }
	short=${j:0:8}
	wait_until 5 bash -c "tmux -S '$sock' capture-pane -p | grep -q 'job $short \[.*0%  queued'" &&
		ok "tmux: the line shows the queued job" || not_ok "tmux: the line shows the queued job" "job $short [...] 0% queued" "$(pane)"
	standin_claim "$j" 0.2
	wait_until 5 bash -c "tmux -S '$sock' capture-pane -p | grep -q ' 20%  running '" &&
		ok "tmux: the same line moves to running 20%" || not_ok "tmux: running 20%" "20%  running" "$(pane)"
	standin_sql "UPDATE jobs SET progress = 0.6 WHERE id = '$j'"
	wait_until 5 bash -c "tmux -S '$sock' capture-pane -p | grep -q ' 60%  running .* ETA [0-9]'" &&
		ok "tmux: an ETA once progress moves" || not_ok "tmux: an ETA once progress moves" "60%  running ... ETA m:ss" "$(pane)"
	line=$(pane | grep "job $short \[")
	echo "# the progress line under tmux: $line"
	check "tmux: one line, redrawn in place (not one per poll)" 1 "$(pane | grep -c "job $short \[")"
	check "tmux: the bar is 60% full" "job $short [########################----------------]  60%  running" \
		"$(sed -E 's/(running).*/\1/' <<<"$line")"
	tmux -S "$sock" send-keys C-c
	wait_until 5 bash -c "tmux -S '$sock' capture-pane -p | grep -q '^exit='" || true
	check "tmux: Ctrl-C ends the wait with exit 130" "exit=130" "$(pane | grep '^exit=')"
	check "tmux: it says the job goes on" \
		"worlds: interrupted: stopped waiting; job $j goes on, not cancelled (worlds job-cancel $j stops it)" \
		"$(pane | grep '^worlds: interrupted')"
	check "tmux: the job still runs" running "$(status_of "$j")"
	standin_sql "UPDATE jobs SET status = 'failed', error = 'done', completed_at = now() WHERE id = '$j'"
	standin_end
fi

# --cancel-on-interrupt: Ctrl-C cancels.
j=$(new_job cancel-on-interrupt)
"$WORLDS_CLI" job-wait "$j" --cancel-on-interrupt --poll-interval-sec 0.2 >"$T_TMP/c.out" 2>"$T_TMP/c.err" &
cpid=$!
wait_until 5 grep -q " queued 0% " "$T_TMP/c.err"
kill -INT "$cpid"
wait "$cpid"
check "--cancel-on-interrupt: exit 130" 130 $?
check "--cancel-on-interrupt: says what it did" \
	"worlds: interrupted: cancelling job $j|worlds: job $j is cancelled" \
	"$(grep '^worlds: ' "$T_TMP/c.err" | paste -sd'|')"
check "--cancel-on-interrupt: the job is cancelled" cancelled "$(status_of "$j")"
