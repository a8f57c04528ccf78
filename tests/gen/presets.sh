#!/bin/bash
# Every preset and the edges pass worldsctl check: 1 user + 1 host, the maximum
# (50000 users, 10000 hosts, 3 domains), 16 domains, a single-label domain.
. "$(dirname "$0")/lib.sh"
run() {
	local what="$1"; shift
	if ! "$GEN" "$@" -o "$TMP/w.json" 2> "$TMP/err"; then
		ok 1 "$what: generated" "$(cat "$TMP/err")"
		return
	fi
	"$CTL" check "$TMP/w.json" > "$TMP/out" 2>&1
	ok $? "$what passes worldsctl check" "$(head -5 "$TMP/out")"
}
for p in small medium large enterprise; do
	run "preset $p" --preset $p --seed 11
done
run "1 user, 1 host" --users 1 --hosts 1 --seed 3
run "1 user, 1 host, other seed" --users 1 --hosts 1 --seed -3
run "50000 users, 10000 hosts, 3 domains" --preset enterprise --users 50000 --hosts 10000 --seed 2026
d16=""
for i in $(seq 1 16); do d16="$d16 --domain d$i.example"; done
run "16 domains" --preset small $d16 --seed 5
run "16 domains in two forests" --users 16 --hosts 16 --domain corp.local --domain a.corp.local \
	--domain b.corp.local --domain c.a.corp.local --domain x.test --domain y.x.test --domain z.test \
	--domain w1.corp.local --domain w2.corp.local --domain w3.corp.local --domain w4.corp.local \
	--domain w5.corp.local --domain w6.corp.local --domain w7.corp.local --domain w8.corp.local \
	--domain w9.corp.local --seed 9
run "a single-label domain" --domain corp --seed 8
run "a 253-character domain" --domain "$(printf 'a%.0s' $(seq 1 63)).$(printf 'b%.0s' $(seq 1 63)).$(printf 'c%.0s' $(seq 1 63)).$(printf 'd%.0s' $(seq 1 61))" --seed 1
"$CTL" check - < "$TMP/w.json" > /dev/null 2>&1
ok $? "check reads standard input"
done_testing
