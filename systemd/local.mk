# systemd units, sysusers.d and tmpfiles.d, installed under $(prefix)/lib (systemd reads
# /usr/lib and /usr/local/lib alike). Paths inside the *.in files are filled at build time,
# so the units name the installed programs, configuration and SQL directory.
systemdunitdir = $(prefix)/lib/systemd/system
sysusersdir = $(prefix)/lib/sysusers.d
tmpfilesdir = $(prefix)/lib/tmpfiles.d

systemd_generated = systemd/worlds-api.service systemd/worlds-migrate.service \
	systemd/tmpfiles.d/worlds.conf
systemdunit_DATA = systemd/worlds-api.service systemd/worlds-migrate.service
dist_systemdunit_DATA = systemd/worlds-api.socket
dist_sysusers_DATA = systemd/sysusers.d/worlds.conf
tmpfiles_DATA = systemd/tmpfiles.d/worlds.conf
EXTRA_DIST += $(systemd_generated:=.in) systemd/README.md
CLEANFILES += $(systemd_generated)

systemd_edit = sed \
	-e 's|[@]sbindir[@]|$(sbindir)|g' \
	-e 's|[@]bindir[@]|$(bindir)|g' \
	-e 's|[@]sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|[@]pkgdatadir[@]|$(pkgdatadir)|g'

$(systemd_generated): Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(systemd_edit) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
systemd/worlds-api.service: $(srcdir)/systemd/worlds-api.service.in
systemd/worlds-migrate.service: $(srcdir)/systemd/worlds-migrate.service.in
systemd/tmpfiles.d/worlds.conf: $(srcdir)/systemd/tmpfiles.d/worlds.conf.in
