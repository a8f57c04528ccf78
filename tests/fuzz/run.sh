#!/usr/bin/env bash
# make fuzz: builds every target with clang and libFuzzer (ASan + UBSan, separate from the
# ordinary build: objects under BUILDDIR/tests/fuzz/clang) and runs each for SECONDS.
#
#   tests/fuzz/run.sh --srcdir DIR --builddir DIR [--seconds N] [--targets "a b"]
#                     [--parallel N] [--build-only] -- LIBRARY_SOURCES...
#
# New inputs go to BUILDDIR/tests/fuzz/work/NAME (seeded from corpus/NAME and regress/NAME);
# a crash leaves BUILDDIR/tests/fuzz/crash-NAME-* and a non-zero exit. Copy a crash input
# into tests/fuzz/regress/NAME/ once fixed: make check replays it from then on.
set -u
srcdir=. builddir=. seconds=${FUZZ_SECONDS:-60} targets=${FUZZ_TARGETS:-"conf manifest token route jsonw"}
parallel=${FUZZ_PARALLEL:-1} build_only=0
cc=${FUZZ_CC:-clang}
while [ $# -gt 0 ]; do
	case $1 in
	--srcdir) srcdir=$2; shift 2 ;;
	--builddir) builddir=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--targets) targets=$2; shift 2 ;;
	--parallel) parallel=$2; shift 2 ;;
	--build-only) build_only=1; shift ;;
	--) shift; break ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
command -v "$cc" >/dev/null || { echo "run.sh: $cc not found (make fuzz needs clang)" >&2; exit 2; }
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
out=$builddir/tests/fuzz/clang
mkdir -p "$out/obj"

# The ordinary build's config.h, fixed install paths (nothing here is installed), and the
# libraries' flags from pkg-config, as configure found them.
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cflags="-g -O1 -std=c11 -D_DEFAULT_SOURCE -I$srcdir/src -I$builddir -DSYSCONFDIR=\"/etc\" \
-DPKGDATADIR=\"/usr/share/worlds\" -DBINDIR=\"/usr/bin\" -DSBINDIR=\"/usr/sbin\" \
$(pkg-config --cflags json-c libpq libsodium)"
libs="$(pkg-config --libs json-c libpq libsodium) -lfcgi -lm"
[ -f "$builddir/config.h" ] || { echo "run.sh: no config.h in $builddir (run configure)" >&2; exit 2; }

# Library objects: rebuilt when their source or any header is newer.
newest_h=$(find "$srcdir/src" "$builddir/config.h" -name '*.h' -newer "$out/lib.a" 2>/dev/null | head -1)
[ -f "$out/lib.a" ] || newest_h=all
objs=()
for s in "$@"; do
	case $s in *.c) ;; *) continue ;; esac
	o=$out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')
	objs+=("$o")
	if [ -n "$newest_h" ] || [ ! -f "$o" ] || [ "$srcdir/$s" -nt "$o" ]; then
		printf '%s\0%s\0' "$srcdir/$s" "$o"
	fi
done >"$out/todo"
if [ -s "$out/todo" ]; then
	echo "fuzz: compiling $(($(tr -cd '\0' <"$out/todo" | wc -c) / 2)) library sources with $cc"
	# shellcheck disable=SC2016
	xargs -0 -n 2 -P "$(nproc)" sh -c '$0 $1 -c "$2" -o "$3" || exit 255' \
		"$cc" "$cflags $san -fsanitize=fuzzer-no-link -w" <"$out/todo" || exit 1
	rm -f "$out/lib.a"
	ar rcs "$out/lib.a" "${objs[@]}" || exit 1
fi
for t in $targets; do
	# shellcheck disable=SC2086
	$cc $cflags $san -fsanitize=fuzzer -Wall -Wextra -Werror \
		"$srcdir/tests/fuzz/fuzz_$t.c" "$out/lib.a" $libs -o "$out/fuzz_$t" || exit 1
done
[ "$build_only" = 1 ] && { echo "fuzz: built $targets in $out"; exit 0; }

run_one() {
	local t=$1 work=$builddir/tests/fuzz/work/$1 log=$out/$1.log dict
	mkdir -p "$work"
	dict=$srcdir/tests/fuzz/dict/$t.dict
	"$out/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -dict="$dict" \
		-artifact_prefix="$builddir/tests/fuzz/crash-$t-" \
		"$work" "$srcdir/tests/fuzz/corpus/$t" "$srcdir/tests/fuzz/regress/$t" >"$log" 2>&1
	local rc=$? execs secs
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $t: ok, ${execs:-?} executions in ${seconds}s (${secs:-?}/s), corpus $(ls "$work" | wc -l) files"
	else
		echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions; log $log"
		grep -E 'ERROR|invariant failed|runtime error|SUMMARY' "$log" | head -5
	fi
	return "$rc"
}

fail=0 running=0
for t in $targets; do
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$parallel" ]; then
		wait -n || fail=1
		running=$((running - 1))
	fi
done
while [ "$running" -gt 0 ]; do
	wait -n || fail=1
	running=$((running - 1))
done
exit "$fail"
