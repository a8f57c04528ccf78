bin_PROGRAMS += worlds-gen worlds
sbin_PROGRAMS += worlds-api worldsctl

worlds_api_SOURCES = src/cli/worlds-api.c
worlds_api_LDADD = $(WORLDS_LIBS)
worlds_gen_SOURCES = src/cli/worlds-gen.c
worlds_gen_LDADD = $(WORLDS_LIBS)
worldsctl_SOURCES = src/cli/worldsctl.c
worldsctl_LDADD = $(WORLDS_LIBS)
worlds_SOURCES = src/cli/worlds.c
worlds_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS)
worlds_LDADD = $(CLIENT_LIBS)

dist_man_MANS += docs/worlds-api.8
