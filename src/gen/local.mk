libworlds_a_SOURCES += src/gen/gen.h src/gen/ctl.c
