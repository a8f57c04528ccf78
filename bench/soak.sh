#!/usr/bin/env bash
# bench/soak.sh: mixed traffic with things dying underneath, then an audit of every answer
# against the database (docs/reliability.md).
#
# For --seconds N (default 300), 32 client loops (curl over nginx TLS, 127.0.0.1 only) send
# creates with and without Idempotency-Key, gets, lists, cancels, invalid bodies and bad
# tokens, and log every answer to a ledger. A chaos loop at random intervals kill -9s a
# running generator, a worker, the whole worlds-api (restarted with `scripts/stack
# api-start`, as an operator would), and restarts PostgreSQL once; each fault's window
# (start to recovery plus a grace) is logged. Then the queue is drained and audited:
#   lost        a 202 job not in the database, or not terminal after the drain
#   manifest    a completed job without exactly one manifest, or whose sha256 differs from
#               worlds-gen offline for its parameters
#   duplicate   one Idempotency-Key answered with two job ids, or a job with two manifests
#   5xx         a 5xx to a request that was not in flight during a fault window
#   envelope    a client-error request answered other than its 4xx and envelope type
# Prints the counts; exits 1 on any violation, 2 when the stack cannot start.
#
#   bench/soak.sh [--seconds N] [--clients N] [--build DIR]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=300 clients=32 build=${WORLDS_BUILD_DIR:-$top/build}
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--clients) clients=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: bench/soak.sh [--seconds N] [--clients N] [--build DIR]" >&2; exit 2 ;;
	esac
done
build=$(cd "$build" && pwd) || exit 2
for tool in curl jq psql sha256sum; do
	command -v $tool >/dev/null || { echo "soak: $tool missing" >&2; exit 2; }
done
GRACE_MS=3000

. "$top/tests/lib/stack.sh"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	stack_temp_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM
stack_temp_start --bindir "$build" --no-rate-limit --workers 4 --log-level warn || exit 2
tmp=$STACK_DIR/soak
mkdir -p "$tmp/ledger"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$WORLDS_DATABASE_URL" -c "$1"; }
ctl() { "$WORLDSCTL" --config "$WORLDS_CONFIG" "$@" >/dev/null 2>&1 || { echo "soak: worldsctl $1 $2 failed" >&2; exit 2; }; }

{
	echo "max_active_jobs_per_workspace = 1000000"
	echo "max_generators = 2"
	echo "tick_interval_ms = 500"
} >>"$WORLDS_CONFIG"
ctl keygen --dir "$tmp" --name soak
cp "$tmp/soak.public" "$WORLDS_KEYS_DIR/soak.public"
"$STACK" api-stop --dir "$STACK_DIR" >/dev/null 2>&1
"$STACK" api-start --dir "$STACK_DIR" >/dev/null 2>&1 || { echo "soak: api-start failed" >&2; exit 2; }
ctl org add soak --name Soak
ctl workspace add soak main --name Main
ctl user add --email soak@example.com --username soak --full-name "Soak User"
ctl member add --user soak@example.com --org soak --workspace main --role admin
token=$("$WORLDSCTL" --config "$WORLDS_CONFIG" token issue --user soak@example.com \
	--ttl 3600 --key "$tmp/soak.secret" 2>/dev/null) || { echo "soak: token issue failed" >&2; exit 2; }
base=$BASE_URL/api/v1/org/soak/ws/main/worlds
for _ in $(seq 50); do
	[ "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/jobs")" = 200 ] && break
	sleep 0.2
done

# Small worlds from a few parameter sets, so that generators keep up and the offline
# check computes each distinct set once.
body_for() { # seed
	local presets=(small small medium)
	echo "{\"preset\":\"${presets[$(($1 % 3))]}\",\"num_users\":$((10 + $1 % 7)),\"num_hosts\":$((5 + $1 % 4)),\"seed\":$1,\"name\":\"soak\"}"
}
# A few bigger ones (storing them takes a generator a good fraction of a second).
big_body_for() { # 0..3
	echo "{\"preset\":\"large\",\"num_users\":12000,\"num_hosts\":2400,\"seed\":$((1000 + $1)),\"name\":\"soak-cancel\"}"
}

# One client: random operations until the deadline; ledger lines are
#   start_ms end_ms op http_code job_id expect_type
client() {
	local i=$1 deadline=$2 led=$tmp/ledger/$i out=$tmp/out.$i ids=() r op code id seed key exp body cancel_now
	local auth="Authorization: Bearer $token" ct="Content-Type: application/json"
	while [ "$(now_ms)" -lt "$deadline" ]; do
		r=$((RANDOM % 100)) id="-" exp="-"
		local t0; t0=$(now_ms)
		cancel_now=0
		if [ $r -lt 12 ]; then
			op=create seed=$((RANDOM % 40)) body=
			if [ $((RANDOM % 8)) -eq 0 ]; then
				# A bigger world, cancelled as soon as it is accepted: a small world is
				# complete by the time its 202 is read, so without these no cancel would
				# ever reach a queued or running job.
				body=$(big_body_for $((RANDOM % 4))) cancel_now=1
			fi
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" -H "$ct" -d "${body:-$(body_for $seed)}" "$base/manifests")
		elif [ $r -lt 20 ]; then
			# A key per client and seed: the same key always carries the same body.
			seed=$((RANDOM % 40)) op=create-key key="soak-$i-$seed"
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" -H "$ct" -H "Idempotency-Key: $key" -d "$(body_for $seed)" "$base/manifests")
			op="create-key:$key"
		elif [ $r -lt 50 ] && [ ${#ids[@]} -gt 0 ]; then
			op=get id=${ids[$((RANDOM % ${#ids[@]}))]}
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" "$base/jobs/$id")
		elif [ $r -lt 65 ]; then
			op=list
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" "$base/jobs?page_size=20")
		elif [ $r -lt 72 ] && [ ${#ids[@]} -gt 0 ]; then
			op=cancel id=${ids[$((RANDOM % ${#ids[@]}))]}
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -X POST -H "$auth" "$base/jobs/$id/cancel")
		elif [ $r -lt 80 ]; then
			op=bad-body exp=validation_error
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" -H "$ct" -d '{"num_users":"many","preset":"huge"}' "$base/manifests")
		elif [ $r -lt 85 ]; then
			op=bad-json exp=invalid_error
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" -H "$ct" -d '{"seed":' "$base/manifests")
		elif [ $r -lt 92 ]; then
			op=bad-token exp=token_error
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "Authorization: Bearer v4.public.bm90IGEgdG9rZW4" "$base/jobs")
		else
			op=no-route exp=not_found_error
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -H "$auth" "$base/nothing-here")
		fi
		case $op in create*)
			if [ "$code" = 202 ] || [ "$code" = 200 ]; then
				id=$(jq -r '.id // "-"' "$out" 2>/dev/null)
				[ "$id" != "-" ] && ids+=("$id")
			fi ;;
		esac
		if [ "$exp" != "-" ] && [ "${code:0:1}" = 4 ]; then
			# The envelope's type, recorded as what came back.
			exp="$exp/$(jq -r '.type // "none"' "$out" 2>/dev/null || echo unparsable)"
		fi
		echo "$t0 $(now_ms) $op $code ${id:--} $exp" >>"$led"
		if [ "$cancel_now" = 1 ] && [ "${id:--}" != - ]; then
			t0=$(now_ms)
			code=$(curl -sk -m 20 -o "$out" -w '%{http_code}' -X POST -H "$auth" "$base/jobs/$id/cancel")
			echo "$t0 $(now_ms) cancel $code $id -" >>"$led"
		fi
	done
}

faults=$tmp/faults
fault() { echo "$1 $(($(now_ms) + GRACE_MS)) $2" >>"$faults"; }
api_master() { head -n1 "$STACK_DIR/run/worlds-api.pid" 2>/dev/null | tr -dc 0-9; }
wait_healthy() {
	local _
	for _ in $(seq 100); do
		[ "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/jobs?page_size=1")" = 200 ] && return 0
		sleep 0.2
	done
	return 1
}
kills_gen=0 kills_worker=0 kills_api=0 pg_restarts=0
chaos() {
	local deadline=$1 n=0 t m p
	local -a gens workers
	while :; do
		sleep "$((5 + RANDOM % 8))"
		[ "$(now_ms)" -lt "$deadline" ] || break
		n=$((n + 1))
		t=$(now_ms)
		case $((n % 4)) in
		1)
			# A generator of this stack: its binary lives in our build directory.
			for _ in $(seq 50); do
				mapfile -t gens < <(pgrep -f "^$WORLDS_GEN --job" || true)
				[ ${#gens[@]} -gt 0 ] && break
				sleep 0.1
			done
			if [ ${#gens[@]} -gt 0 ]; then
				kill -9 "${gens[0]}" 2>/dev/null && echo "gen" >>"$tmp/kills"
				fault "$t" kill-generator
			fi ;;
		2)
			m=$(api_master)
			mapfile -t workers < <(pgrep -P "$m" -x worlds-api || true)
			if [ ${#workers[@]} -gt 0 ]; then
				kill -9 "${workers[0]}" 2>/dev/null && echo "worker" >>"$tmp/kills"
				sleep 1
				fault "$t" kill-worker
			fi ;;
		3)
			m=$(api_master)
			if [ -n "$m" ]; then
				mapfile -t workers < <(pgrep -P "$m" -x worlds-api || true)
				kill -9 "$m" "${workers[@]}" 2>/dev/null && echo "api" >>"$tmp/kills"
				sleep 1
				"$STACK" api-start --dir "$STACK_DIR" >>"$tmp/chaos.log" 2>&1
				wait_healthy
				fault "$t" kill-api
			fi ;;
		0)
			if ! [ -f "$tmp/pg-restarted" ]; then
				touch "$tmp/pg-restarted"
				"$STACK" pg-stop --dir "$STACK_DIR" >>"$tmp/chaos.log" 2>&1
				sleep 2
				"$STACK" pg-start --dir "$STACK_DIR" >>"$tmp/chaos.log" 2>&1
				wait_healthy
				fault "$t" restart-postgresql
			fi ;;
		esac
	done
}

start=$(now_ms)
deadline=$((start + seconds * 1000))
echo "soak: $clients clients for ${seconds}s against $BASE_URL (stack $STACK_DIR)"
for i in $(seq "$clients"); do
	client "$i" "$deadline" &
	pids+=($!)
done
chaos "$deadline" &
pids+=($!)
wait
pids=()
touch "$faults" "$tmp/kills"

# The queue drains: the tick restarts what a kill left behind.
drain_start=$(now_ms)
left=-1
for _ in $(seq 600); do
	left=$(sql "SELECT count(*) FROM jobs WHERE status IN ('queued','running')" 2>/dev/null || echo -1)
	[ "$left" = 0 ] && break
	sleep 1
done
drain_s=$((($(now_ms) - drain_start) / 1000))

# ---- audit ------------------------------------------------------------------------------
cat "$tmp"/ledger/* >"$tmp/ledger.all"
requests=$(wc -l <"$tmp/ledger.all")
violations=0
bad() { echo "VIOLATION $1"; violations=$((violations + 1)); }

# Every job a create answered must exist and be terminal.
awk '($3 ~ /^create/) && ($4 == 202 || $4 == 200) && $5 != "-" { print $5 }' "$tmp/ledger.all" | sort -u >"$tmp/ids"
accepted=$(wc -l <"$tmp/ids")
sql "SELECT id || ' ' || status FROM jobs" | sort >"$tmp/db-jobs"
lost=$(join -v1 "$tmp/ids" "$tmp/db-jobs" | wc -l)
nonterminal=$(join "$tmp/ids" "$tmp/db-jobs" | awk '$2 != "completed" && $2 != "failed" && $2 != "cancelled"' | wc -l)
[ "$lost" -eq 0 ] || bad "$lost accepted jobs missing from the database"
[ "$nonterminal" -eq 0 ] || bad "$nonterminal accepted jobs not terminal after ${drain_s}s of drain"
for s in completed failed cancelled; do
	eval "n_$s=\$(join \"\$tmp/ids\" \"\$tmp/db-jobs\" | awk -v s=$s '\$2 == s' | wc -l)"
done

# Completed: exactly one manifest, whose sha256 is worlds-gen's offline for the params.
nomanifest=$(sql "SELECT count(*) FROM jobs j WHERE j.status = 'completed' AND (SELECT count(*) FROM manifests m WHERE m.source_job_id = j.id) <> 1")
[ "$nomanifest" -eq 0 ] || bad "$nomanifest completed jobs without exactly one manifest"
dupmanifest=$(sql "SELECT count(*) FROM (SELECT source_job_id FROM manifests GROUP BY 1 HAVING count(*) > 1) d")
[ "$dupmanifest" -eq 0 ] || bad "$dupmanifest jobs with more than one manifest"
checked=0 mismatched=0
declare -A offline
while IFS='|' read -r id sha preset users hosts seed; do
	k="$preset/$users/$hosts/$seed"
	if [ -z "${offline[$k]:-}" ]; then
		offline[$k]=$("$WORLDS_GEN" --preset "$preset" --users "$users" --hosts "$hosts" --seed "$seed" | sha256sum | cut -d' ' -f1)
	fi
	checked=$((checked + 1))
	[ "${offline[$k]}" = "$sha" ] || { mismatched=$((mismatched + 1)); echo "# job $id: stored $sha, offline ${offline[$k]} ($k)"; }
done < <(sql "SELECT j.id, m.sha256, j.params->>'preset', j.params->>'num_users', j.params->>'num_hosts', j.params->>'seed' FROM jobs j JOIN manifests m ON m.source_job_id = j.id WHERE j.status = 'completed'")
[ "$mismatched" -eq 0 ] || bad "$mismatched manifests differ from worlds-gen offline"

# One key, one job.
dupkeys=$(awk '$3 ~ /^create-key:/ && ($4 == 202 || $4 == 200) { print $3, $5 }' "$tmp/ledger.all" | sort -u | awk '{ print $1 }' | uniq -d | wc -l)
[ "$dupkeys" -eq 0 ] || bad "$dupkeys idempotency keys answered with more than one job"
reruns=$(sql "SELECT count(*) FROM jobs WHERE attempts > 1")

# 5xx only for requests in flight during a fault window (start..recovery+grace).
awk 'NR == FNR { fs[NR] = $1; fe[NR] = $2; nf = NR; next }
	$4 ~ /^5/ || $4 == "000" {
		ok = 0
		for (k = 1; k <= nf; k++) if ($1 <= fe[k] && $2 >= fs[k]) ok = 1
		print (ok ? "excused" : "unexpected"), $0
	}' "$faults" "$tmp/ledger.all" >"$tmp/5xx"
fivexx=$(grep -c '^excused' "$tmp/5xx")
unexpected=$(grep -c '^unexpected' "$tmp/5xx")
[ "$unexpected" -eq 0 ] || { bad "$unexpected 5xx (or no answer) outside fault windows"; grep '^unexpected' "$tmp/5xx" | head -5; }

# Client errors: their status and envelope type, unless a fault excuses a 5xx.
envbad=$(awk '$6 != "-" {
		split($6, a, "/"); want = a[1]; got = a[2]
		if ($4 ~ /^5/ || $4 == "000") next
		code = (want == "validation_error") ? 422 : (want == "token_error") ? 401 : (want == "not_found_error") ? 404 : 400
		if ($4 != code || got != want) print
	}' "$tmp/ledger.all" | tee "$tmp/envbad" | wc -l)
[ "$envbad" -eq 0 ] || { bad "$envbad client-error requests without their 4xx envelope"; head -5 "$tmp/envbad"; }

dur=$((($(now_ms) - start) / 1000))
echo "soak: ${seconds}s, $clients clients, $requests requests ($((requests / seconds))/s)"
awk '{ split($3, o, ":"); n[o[1]]++ } END { for (k in n) printf "  %-10s %d\n", k, n[k] }' "$tmp/ledger.all" | sort
echo "  answers: $(awk '{ n[$4]++ } END { for (k in n) printf "%s=%d ", k, n[k] }' "$tmp/ledger.all")"
echo "jobs: $accepted accepted; completed $n_completed, failed $n_failed, cancelled $n_cancelled; $reruns rerun after a kill; drained in ${drain_s}s"
echo "faults: $(grep -c gen "$tmp/kills") generators, $(grep -c worker "$tmp/kills") workers, $(grep -c api "$tmp/kills") whole worlds-api killed; $( [ -f "$tmp/pg-restarted" ] && echo 1 || echo 0) PostgreSQL restart"
echo "audit: $lost lost, $nonterminal not terminal, $checked manifests checked against worlds-gen ($mismatched differ), $dupmanifest duplicated, $dupkeys keys with two jobs, $fivexx 5xx in fault windows, $unexpected unexpected 5xx, $envbad bad 4xx envelopes"
echo "soak: $violations violations (total ${dur}s)"
[ "$violations" -eq 0 ]
