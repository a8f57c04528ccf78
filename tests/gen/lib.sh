# Shared by the gen shell tests: TAP counting, binaries, a scratch directory.
# Sourced; $top_builddir and $top_srcdir come from the test environment.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$top_builddir}"
GEN="$top_builddir/worlds-gen"
CTL="$top_builddir/worldsctl"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gen-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
tap_n=0
tap_failed=0
# ok CONDITION-STATUS DESCRIPTION [DETAIL]
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
		tap_failed=1
	fi
}
done_testing() {
	echo "1..$tap_n"
	exit $tap_failed
}
need_jq() {
	command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is not installed"; exit 0; }
}
