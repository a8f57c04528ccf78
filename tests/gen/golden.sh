#!/bin/bash
# Golden sha256 of three fixed worlds: any change to the output must be deliberate, bump
# GEN_VERSION (src/gen/world.c) and regenerate with UPDATE_GOLDEN=1 tests/gen/golden.sh.
. "$(dirname "$0")/lib.sh"
golden="$top_srcdir/tests/gen/golden.txt"
version=$("$GEN" --version | sed -n 's/.*(generator \(.*\))/\1/p')
if [ -n "${UPDATE_GOLDEN:-}" ]; then
	{ echo "generator_version $version"
	  grep '^args' "$golden" | while IFS='|' read -r _ args _; do
		echo "args|$args|$("$GEN" $args | sha256sum | cut -d' ' -f1)"
	  done; } > "$TMP/g" && cp "$TMP/g" "$golden"
fi
recorded=$(sed -n 's/^generator_version //p' "$golden")
ok $([ "$recorded" = "$version" ]; echo $?) "golden file is for generator $version" \
	"recorded $recorded: regenerate with UPDATE_GOLDEN=1"
while IFS='|' read -r _ args want; do
	got=$("$GEN" $args | sha256sum | cut -d' ' -f1)
	ok $([ "$got" = "$want" ]; echo $?) "sha256 of worlds-gen $args" \
		"want $want got $got: the output changed; if deliberate, bump GEN_VERSION and regenerate"
done < <(grep '^args' "$golden")
done_testing
