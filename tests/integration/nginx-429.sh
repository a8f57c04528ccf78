#!/usr/bin/env bash
# The shipped limit_req (50 r/s per address, burst 100, nodelay): a burst of 300 requests
# gets the first ~100 through and 429 usage_limit_exceeded_error envelopes with Retry-After
# for the rest. Sent from 127.0.0.2 so the other tests' address keeps its full allowance.
. "$(dirname "$0")/lib.sh"

src=127.0.0.2
if ! curl -sk --interface $src -o /dev/null --max-time 5 "$BASE_URL/api/v1/healthz"; then
	src=127.0.0.1
	on_exit sleep 3
fi
args=()
for i in $(seq 1 300); do args+=(-o "$T_TMP/r$i" "$BASE_URL/api/v1/healthz"); done
curl -sk --interface $src --parallel --parallel-max 50 --max-time 30 \
	-w '%{http_code} %{filename_effective} %header{retry-after}|%{content_type}|%header{x-content-type-options}|%header{cache-control}|%header{strict-transport-security}\n' \
	"${args[@]}" >"$T_TMP/codes" 2>/dev/null
n200=$(awk '$1 == 200' "$T_TMP/codes" | wc -l)
n429=$(awk '$1 == 429' "$T_TMP/codes" | wc -l)
nother=$(awk '$1 != 200 && $1 != 429' "$T_TMP/codes" | wc -l)
check "300 requests at once: some are refused with 429" yes "$([ "$n429" -gt 0 ] && echo yes || echo "no ($n429 429s, $n200 200s)")"
check "the burst of 100 is let through" yes "$([ "$n200" -ge 100 ] && echo yes || echo "no (only $n200 200s)")"
check "the limit does not refuse far more than it should" yes "$([ "$n200" -le 160 ] && echo yes || echo "no ($n200 200s)")"
check "every answer is 200 or 429" 0 "$nother"

line=$(awk '$1 == 429 { print; exit }' "$T_TMP/codes")
if [ -n "$line" ]; then
	RESP_STATUS=429
	RESP_BODY=$(cat "$(awk '{ print $2 }' <<<"$line")")
	IFS='|' read -r retry ctype nosniff cache hsts <<<"$(sed 's/^[^ ]* [^ ]* //' <<<"$line")"
	RESP_HEADERS="Retry-After: $retry
Content-Type: $ctype
X-Content-Type-Options: $nosniff
Cache-Control: $cache
Strict-Transport-Security: $hsts"
	RESP_WHAT="rate-limited GET /api/v1/healthz"
	expect_envelope 429 usage_limit_exceeded_error
	expect_header_match Retry-After '^[1-9][0-9]*$' "429 carries Retry-After in seconds"
	expect_header X-Content-Type-Options nosniff "429 carries nosniff"
	expect_header Cache-Control no-store "429 carries Cache-Control no-store"
	expect_header Strict-Transport-Security "max-age=63072000" "429 keeps HSTS"
else
	not_ok "a 429 answer to inspect" "one 429" "none"
fi
