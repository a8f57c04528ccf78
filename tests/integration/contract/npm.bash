# tests/integration/contract/npm.bash: the npm tools of the contract tests (@redocly/cli,
# ajv, ajv-formats, yaml), installed once into a cache directory outside the tree:
# $WORLDS_NPM_DIR, default ${TMPDIR:-/tmp}/worlds-npm-cache. Source it, then
#   npm_tools || { skip ...; exit 0; }
# npm_tools returns 0 when the tools are there (installing them if needed) and 1 with
# NPM_WHY set when npm is missing or its registry cannot be reached.
WORLDS_NPM_DIR=${WORLDS_NPM_DIR:-${TMPDIR:-/tmp}/worlds-npm-cache}
export WORLDS_NPM_DIR
NPM_PACKAGES="@redocly/cli@2 ajv@8 ajv-formats@3 yaml@2"

npm_tools_present() {
	[ -x "$WORLDS_NPM_DIR/node_modules/.bin/redocly" ] &&
		[ -f "$WORLDS_NPM_DIR/node_modules/ajv/package.json" ] &&
		[ -f "$WORLDS_NPM_DIR/node_modules/ajv-formats/package.json" ] &&
		[ -f "$WORLDS_NPM_DIR/node_modules/yaml/package.json" ]
}

npm_tools() {
	NPM_WHY=
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		NPM_WHY="node/npm not installed"
		return 1
	fi
	mkdir -p "$WORLDS_NPM_DIR" || { NPM_WHY="cannot create $WORLDS_NPM_DIR"; return 1; }
	(
		# Two tests may ask at once: one installs, the other waits.
		flock 7
		npm_tools_present && exit 0
		[ -f "$WORLDS_NPM_DIR/package.json" ] || echo '{"private": true}' >"$WORLDS_NPM_DIR/package.json"
		timeout 30 npm ping >"$WORLDS_NPM_DIR/ping.log" 2>&1 || exit 2
		cd "$WORLDS_NPM_DIR" &&
			timeout 600 npm install --no-audit --no-fund --loglevel=error $NPM_PACKAGES \
				>"$WORLDS_NPM_DIR/install.log" 2>&1 || exit 3
	) 7>"$WORLDS_NPM_DIR.lock"
	case $? in
	0) npm_tools_present && return 0; NPM_WHY="npm install left the tools incomplete" ;;
	2) NPM_WHY="the npm registry cannot be reached ($(tail -n1 "$WORLDS_NPM_DIR/ping.log" 2>/dev/null))" ;;
	*) NPM_WHY="npm install failed: $(tail -n3 "$WORLDS_NPM_DIR/install.log" 2>/dev/null | tr '\n' ' ')" ;;
	esac
	return 1
}
