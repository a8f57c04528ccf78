#!/bin/bash
# bench/gen.sh [BUILD_DIR]: generator speed. Every preset (time, size, counts), the
# enterprise maximum (50000 users, 10000 hosts, 3 domains) under /usr/bin/time -v (wall,
# peak RSS, MB/s, entities/s), and a flat baseline: Node with @faker-js/faker (installed
# into a temp dir) writing 50000 users and 10000 hosts as JSON with a fixed seed.
# Goals: maximum <= 0.5 s and <= 128 MB on one thread; >= 5x faster than the baseline.
set -u
build=${1:-.}
gen="$build/worlds-gen"
[ -x "$gen" ] || { echo "bench/gen.sh: no $gen (pass the build directory)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench/gen.sh: needs jq" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
runs=${RUNS:-5}

# Best wall time of $runs runs, in seconds, and the peak RSS of that run in KB.
measure() { # OUT ARGS...
	local out=$1 best="" rss="" t r; shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -v "$gen" "$@" -o "$out" 2> "$tmp/time" || { cat "$tmp/time" >&2; exit 1; }
		t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
			for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tmp/time")
		r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t; rss=$r
		fi
	done
	echo "$best $rss"
}

echo "worlds-gen $("$gen" --version | sed 's/^worlds-gen //'), $(nproc) CPUs, best of $runs runs"
echo
printf '%-12s %8s %9s %7s %7s %11s %9s %8s %9s\n' preset users hosts domains "time s" "size MB" principals edges "RSS MB"
for p in small medium large enterprise; do
	read -r t rss < <(measure "$tmp/$p.json" --preset "$p" --seed 42)
	jq -r --arg p "$p" --arg t "$t" --arg rss "$rss" --arg size "$(stat -c %s "$tmp/$p.json")" \
		'[$p, .parameters.num_users, .parameters.num_hosts, (.domains | length), $t,
		  (($size | tonumber) / 1e6 * 100 | round / 100), .stats.total_principals, .stats.total_edges,
		  (($rss | tonumber) / 1024 | round)] | @tsv' "$tmp/$p.json" |
		awk -F'\t' '{ printf "%-12s %8s %9s %7s %7s %11s %9s %8s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
done
echo
read -r t rss < <(measure "$tmp/max.json" --preset enterprise --users 50000 --hosts 10000 --seed 42)
size=$(stat -c %s "$tmp/max.json")
ents=$(jq '.stats | .total_principals + .total_hosts + .total_edges + .total_services + .total_credentials + .total_artifacts' "$tmp/max.json")
echo "enterprise maximum (50000 users, 10000 hosts, 3 domains):"
awk -v t="$t" -v rss="$rss" -v size="$size" -v e="$ents" 'BEGIN {
	printf "  wall %.3f s (goal <= 0.5)   peak RSS %.1f MB (goal <= 128)\n", t, rss / 1024
	printf "  %.1f MB written: %.0f MB/s; %d entities (principals, hosts, edges, services, credentials, artifacts): %.2f M/s\n",
		size / 1e6, size / 1e6 / t, e, e / t / 1e6 }'

echo
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
	echo "baseline: skipped (node/npm not installed)"
	exit 0
fi
mkdir -p "$tmp/faker"
if ! npm install --prefix "$tmp/faker" --no-audit --no-fund --silent @faker-js/faker > "$tmp/npm.log" 2>&1; then
	echo "baseline: skipped (npm install @faker-js/faker failed: $(tail -1 "$tmp/npm.log"))"
	exit 0
fi
cat > "$tmp/faker/flat.mjs" <<'JS'
import { faker } from '@faker-js/faker';
import { writeFileSync } from 'node:fs';
faker.seed(42);
const users = [];
for (let i = 0; i < 50000; i++) {
	const firstName = faker.person.firstName(), lastName = faker.person.lastName();
	users.push({ name: `${firstName} ${lastName}`, email: faker.internet.email({ firstName, lastName }),
		username: faker.internet.username({ firstName, lastName }), title: faker.person.jobTitle() });
}
const hosts = [];
for (let i = 0; i < 10000; i++)
	hosts.push({ hostname: faker.internet.domainWord(), ip: faker.internet.ipv4() });
writeFileSync(process.argv[2], JSON.stringify({ users, hosts }));
JS
best=""
for _ in $(seq "$runs"); do
	/usr/bin/time -f %e node "$tmp/faker/flat.mjs" "$tmp/flat.json" 2> "$tmp/ft" || { cat "$tmp/ft"; exit 1; }
	ft=$(tail -1 "$tmp/ft")
	if [ -z "$best" ] || awk -v a="$ft" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ft; fi
done
echo "baseline: node + @faker-js/faker $(node -p "require('$tmp/faker/node_modules/@faker-js/faker/package.json').version"), 50000 users + 10000 hosts, flat JSON ($(stat -c %s "$tmp/flat.json") bytes)"
awk -v f="$best" -v t="$t" 'BEGIN { printf "  %.3f s; worlds-gen writes the full graph %.1fx faster (goal >= 5x)\n", f, f / t }'
