#!/usr/bin/env bash
# A FastCGI upstream that accepts and never answers: nginx gives up after its read timeout
# and answers 504 gateway_timeout_error in the envelope. The upstream and its 2 s timeout
# are the test-only location of nginx-test.conf; the error page is the shipped one.
. "$(dirname "$0")/lib.sh"

sock=$STACK_DIR/run/stall.sock
rm -f "$sock"
python3 - "$sock" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
os.umask(0)  # nginx's workers run as www-data: they must be able to connect
s.bind(sys.argv[1])
s.listen(16)
held = []
while True:
    c, _ = s.accept()
    held.append(c)  # read nothing, answer nothing, never close
PY
listener=$!
on_exit rm -f "$sock"
on_exit kill "$listener"
wait_until 5 test -S "$sock" || not_ok "the stalling listener started" "a socket" "none"

start=$(date +%s)
api GET /_test/stall
took=$(($(date +%s) - start))
expect_envelope 504 gateway_timeout_error "upstream accepts and never answers"
check "504 comes after the read timeout, not at once" yes "$([ $took -ge 1 ] && [ $took -le 10 ] && echo yes || echo "no (${took}s)")"
