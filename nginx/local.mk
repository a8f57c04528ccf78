# nginx site and snippets, installed under $(pkgdatadir)/nginx (see nginx/README.md).
# The *.in files name paths and ports as @WORLDS_...@ placeholders, filled here at build
# time with the values below (override on the make command line, e.g.
# `make WORLDS_SOCKET=/srv/worlds/api.sock`); scripts/stack fills the same placeholders
# with its own paths.
WORLDS_SOCKET = /run/worlds/api.sock
WORLDS_TLS_CERT = /etc/ssl/certs/worlds.pem
WORLDS_TLS_KEY = /etc/ssl/private/worlds.key
WORLDS_HTTPS_LISTEN = 443
WORLDS_HTTP_LISTEN = 80
WORLDS_SERVER_NAME = _

nginxdir = $(pkgdatadir)/nginx
nginxsnippetsdir = $(nginxdir)/snippets
nginxerrorsdir = $(nginxdir)/errors

nginx_generated = nginx/worlds.conf nginx/snippets/worlds-http.conf \
	nginx/snippets/worlds-tls.conf nginx/snippets/worlds-errors.conf \
	nginx/snippets/worlds-api.conf nginx/snippets/worlds-headers.conf
nginx_DATA = nginx/worlds.conf
nginxsnippets_DATA = nginx/snippets/worlds-http.conf nginx/snippets/worlds-tls.conf \
	nginx/snippets/worlds-errors.conf nginx/snippets/worlds-api.conf \
	nginx/snippets/worlds-headers.conf
dist_nginxerrors_DATA = nginx/errors/400.json nginx/errors/404.json nginx/errors/405.json \
	nginx/errors/413.json nginx/errors/414.json nginx/errors/426.json nginx/errors/429.json \
	nginx/errors/500.json nginx/errors/501.json nginx/errors/502.json nginx/errors/504.json \
	nginx/errors/505.json
dist_nginx_DATA = nginx/README.md
EXTRA_DIST += $(nginx_generated:=.in)
CLEANFILES += $(nginx_generated)

nginx_edit = sed \
	-e 's|[@]WORLDS_NGINX_DIR[@]|$(nginxdir)|g' \
	-e 's|[@]WORLDS_SOCKET[@]|$(WORLDS_SOCKET)|g' \
	-e 's|[@]WORLDS_TLS_CERT[@]|$(WORLDS_TLS_CERT)|g' \
	-e 's|[@]WORLDS_TLS_KEY[@]|$(WORLDS_TLS_KEY)|g' \
	-e 's|[@]WORLDS_HTTPS_LISTEN[@]|$(WORLDS_HTTPS_LISTEN)|g' \
	-e 's|[@]WORLDS_HTTP_LISTEN[@]|$(WORLDS_HTTP_LISTEN)|g' \
	-e 's|[@]WORLDS_SERVER_NAME[@]|$(WORLDS_SERVER_NAME)|g'

$(nginx_generated): Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(nginx_edit) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
nginx/worlds.conf: $(srcdir)/nginx/worlds.conf.in
nginx/snippets/worlds-http.conf: $(srcdir)/nginx/snippets/worlds-http.conf.in
nginx/snippets/worlds-tls.conf: $(srcdir)/nginx/snippets/worlds-tls.conf.in
nginx/snippets/worlds-errors.conf: $(srcdir)/nginx/snippets/worlds-errors.conf.in
nginx/snippets/worlds-api.conf: $(srcdir)/nginx/snippets/worlds-api.conf.in
nginx/snippets/worlds-headers.conf: $(srcdir)/nginx/snippets/worlds-headers.conf.in

# scripts/stack renders these files for the integration tests and the bench; its helper
# for private stacks on free ports ships with them.
EXTRA_DIST += tests/lib/stack.sh
