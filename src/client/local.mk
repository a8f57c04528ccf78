# The client module: libcurl (and OpenSSL's SHA-256) only here, so the server programs
# never link them.
noinst_LIBRARIES += libworldsclient.a
libworldsclient_a_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS) $(LIBCRYPTO_CFLAGS)
libworldsclient_a_SOURCES = src/client/client.h src/client/internal.h src/client/client.c \
	src/client/args.c src/client/settings.c src/client/net.c src/client/out.c \
	src/client/wait.c src/client/download.c src/client/verbs.c src/client/verbs_manifest.c \
	src/client/verbs_traj.c src/client/verbs_job.c
CLIENT_LIBS = libworldsclient.a libworlds.a $(CURL_LIBS) $(LIBCRYPTO_LIBS) $(JSONC_LIBS) \
	$(SODIUM_LIBS) -lm
dist_man_MANS += docs/worlds.1
