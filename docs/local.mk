EXTRA_DIST += docs/openapi.yaml
EXTRA_DIST += docs/deploy.md
EXTRA_DIST += docs/operations.md
EXTRA_DIST += docs/reliability.md
EXTRA_DIST += docs/inspection.md
