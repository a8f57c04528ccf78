libworlds_a_SOURCES += src/http/http.h src/http/internal.h src/http/resp.c src/http/route.c \
	src/http/worker.c src/http/server.c src/http/notify.c
