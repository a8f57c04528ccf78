libworlds_a_SOURCES += src/db/db.h src/db/db.c src/db/ctl.c
