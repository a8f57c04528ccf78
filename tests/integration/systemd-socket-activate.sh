#!/usr/bin/env bash
# Socket activation without systemd: systemd-socket-activate holds the listening socket and
# starts worlds-api with LISTEN_FDS/LISTEN_PID; worlds-api serves FastCGI on it (checked with
# cgi-fcgi) although its configuration names no socket.
. "$(dirname "$0")/lib.sh"

command -v cgi-fcgi >/dev/null || { not_ok "cgi-fcgi available" "cgi-fcgi" "missing (apt-get install libfcgi-bin)"; exit 1; }
grep -v '^socket' "$WORLDS_CONFIG" >"$T_TMP/worlds.conf"
sock=$T_TMP/api.sock
systemd-socket-activate -l "$sock" "$WORLDS_API" --config "$T_TMP/worlds.conf" \
	>"$T_TMP/api.log" 2>&1 &
activator=$!
on_exit kill -TERM "$activator"
wait_until 5 test -S "$sock" || not_ok "systemd-socket-activate listens" "a socket" "none: $(cat "$T_TMP/api.log")"

fcgi_get() {
	env -i REQUEST_METHOD=GET DOCUMENT_URI="$1" SCRIPT_NAME="$1" REQUEST_URI="$1" \
		QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 REQUEST_ID=test-socket-activate \
		cgi-fcgi -bind -connect "$sock" 2>&1 | tr -d '\r'
}
resp=$(fcgi_get /api/v1/healthz)
check "healthz over the activated socket answers 200" "Status: 200" "$(grep -m1 -o '^Status: [0-9]*' <<<"$resp" || echo "$resp")"
check "with the healthz body" ok "$(sed -n '/^$/,$p' <<<"$resp" | jq -r .status 2>&1)"
resp=$(fcgi_get /api/v1/nope)
check "an unknown route over the activated socket is a 404" "Status: 404" "$(grep -m1 -o '^Status: [0-9]*' <<<"$resp" || echo "$resp")"

# The server is the activator's own process (exec, same pid): LISTEN_PID matched.
check "worlds-api runs as the activated process" "$WORLDS_API" "$(readlink "/proc/$activator/exe")"
kill -TERM "$activator"
if wait_until 12 bash -c "! kill -0 $activator 2>/dev/null"; then ok "SIGTERM stops it within 10 s"; else
	not_ok "SIGTERM stops it within 10 s" "exited" "still running"
fi
