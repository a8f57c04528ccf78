#!/bin/bash
# Same parameters and seed give the same sha256 in separate processes; another seed gives
# another world; when only num_hosts changes, the parts docs/world-model.md names stay.
. "$(dirname "$0")/lib.sh"
need_jq
args="--preset medium --users 400 --hosts 60 --seed 8675309"
"$GEN" $args -o "$TMP/a.json"; "$GEN" $args > "$TMP/b.json"
a=$(sha256sum < "$TMP/a.json"); b=$(sha256sum < "$TMP/b.json")
ok $([ "$a" = "$b" ]; echo $?) "two processes, one sha256" "a=$a b=$b"
"$GEN" --preset medium --users 400 --hosts 60 --seed 8675310 -o "$TMP/c.json"
c=$(sha256sum < "$TMP/c.json")
ok $([ "$a" != "$c" ]; echo $?) "the next seed gives another world"
ok $(cmp -s <(jq -c '.principals[0:50]' "$TMP/a.json") <(jq -c '.principals[0:50]' "$TMP/c.json"); [ $? -ne 0 ]; echo $?) \
	"different seeds draw different people"
for h in 10 25 160; do
	"$GEN" --preset small --users 200 --hosts $h --seed 77 -o "$TMP/h$h.json"
done
fixed='{domains, sites, ous, gpos, people: [.principals[] | select(.principal_type == "user")],
	groups: [.principals[] | select(.principal_type == "group") | {principal_id, sid, sam, dn}],
	service_accounts: [.principals[] | select(.principal_type == "service_account") | {principal_id, sid, sam, dn, description}]}'
for h in 25 160; do
	jq -cS "$fixed" "$TMP/h10.json" > "$TMP/f10"; jq -cS "$fixed" "$TMP/h$h.json" > "$TMP/f$h"
	ok $(cmp -s "$TMP/f10" "$TMP/f$h"; echo $?) "10 vs $h hosts: domains, sites, OUs, GPOs, people, group and service account identities stay" \
		"$(diff <(jq . "$TMP/f10") <(jq . "$TMP/f$h") | head -10)"
	n=$(jq '.hosts | length' "$TMP/h$h.json")
	ok $([ "$n" = "$h" ]; echo $?) "$h hosts asked, $n made"
done
done_testing
