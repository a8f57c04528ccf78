#!/usr/bin/env bash
# A known path asked with another method: 405 with Allow, in the envelope (invalid_error);
# an unknown path under the API: 404 not_found_error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
api_fixture
id=0a4f1c7e-5d3b-4c2a-9f1e-2b7d8c6a5e41

method() {
	local m=$1 path=$2 allow=$3
	call "$m" "$path" "$AF_ADMIN"
	expect_envelope 405 invalid_error "$m ${path#"$AF_BASE"}"
	expect_header Allow "$allow" "$m ${path#"$AF_BASE"}: Allow: $allow"
}
method PUT "$AF_BASE/jobs" GET
method DELETE "$AF_BASE/jobs/$id" GET
method GET "$AF_BASE/jobs/$id/cancel" POST
method PATCH "$AF_BASE/manifests/$id" "GET, DELETE"
method PUT "$AF_BASE/manifests" "POST, GET"
method POST "$AF_BASE/manifests/$id/document" GET
method POST /api/v1/healthz GET

for p in "$AF_BASE/nothing" "$AF_BASE/jobs/$id/nothing" "$AF_BASE" /api/v1/ /api/v1/org/x; do
	call GET "$p" "$AF_ADMIN"
	expect_envelope 404 not_found_error "GET ${p#"$AF_BASE"} (unknown path)"
done
