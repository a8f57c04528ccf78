libworlds_a_SOURCES += src/api/api.h src/api/internal.h src/api/api.c src/api/body.c \
	src/api/manifest_create.c src/api/job_routes.c src/api/manifests.c src/api/query.c \
	src/api/render.c src/api/scope.c src/api/trajectories.c src/api/me.c
libworlds_a_SOURCES += src/api/inspect.h src/api/inspect.c src/api/inspect_subgraph.c \
	src/api/inspect_entities.c
