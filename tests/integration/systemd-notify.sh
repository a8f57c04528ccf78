#!/usr/bin/env bash
# Type=notify without systemd: worlds-api sends READY=1 once serving, RELOADING=1 (then
# READY=1) on SIGHUP, STOPPING=1 on SIGTERM, to the datagram socket in NOTIFY_SOCKET.
. "$(dirname "$0")/lib.sh"

nsock=$T_TMP/notify.sock
msgs=$T_TMP/notify.log
: >"$msgs"
python3 - "$nsock" "$msgs" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        data = s.recv(4096).decode("utf-8", "replace")
        for line in data.splitlines():
            out.write(line + "\n")
PY
listener=$!
on_exit kill "$listener"
wait_until 5 test -S "$nsock" || not_ok "the notify listener started" "a socket" "none"

# Its own socket, so the stack's server is untouched.
NOTIFY_SOCKET=$nsock WORLDS_SOCKET=$T_TMP/api.sock "$WORLDS_API" --config "$WORLDS_CONFIG" \
	>"$T_TMP/api.log" 2>&1 &
api=$!
on_exit kill -KILL "$api"

has() { grep -qx "$1" "$msgs"; }
count() { grep -cx "$1" "$msgs"; }
if wait_until 10 has READY=1; then ok "READY=1 once serving"; else
	not_ok "READY=1 once serving" "READY=1" "$(tr '\n' ' ' <"$msgs") log: $(tail -n 3 "$T_TMP/api.log")"
fi
check "the socket is there when READY=1 is sent" yes "$([ -S "$T_TMP/api.sock" ] && echo yes || echo no)"

kill -HUP "$api"
if wait_until 10 has RELOADING=1; then ok "RELOADING=1 on SIGHUP"; else
	not_ok "RELOADING=1 on SIGHUP" "RELOADING=1" "$(tr '\n' ' ' <"$msgs")"
fi
# A function, so that the count is taken anew at each try (not once, as an argument).
ready_again() { [ "$(count READY=1)" -ge 2 ]; }
if wait_until 10 ready_again; then ok "READY=1 again after the reload"; else
	not_ok "READY=1 again after the reload" "a second READY=1" "$(tr '\n' ' ' <"$msgs")"
fi

kill -TERM "$api"
if wait_until 10 has STOPPING=1; then ok "STOPPING=1 on SIGTERM"; else
	not_ok "STOPPING=1 on SIGTERM" "STOPPING=1" "$(tr '\n' ' ' <"$msgs")"
fi
if wait_until 12 bash -c "! kill -0 $api 2>/dev/null"; then ok "the master exits within 10 s"; else
	not_ok "the master exits within 10 s" "exited" "still running"
fi
order=$(grep -E '^(READY|RELOADING|STOPPING)=1$' "$msgs" | tr '\n' ' ')
check "the states come in order" "READY=1 RELOADING=1 READY=1 STOPPING=1 " "$order"
