#!/usr/bin/env bash
# `make install DESTDIR=…` puts every file where docs/deploy.md says (relative to the
# configured prefix), and every man page renders.
. "$(dirname "$0")/lib.sh"

build=$WORLDS_BINDIR
if [ ! -f "$build/Makefile" ]; then
	skip "install layout" "no configured build tree at $build"
	exit 0
fi
stage=$T_TMP/stage
if ! make -C "$build" install DESTDIR="$stage" >"$T_TMP/install.log" 2>&1; then
	not_ok "make install DESTDIR succeeds" "exit 0" "$(tail -n 5 "$T_TMP/install.log")"
	exit 1
fi
ok "make install DESTDIR succeeds"
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
root=$stage$prefix
for f in sbin/worlds-api sbin/worldsctl bin/worlds-gen bin/worlds; do
	if [ -x "$root/$f" ]; then ok "installed $f"; else not_ok "installed $f" "an executable" "missing"; fi
done
for f in share/worlds/sql/001_core.sql share/worlds/sql/003_jobs.sql \
	share/worlds/nginx/worlds.conf share/worlds/nginx/README.md \
	share/worlds/nginx/snippets/worlds-api.conf share/worlds/nginx/snippets/worlds-http.conf \
	share/worlds/nginx/snippets/worlds-headers.conf \
	share/worlds/nginx/snippets/worlds-errors.conf share/worlds/nginx/snippets/worlds-tls.conf \
	share/worlds/nginx/errors/404.json \
	lib/systemd/system/worlds-api.socket lib/systemd/system/worlds-api.service \
	lib/systemd/system/worlds-migrate.service lib/sysusers.d/worlds.conf \
	lib/tmpfiles.d/worlds.conf \
	share/man/man8/worlds-api.8 share/man/man8/worldsctl.8 share/man/man1/worlds-gen.1 \
	share/man/man1/worlds.1; do
	if [ -s "$root/$f" ]; then ok "installed $f"; else not_ok "installed $f" "a file" "missing"; fi
done
# Every migration in the tree is installed.
want=$(cd "$TOP_SRCDIR/sql" && ls [0-9][0-9][0-9]_*.sql | sort | tr '\n' ' ')
got=$(cd "$root/share/worlds/sql" 2>/dev/null && ls [0-9][0-9][0-9]_*.sql | sort | tr '\n' ' ')
check "every migration installed" "$want" "$got"
# The unit names the installed program, not the build tree.
check "worlds-api.service runs the installed worlds-api" \
	"ExecStart=$prefix/sbin/worlds-api --config $(sed -n 's/^sysconfdir = //p' "$build/Makefile" |
		sed "s|\${prefix}|$prefix|")/worlds/worlds.conf" \
	"$(grep '^ExecStart=' "$root/lib/systemd/system/worlds-api.service")"
for m in share/man/man8/worlds-api.8 share/man/man8/worldsctl.8 share/man/man1/worlds-gen.1 \
	share/man/man1/worlds.1; do
	out=$(MANWIDTH=80 man -l "$root/$m" 2>&1 >/dev/null | head -3)
	lines=$(MANWIDTH=80 man -l "$root/$m" 2>/dev/null | wc -l)
	if [ -z "$out" ] && [ "$lines" -gt 10 ]; then ok "$m renders with man -l"; else
		not_ok "$m renders with man -l" "no warnings, > 10 lines" "$lines lines; $out"
	fi
done
