libworlds_a_SOURCES += src/util/util.h src/util/buf.c src/util/jsonw.c src/util/misc.c src/util/rng.c \
	src/util/verr.c
