#!/usr/bin/env bash
# docs/openapi.yaml passes `redocly lint` (recommended-strict: warnings fail too), and
# names every route the server serves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/npm.bash"
spec=$TOP_SRCDIR/docs/openapi.yaml

if ! npm_tools; then
	skip "redocly lint docs/openapi.yaml" "$NPM_WHY"
	exit 0
fi
if "$WORLDS_NPM_DIR/node_modules/.bin/redocly" lint --config "$(dirname "$0")/contract/redocly.yaml" \
	"$spec" >"$T_TMP/lint.out" 2>&1; then
	ok "redocly lint docs/openapi.yaml: no error, no warning"
else
	not_ok "redocly lint docs/openapi.yaml" "exit 0" "$(grep -v '^$' "$T_TMP/lint.out" | head -n 30 | tr '\n' ' ')"
fi

# Every route of the server's table is a path of the document (the table is the truth).
routes=$(grep -ho 'HTTP_[A-Z]*, \(API_BASE \)\{0,1\}"[^"]*"' "$TOP_SRCDIR"/src/api/*.c |
	sed -e 's/HTTP_\([A-Z]*\), API_BASE "\(.*\)"/\1 \/org\/{}\/ws\/{}\/worlds\2/' \
		-e 's/HTTP_\([A-Z]*\), "\/api\/v1\(.*\)"/\1 \2/' | sort -u)
documented=$(node -e '
	const Y = require(process.env.WORLDS_NPM_DIR + "/node_modules/yaml");
	const s = Y.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	for (const [p, item] of Object.entries(s.paths))
		for (const m of ["get", "post", "put", "delete", "patch"])
			if (item[m]) console.log(m.toUpperCase() + " " + p.replace(/\{[^}]+\}/g, "{}"));
' "$spec" | sort -u)
missing=$(comm -23 <(echo "$routes") <(echo "$documented"))
extra=$(comm -13 <(echo "$routes") <(echo "$documented"))
check "every route the server serves is documented" "" "$missing"
check "every documented operation is served" "" "$extra"
