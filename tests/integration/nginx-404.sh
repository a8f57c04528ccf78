#!/usr/bin/env bash
# Unknown routes answer the 404 envelope: from worlds-api under /api/v1/, from nginx
# elsewhere; nginx's internal error locations are not reachable from outside.
. "$(dirname "$0")/lib.sh"

api GET /api/v1/no-such-route
expect_envelope 404 not_found_error "unknown route under /api/v1/"

api GET /no-such-path
expect_envelope 404 not_found_error "unknown path outside the API"
expect_header_match Strict-Transport-Security '^max-age=' "nginx's 404 keeps HSTS"

api POST /
expect_envelope 404 not_found_error "POST / outside the API"

api GET /_worlds/errors/502.json
expect_envelope 404 not_found_error "the error bodies are internal"

api GET /api/v2/healthz
expect_envelope 404 not_found_error "another API version"
