libworlds_a_SOURCES += src/jobs/jobs.h src/jobs/ctl.c
