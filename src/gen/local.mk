# gen: the deterministic world generator (src/gen), its tests and documents.
libworlds_a_SOURCES += src/gen/gen.h src/gen/internal.h src/gen/base.c src/gen/catalog.c \
	src/gen/params.c src/gen/world.c src/gen/build_dom.c src/gen/build_people.c \
	src/gen/build_hosts.c src/gen/build_access.c src/gen/graph.c src/gen/write.c \
	src/gen/rows.c src/gen/gout.h src/gen/gout.c \
	src/gen/check.c src/gen/check_graph.c src/gen/ctl.c
