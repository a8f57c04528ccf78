#!/bin/bash
# 200 random (seed, counts, domains) combinations, mostly small, all pass worldsctl check.
. "$(dirname "$0")/lib.sh"
RANDOM=20260101
pool=(corp.local emea.corp.local dev.corp.local a.emea.corp.local partner.local lab
	x.partner.local zeta.example example research.lab q-1.example 0day.test ops.corp.local)
for i in $(seq 1 200); do
	nd=$((1 + RANDOM % 4)); [ $((RANDOM % 25)) -eq 0 ] && nd=$((5 + RANDOM % 9))
	args=() ; used=" "
	for ((k = 0; k < nd; k++)); do
		d=${pool[RANDOM % ${#pool[@]}]}
		case "$used" in *" $d "*) continue ;; esac
		used="$used$d "; args+=(--domain "$d")
	done
	n=$(( ${#args[@]} / 2 ))
	users=$((n + RANDOM % 150)); hosts=$((n + RANDOM % 40))
	[ $((RANDOM % 10)) -eq 0 ] && users=$((n + RANDOM % 3000)) && hosts=$((n + RANDOM % 600))
	seed=$(( (RANDOM << 30 | RANDOM << 15 | RANDOM) - 500000000 ))
	desc="--users $users --hosts $hosts --seed $seed ${args[*]}"
	if ! "$GEN" --users $users --hosts $hosts --seed $seed "${args[@]}" -o "$TMP/w.json" 2> "$TMP/err"; then
		ok 1 "$desc" "$(cat "$TMP/err")"
		continue
	fi
	"$CTL" check "$TMP/w.json" > "$TMP/out" 2>&1
	ok $? "$desc" "$(head -5 "$TMP/out")"
done
done_testing
