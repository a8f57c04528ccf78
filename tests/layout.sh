#!/usr/bin/env bash
# The module map (src/README.md) holds: no include reaches into another module's private
# header, and no module includes one listed after it on the map's "Layers:" line.
# TAP; run by make check.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
map=$top/src/README.md
n=0 bad=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok $n - $1"; }

layers=$(sed -n 's/^Layers: //p' "$map" | tr -d ' ' | tr '<' ' ')
if [ -z "$layers" ]; then
	echo "1..1"
	echo "not ok 1 - $map has a 'Layers:' line"
	exit 1
fi
declare -A rank
i=0
for m in $layers; do
	rank[$m]=$i
	i=$((i + 1))
done

# Every module directory is on the map, and every module on the map exists.
for d in "$top"/src/*/; do
	m=$(basename "$d")
	if [ -n "${rank[$m]+x}" ]; then ok "src/$m is on the map"; else notok "src/$m is on the map (src/README.md's Layers line)"; fi
done
for m in $layers; do
	if [ -d "$top/src/$m" ]; then ok "the map's $m exists"; else notok "the map's $m is a directory of src/"; fi
done

# What a file may include: its own module's headers, the interface of another module (of
# one before it, when layered). gen publishes two: gen.h and the world's view, world.h.
check_file() {
	local file=$1 own=$2 layered=$3 line inc m h
	while IFS= read -r line; do
		inc=${line#*\"}
		inc=${inc%%\"*}
		case $inc in */*) ;; *) continue ;; esac
		m=${inc%%/*}
		h=${inc#*/}
		[ -n "${rank[$m]+x}" ] || continue
		if [ "$m" = "$own" ]; then
			continue
		fi
		if [ "$h" != "$m.h" ] && ! { [ "$m" = gen ] && [ "$h" = world.h ]; }; then
			notok "${file#"$top"/} includes $inc, a private header of $m"
			return
		fi
		if [ "$layered" = 1 ] && [ "${rank[$m]}" -gt "${rank[$own]}" ]; then
			notok "${file#"$top"/} ($own) includes $inc, a module above it on the map"
			return
		fi
	done < <(grep -E '^#[[:space:]]*include[[:space:]]+"' "$file")
	ok "${file#"$top"/}"
}

for f in "$top"/src/*/*.[ch]; do
	own=$(basename "$(dirname "$f")")
	check_file "$f" "$own" 1
done
# White-box unit tests: tests/unit/<module>_*test.c may use their module's private headers.
for f in "$top"/tests/unit/*.c; do
	b=$(basename "$f")
	own=${b%%_*}
	[ -n "${rank[$own]+x}" ] || own=""
	check_file "$f" "$own" 0
done

echo "1..$n"
[ "$bad" -eq 0 ]
