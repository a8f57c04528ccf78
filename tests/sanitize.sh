#!/usr/bin/env bash
# The sanitizer and valgrind runs (docs/reliability.md):
#  1. a --enable-sanitizers build (ASan + UBSan, -fno-sanitize-recover, halt_on_error=1;
#     without -Werror: gcc's range analysis under ASan warns where the normal build does not)
#     in its own directory, and its `make check` (every unit test, the fuzz replays, the
#     shell suites); with --integration, the integration suite against that build too;
#  2. every unit-test program of `make check` in an ordinary build under valgrind memcheck:
#     any error or any definite/indirect/possible leak fails it.
# Ends with "N passed, N failed" like scripts/test.
#
#   tests/sanitize.sh [--san-dir DIR] [--build-dir DIR] [--integration] [--no-valgrind]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
san=${WORLDS_SAN_BUILD_DIR:-$top/build-san}
build=${WORLDS_BUILD_DIR:-$top/build}
integration=0 valgrind=1
while [ $# -gt 0 ]; do
	case $1 in
	--san-dir) san=$2; shift 2 ;;
	--build-dir) build=$2; shift 2 ;;
	--integration) integration=1; shift ;;
	--no-valgrind) valgrind=0; shift ;;
	*) echo "usage: tests/sanitize.sh [--san-dir DIR] [--build-dir DIR] [--integration] [--no-valgrind]" >&2; exit 2 ;;
	esac
done
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; failed=$((failed + 1)); }

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
jobs=$(nproc)

# The list of test programs of a configured build, as make knows it.
tests_of() {
	make -s -C "$1" -f Makefile -f - print-worlds-tests <<'MK'
print-worlds-tests:
	@echo $(TESTS)
MK
}

echo "== sanitizer build ($san)"
[ -f "$top/configure" ] || (cd "$top" && autoreconf -fi) >/dev/null 2>&1
mkdir -p "$san"
if ! [ -f "$san/Makefile" ]; then
	(cd "$san" && "$top/configure" --enable-sanitizers) >"$san/configure.out" 2>&1 ||
		{ tail -20 "$san/configure.out"; notok "configure --enable-sanitizers"; echo "$passed passed, $failed failed"; exit 1; }
fi
if make -C "$san" -j"$jobs" all >"$san/build.out" 2>&1; then
	ok "sanitizer build"
else
	tail -30 "$san/build.out"; notok "sanitizer build"
fi
if make -C "$san" -j"$jobs" check >"$san/check.out" 2>&1; then
	ok "make check under ASan+UBSan ($(sed -n 's/^# PASS: *//p' "$san/test-suite.log" | head -1) passed)"
else
	grep -E '^(FAIL|ERROR)' "$san/test-suite.log" | head -20
	notok "make check under ASan+UBSan"
fi
if [ "$integration" = 1 ]; then
	# The servers and generators run detached, their stderr in the stack's logs: their
	# reports go to files of their own instead (log_path, one per process), which must
	# not exist at the end. A report that stops a worker also fails a test, but a leak
	# found when a worker exits at the end of a stack would fail nothing.
	reports=$(mktemp -d "${TMPDIR:-/tmp}/worlds-san.XXXXXX")
	chmod 777 "$reports"
	out=$(ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/asan" \
		UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/ubsan" \
		WORLDS_BUILD_DIR=$san "$top/tests/integration/run" 2>&1)
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	printf '%s\n' "$out" | grep -E '^not ok' | head -20
	case $line in
	*" 0 failed"*) ok "integration suite under ASan+UBSan: $line" ;;
	*) notok "integration suite under ASan+UBSan: ${line:-no summary}" ;;
	esac
	if [ -z "$(ls -A "$reports")" ]; then
		ok "no sanitizer report from any server, generator or tool process"
	else
		for f in "$reports"/*; do echo "# $f:"; head -15 "$f" | sed 's/^/#   /'; done
		notok "sanitizer reports from the processes of the integration suite (above)"
	fi
	rm -rf "$reports"
fi

if [ "$valgrind" = 1 ]; then
	echo "== valgrind memcheck ($build)"
	command -v valgrind >/dev/null || { notok "valgrind not installed"; valgrind=0; }
fi
if [ "$valgrind" = 1 ]; then
	if ! [ -f "$build/Makefile" ]; then
		mkdir -p "$build" && (cd "$build" && "$top/configure" --enable-werror) >/dev/null 2>&1
	fi
	make -C "$build" -j"$jobs" all >/dev/null 2>&1 || notok "ordinary build"
	top_srcdir=$top top_builddir=$(cd "$build" && pwd)
	export top_srcdir top_builddir
	for t in $(tests_of "$build"); do
		case $t in *.sh) continue ;; esac
		make -C "$build" -s "$t" >/dev/null 2>&1 || { notok "build $t"; continue; }
		log=$build/$t.valgrind.log
		if (cd "$build" && valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
			--show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible \
			"./$t") >"$log" 2>&1; then
			ok "valgrind $t"
		else
			grep -E '==[0-9]+==' "$log" | head -15
			notok "valgrind $t (log: $log)"
		fi
	done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
