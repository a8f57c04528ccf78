# tests/lib/stack.sh: a private stack (scripts/stack) on free ports in a fresh directory, for
# the integration tests and the benchmarks. Source it; needs bash.
#
#   stack_free_ports N             prints N distinct TCP ports nobody listens on
#   stack_temp_start [STACK ARGS]  starts a stack in a new temp dir, exports its env
#                                  (STACK_DIR, BASE_URL, HTTP_URL, WORLDS_*; see scripts/stack env)
#   stack_temp_stop                stops it and removes the directory

stack_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK=$stack_repo/scripts/stack

stack_free_ports() {
	local want=$1 used picked="" p tries=0
	used=" $(ss -Htan 2>/dev/null | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }') "
	while [ "$(wc -w <<<"$picked")" -lt "$want" ]; do
		tries=$((tries + 1))
		[ $tries -lt 1000 ] || return 1
		# Below the kernel's ephemeral range (32768+), so outgoing connections never take it.
		p=$((20000 + RANDOM % 12000))
		case "$used $picked " in *" $p "*) continue ;; esac
		picked="$picked $p"
	done
	echo $picked
}

stack_temp_start() {
	local ports attempt
	STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/worlds-stack.XXXXXX")
	export STACK_DIR
	# A port found free can be taken before nginx or PostgreSQL binds it: try again.
	for attempt in 1 2 3; do
		ports=($(stack_free_ports 3)) || return 1
		if "$STACK" start --dir "$STACK_DIR" --https-port "${ports[0]}" \
			--http-port "${ports[1]}" --pg-port "${ports[2]}" "$@" >"$STACK_DIR/start.log" 2>&1; then
			eval "$("$STACK" env --dir "$STACK_DIR")"
			return 0
		fi
	done
	cat "$STACK_DIR/start.log" >&2
	return 1
}

stack_temp_stop() {
	[ -n "${STACK_DIR:-}" ] && [ -d "$STACK_DIR" ] || return 0
	"$STACK" stop --dir "$STACK_DIR" || true
	if [ -n "${STACK_KEEP:-}" ]; then
		echo "# stack directory kept: $STACK_DIR" >&2
	else
		rm -rf "$STACK_DIR"
	fi
}
