libworlds_a_SOURCES += src/auth/auth.h src/auth/ctl.c
