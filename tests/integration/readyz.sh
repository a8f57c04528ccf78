#!/usr/bin/env bash
# GET /api/v1/readyz with the database up: 200 JSON.
. "$(dirname "$0")/lib.sh"

api GET /api/v1/readyz
expect_status 200
expect_header Content-Type "$JSON_CT"
