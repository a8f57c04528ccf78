#!/usr/bin/env bash
# Every answer of the shipped site carries X-Content-Type-Options: nosniff and
# Cache-Control: no-store (the document's "private, no-cache" with its ETag is checked in
# api-create-manifest.sh), each exactly once, whether worlds-api or nginx itself answers;
# HSTS over TLS only.
. "$(dirname "$0")/lib.sh"

# How many times header NAME came in the last answer.
header_count() { grep -ic "^$1:" <<<"$RESP_HEADERS"; }

# expect_headers TLS|PLAIN WHAT: the shared headers, once each.
expect_headers() {
	local over=$1 what=$2
	expect_header X-Content-Type-Options nosniff "$what: nosniff"
	expect_header Cache-Control no-store "$what: Cache-Control no-store"
	check "$what: each of them once" "1 1" \
		"$(header_count X-Content-Type-Options) $(header_count Cache-Control)"
	if [ "$over" = TLS ]; then
		expect_header Strict-Transport-Security "max-age=63072000" "$what: HSTS"
	else
		expect_no_header Strict-Transport-Security "$what: no HSTS in clear text"
	fi
}

api GET /api/v1/healthz
expect_status 200
expect_headers TLS "healthz (worlds-api, 200)"

api GET /api/v1/org/acme/ws/red/worlds/jobs
expect_envelope 401 authentication_error "no token"
expect_headers TLS "worlds-api's 401"

api GET /api/v1/no-such-route
expect_envelope 404 not_found_error "unknown API route"
expect_headers TLS "worlds-api's 404"

api GET /no-such-path
expect_envelope 404 not_found_error "a path outside the API"
expect_headers TLS "nginx's own 404"

head -c 70000 /dev/zero | tr '\0' x >"$T_TMP/big"
api POST /api/v1/org/acme/ws/red/worlds/manifests -H 'Content-Type: application/json' \
	--data-binary @"$T_TMP/big"
expect_envelope 413 invalid_error "a body over 64 KiB"
expect_headers TLS "nginx's 413"

http GET "$HTTP_URL/api/v1/healthz"
expect_envelope 426 upgrade_required_error "plain HTTP"
expect_headers PLAIN "the 426 on the HTTP port"
expect_header_match Upgrade '^TLS/' "the 426 keeps its Upgrade header"

http GET "${BASE_URL/https:/http:}/api/v1/healthz"
expect_envelope 426 upgrade_required_error "plain HTTP to the TLS port"
expect_headers PLAIN "the 426 on the TLS port"
