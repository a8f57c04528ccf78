#!/usr/bin/env bash
# GET /api/v1/healthz through nginx TLS: 200, JSON, status ok and a version, HSTS.
. "$(dirname "$0")/lib.sh"

api GET /api/v1/healthz
expect_status 200
expect_header Content-Type "$JSON_CT"
expect_json .status ok
expect_json '.version | type == "string" and length > 0' true "version is a non-empty string"
expect_header_match Strict-Transport-Security '^max-age=[0-9]{8,}' "HSTS over TLS"
