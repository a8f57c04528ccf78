#!/usr/bin/env bash
# Plain HTTP never reaches the API: 426 upgrade_required_error in the envelope, with an
# Upgrade header, on the HTTP port and for plain HTTP sent to the TLS port.
. "$(dirname "$0")/lib.sh"

http GET "$HTTP_URL/api/v1/healthz"
expect_envelope 426 upgrade_required_error "plain HTTP to the API"
expect_header_match Upgrade '^TLS/' "plain HTTP: Upgrade header names TLS"
expect_no_header Strict-Transport-Security "plain HTTP: no HSTS on the clear-text answer"

http POST "$HTTP_URL/api/v1/org/x/ws/y/worlds/manifests" -H 'Content-Type: application/json' -d '{}'
expect_envelope 426 upgrade_required_error "plain HTTP POST"

http GET "$HTTP_URL/elsewhere"
expect_envelope 426 upgrade_required_error "plain HTTP outside the API"

http GET "${BASE_URL/https:/http:}/api/v1/healthz"
expect_envelope 426 upgrade_required_error "plain HTTP sent to the TLS port"
