#!/bin/bash
# Documents validate against docs/manifest.schema.json with a real JSON Schema 2020-12
# validator (ajv-cli from npm, installed once into the build tree), and a document that
# breaks the schema is refused. Skips when npm or its registry is not reachable.
. "$(dirname "$0")/lib.sh"
need_jq
schema="$top_srcdir/docs/manifest.schema.json"
cache="$top_builddir/tests/gen/.npm-ajv"
ajv="$cache/node_modules/.bin/ajv"
if [ ! -x "$ajv" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "1..0 # SKIP npm is not installed: cannot fetch ajv-cli"
		exit 0
	fi
	mkdir -p "$cache"
	if ! npm install --prefix "$cache" --no-audit --no-fund --silent ajv-cli@5 > "$TMP/npm.log" 2>&1; then
		echo "1..0 # SKIP npm install ajv-cli failed (registry unreachable?): $(tail -1 "$TMP/npm.log")"
		exit 0
	fi
fi
validate() { # FILE DESCRIPTION
	"$ajv" validate --spec=draft2020 --strict=false -s "$schema" -d "$1" > "$TMP/ajv.out" 2>&1
	ok $? "$2" "$(head -c 600 "$TMP/ajv.out")"
}
"$ajv" compile --spec=draft2020 --strict=false -s "$schema" > "$TMP/ajv.out" 2>&1
ok $? "the schema compiles" "$(head -5 "$TMP/ajv.out")"
for p in small medium large enterprise; do
	"$GEN" --preset $p --seed 21 -o "$TMP/$p.json"
	validate "$TMP/$p.json" "preset $p validates"
done
"$GEN" --users 1 --hosts 1 --seed 2 -o "$TMP/one.json"
validate "$TMP/one.json" "1 user, 1 host validates"
d16=""; for i in $(seq 1 16); do d16="$d16 --domain d$i.corp.test"; done
"$GEN" --users 40 --hosts 20 $d16 --seed 3 -o "$TMP/d16.json"
validate "$TMP/d16.json" "16 domains validate"
"$GEN" --domain corp --users 30 --hosts 5 --seed 4 -o "$TMP/single.json"
validate "$TMP/single.json" "a single-label domain validates"
validate "$top_srcdir/tests/gen/broken/base.json" "the checker's base document validates"
for bad in '.principals[0].principal_type = "wizard"' '.edges[0].edge_type = "Teleport"' \
	'del(.hosts[0].ip)' '.seed = "12"' '.principals[0].extra = 1'; do
	jq -c "$bad" "$TMP/one.json" > "$TMP/bad.json"
	"$ajv" validate --spec=draft2020 --strict=false -s "$schema" -d "$TMP/bad.json" > /dev/null 2>&1
	ok $([ $? -ne 0 ]; echo $?) "the schema refuses: $bad"
done
done_testing
