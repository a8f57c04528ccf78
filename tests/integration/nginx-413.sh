#!/usr/bin/env bash
# client_max_body_size 64k: one byte more is refused by nginx with the 413 envelope before
# reaching worlds-api; exactly 64 KiB passes nginx.
. "$(dirname "$0")/lib.sh"

head -c 65537 /dev/zero | tr '\0' ' ' >"$T_TMP/big"
api POST /api/v1/org/x/ws/y/worlds/manifests -H 'Content-Type: application/json' \
	--data-binary @"$T_TMP/big"
expect_envelope 413 invalid_error "65 KiB + 1 body"

head -c 200000 /dev/zero | tr '\0' ' ' >"$T_TMP/bigger"
api POST /api/v1/healthz -H 'Content-Type: application/json' --data-binary @"$T_TMP/bigger"
expect_envelope 413 invalid_error "200 kB body"

# Chunked: no Content-Length for nginx to look at first.
api POST /api/v1/healthz -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	--http1.1 --data-binary @"$T_TMP/big"
expect_envelope 413 invalid_error "65 KiB + 1 chunked body"

head -c 65536 /dev/zero | tr '\0' ' ' >"$T_TMP/limit"
api POST /api/v1/healthz -H 'Content-Type: application/json' --data-binary @"$T_TMP/limit"
if [ "$RESP_STATUS" != 413 ] && [ "$RESP_STATUS" != 000 ]; then
	ok "exactly 64 KiB passes nginx (worlds-api answered $RESP_STATUS)"
else
	not_ok "exactly 64 KiB passes nginx" "an answer from worlds-api" "$RESP_STATUS $(resp_excerpt)"
fi
