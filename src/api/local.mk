libworlds_a_SOURCES += src/api/api.h src/api/internal.h src/api/api.c
