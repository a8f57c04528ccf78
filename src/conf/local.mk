libworlds_a_SOURCES += src/conf/conf.h src/conf/conf.c
