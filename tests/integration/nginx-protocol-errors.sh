#!/usr/bin/env bash
# The errors nginx produces while parsing a request, before any location applies: each is
# the envelope too, not nginx's HTML page. Header or cookie over the buffers (nginx's
# internal 494, sent as 400), an unknown Transfer-Encoding (501), an HTTP version nginx
# does not speak (505, on the TLS and on the plain-HTTP server), a request line that is not
# HTTP (400).
. "$(dirname "$0")/lib.sh"

big=$(head -c 20000 /dev/zero | tr '\0' a)
api GET /api/v1/healthz --http1.1 -H "X-Big: $big"
expect_envelope 400 invalid_error "a 20 kB request header"
api GET /api/v1/healthz --http1.1 -H "Cookie: a=${big:0:9000}"
expect_envelope 400 invalid_error "a 9 kB cookie"

api POST /api/v1/healthz --http1.1 -H 'Transfer-Encoding: gzip' -H 'Content-Type: application/json' -d '{}'
expect_envelope 501 invalid_error "Transfer-Encoding: gzip"

# curl will not send these request lines: one raw request, the answer split into the
# variables lib.sh's checks read.
raw() {
	local url=$1 line=$2
	python3 - "$url" "$line" "$T_TMP/raw.headers" "$T_TMP/raw.body" <<'PY'
import socket, ssl, sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
s = socket.create_connection((u.hostname, u.port), timeout=10)
if u.scheme == "https":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    s = ctx.wrap_socket(s, server_hostname="localhost")
s.sendall(sys.argv[2].encode() + b"\r\nHost: localhost\r\n\r\n")
data = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
except socket.timeout:
    pass
head, _, body = data.partition(b"\r\n\r\n")
open(sys.argv[3], "wb").write(head.replace(b"\r\n", b"\n") + b"\n")
open(sys.argv[4], "wb").write(body)
PY
	RESP_HEADERS=$(tail -n +2 "$T_TMP/raw.headers")
	RESP_STATUS=$(head -n1 "$T_TMP/raw.headers" | awk '{ print $2 }')
	RESP_BODY=$(cat "$T_TMP/raw.body")
	RESP_WHAT="$line"
	: "${RESP_STATUS:=000}"
}

raw "$BASE_URL" "GET /api/v1/healthz HTTP/3.0"
expect_envelope 505 invalid_error "HTTP/3.0 request line over TLS"
raw "$HTTP_URL" "GET /api/v1/healthz HTTP/3.0"
expect_envelope 505 invalid_error "HTTP/3.0 request line on plain HTTP"
raw "$BASE_URL" "NOT AN HTTP REQUEST"
expect_envelope 400 invalid_error "a request line that is not HTTP"
