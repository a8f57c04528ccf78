#!/usr/bin/env bash
# worlds-api stopped: nginx answers 502 bad_gateway_error in the envelope; started again,
# the API answers at once.
. "$(dirname "$0")/lib.sh"

stack_ctl api-stop
on_exit "$STACK" api-start --dir "$STACK_DIR"
api GET /api/v1/healthz
expect_envelope 502 bad_gateway_error "healthz with worlds-api stopped"
api POST /api/v1/org/x/ws/y/worlds/manifests -H 'Content-Type: application/json' -d '{}'
expect_envelope 502 bad_gateway_error "POST with worlds-api stopped"

stack_ctl api-start
api GET /api/v1/healthz
expect_status 200 "healthz once worlds-api is back"
