# gen: the deterministic world generator (src/gen), its tests and documents.
libworlds_a_SOURCES += src/gen/gen.h src/gen/world.h src/gen/internal.h src/gen/base.c \
	src/gen/catalog.c src/gen/params.c src/gen/world.c src/gen/build_dom.c src/gen/build_people.c \
	src/gen/build_hosts.c src/gen/build_access.c src/gen/graph.c src/gen/write.c \
	src/gen/rows.c src/gen/gout.h src/gen/gout.c \
	src/gen/check.c src/gen/check_graph.c src/gen/ctl.c

# Unit tests: request rules and resolution; the world (determinism, fast path, rows, PRNG).
check_PROGRAMS += tests/unit/gen_params_test tests/unit/gen_world_test
tests_unit_gen_params_test_SOURCES = tests/unit/gen_params_test.c
tests_unit_gen_params_test_LDADD = $(WORLDS_LIBS)
tests_unit_gen_world_test_SOURCES = tests/unit/gen_world_test.c
tests_unit_gen_world_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/gen_params_test tests/unit/gen_world_test

# Shell tests (TAP): determinism, golden hashes, presets and edge cases, 200 random worlds,
# the checker against hand-broken documents, the CLI, the schema (ajv from npm).
GEN_SHELL_TESTS = tests/gen/determinism.sh tests/gen/golden.sh tests/gen/presets.sh \
	tests/gen/random.sh tests/gen/broken.sh tests/gen/cli.sh tests/gen/schema.sh
TESTS += $(GEN_SHELL_TESTS)
EXTRA_DIST += $(GEN_SHELL_TESTS) tests/gen/lib.sh tests/gen/golden.txt \
	tests/gen/broken/base.json tests/gen/broken/breaks.txt

# The documents: the schema (read by tests/gen/schema.sh), the model, the man page.
EXTRA_DIST += docs/manifest.schema.json docs/world-model.md
dist_man_MANS += docs/worlds-gen.1

# schema.sh keeps ajv-cli from npm under the build tree between runs.
clean-local: gen-clean-npm
gen-clean-npm:
	-rm -rf tests/gen/.npm-ajv
.PHONY: gen-clean-npm
