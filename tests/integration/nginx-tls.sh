#!/usr/bin/env bash
# TLS: 1.2 and 1.3 accepted, 1.1 refused, HTTP/2 offered, HSTS on answers from nginx and
# from worlds-api alike.
. "$(dirname "$0")/lib.sh"

v=$(curl -sk -o /dev/null --tlsv1.3 -w '%{http_code}' "$BASE_URL/api/v1/healthz")
check "TLS 1.3 accepted" 200 "$v"
v=$(curl -sk -o /dev/null --tlsv1.2 --tls-max 1.2 -w '%{http_code}' "$BASE_URL/api/v1/healthz")
check "TLS 1.2 accepted" 200 "$v"
v=$(curl -sk -o /dev/null --tlsv1.1 --tls-max 1.1 -w '%{http_code}' "$BASE_URL/api/v1/healthz" 2>/dev/null)
check "TLS 1.1 refused" 000 "$v"
# A suite outside Mozilla's intermediate list (CBC) is refused under TLS 1.2.
v=$(curl -sk -o /dev/null --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-SHA256 \
	-w '%{http_code}' "$BASE_URL/api/v1/healthz" 2>/dev/null)
check "TLS 1.2 CBC suite refused" 000 "$v"
v=$(curl -sk -o /dev/null --http2 -w '%{http_version}' "$BASE_URL/api/v1/healthz")
check "HTTP/2 negotiated" 2 "$v"

api GET /api/v1/healthz
expect_header Strict-Transport-Security "max-age=63072000" "HSTS from worlds-api's answers"
api GET /nope
expect_header Strict-Transport-Security "max-age=63072000" "HSTS on nginx's own errors"
