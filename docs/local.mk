EXTRA_DIST += docs/openapi.yaml
