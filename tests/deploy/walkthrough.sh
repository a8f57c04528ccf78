#!/usr/bin/env bash
# docs/deploy.md, walked: the guide's own command blocks, taken from the file, run in order
# in one shell, in a throwaway root, up to the first world's document; then, in the same
# shell, those of docs/operations.md (key rotation, revocation and pruning, backup and
# restore) on that installation. The guides and the product cannot drift apart: a renamed
# flag, a missing step or a wrong path fails here.
#
# Each ```sh block of a guide is marked on the line before it: `<!-- walkthrough -->`
# runs it, `<!-- walkthrough: skip (why) -->` does not (an unmarked block fails the test).
# In a run block, `CMD   # → TEXT` means CMD's output (stdout and stderr) contains TEXT.
# Blocks run under `set -euo pipefail`; `&&` is refused outside such a line, since set -e
# cannot see a failure before it.
#
# What stands in for a real host (and only this):
#   - paths: /etc, /usr, /var, /run and /root in the blocks become $R/etc, ... ($R a fresh
#     directory), and `make install` runs with DESTDIR=$R. $R starts as a fresh Debian 12
#     would: nginx's /etc/nginx with its default site enabled, /etc/ssl, /root, /var/log.
#   - a private PostgreSQL (peer authentication, as Debian's) with its socket in
#     $R/var/run/postgresql, started as the postgresql package would have started it.
#   - shims first in PATH (tests/deploy/walkthrough.sh writes them, below):
#       apt-get     checks that every package named is installed (scripts/test installs
#                   them) instead of installing;
#       make check  is skipped (scripts/test runs it);
#       systemd-tmpfiles gets --root=$R (and the host's accounts in $R/etc);
#       systemctl   the foreground equivalent of each verb the guide uses, read from the
#                   installed units (ExecStart, User, UMask, the socket's path, group and
#                   mode): the socket is bound and handed over as systemd would
#                   (LISTEN_FDS), worlds-migrate's ExecStart runs first; nginx runs with -p;
#       journalctl  prints those processes' logs;
#       worldsctl, worlds-gen  the installed programs, given $R's config and migrations
#                   (their compiled-in defaults name /etc and /usr);
#       nginx       rewrites the paths of the files it will read into $R and the site's
#                   listen lines to 127.0.0.1 and two free ports (IPv6 ones are dropped);
#       curl        connects to those ports for worlds.example.com and 127.0.0.1.
#   - the system user `worlds` is created on the host itself by the guide's
#     systemd-sysusers step (a service user, as the guide intends; it is left in place).
# The generated script and every log stay in $T on failure (WALK_KEEP=1 keeps them always).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# WALK_DOCS: other copies of the guides (to see this test fail on a broken one).
docs=${WALK_DOCS:-"$top/docs/deploy.md $top/docs/operations.md"}
# shellcheck source=../lib/pg.sh
. "$top/tests/lib/pg.sh"
# shellcheck source=../lib/stack.sh
. "$top/tests/lib/stack.sh"

passed=0 failed=0 skipped=0
ok() { echo "ok - walkthrough: $1"; passed=$((passed + 1)); }
not_ok() {
	echo "not ok - walkthrough: $1"
	[ $# -ge 2 ] && echo "# expected: $2"
	[ $# -ge 3 ] && printf '%s\n' "$3" | sed 's/^/# got: /'
	failed=$((failed + 1))
}
finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	echo "ok - walkthrough # SKIP needs root (runuser, chown, the service user)"
	skipped=1
	finish
fi
for c in git nginx openssl python3 setpriv systemd-sysusers systemd-tmpfiles jq; do
	command -v "$c" >/dev/null || { not_ok "$c is installed" "$c" "missing"; finish; }
done
pgbin=$(pg_bindir) || { not_ok "PostgreSQL server binaries" "initdb" "missing"; finish; }

T=$(mktemp -d "${TMPDIR:-/tmp}/walk.XXXXXX")
chmod 0755 "$T"
R=$T/root W=$T/walk
mkdir -p "$R" "$W/bin" "$W/log" "$W/run"
# Host paths into $R, for the guide's commands and the files nginx reads (idempotent: $R
# is not under any of them).
cat >"$W/relocate.sed" <<EOF
s#(^|[[:space:]'"=:(<>])/(etc|usr|var|run|root)(/|[[:space:]'";]|\$)#\\1$R/\\2\\3#g
EOF
cleanup() {
	local p
	[ -s "$R/run/nginx.pid" ] && kill -QUIT "$(cat "$R/run/nginx.pid")" 2>/dev/null
	[ -s "$W/run/worlds-api.pid" ] && kill -TERM "$(cat "$W/run/worlds-api.pid")" 2>/dev/null
	# Generators the API started carry the mark in their environment.
	for p in /proc/[0-9]*/environ; do
		grep -qzxF "WALK_MARK=$T" "$p" 2>/dev/null && kill -KILL "$(basename "$(dirname "$p")")" 2>/dev/null
	done
	[ -f "$R/var/lib/postgresql/data/postmaster.pid" ] &&
		(cd / && pg_as_owner "$pgbin/pg_ctl" stop -m immediate -w -D "$R/var/lib/postgresql/data" >/dev/null 2>&1)
	sleep 0.2
	if [ "$failed" -gt 0 ] || [ -n "${WALK_KEEP:-}" ]; then
		echo "# walkthrough files kept in $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT

# --- the guide's blocks ------------------------------------------------------------------

# Splits guide $1 into $W/blocks/$2-NNN.{sh,title,mark}; prints problems, one per line.
extract() {
	mkdir -p "$W/blocks"
	awk -v out="$W/blocks/$2" -v doc="$(basename "$1")" '
	function fail(msg) { print doc ":" NR ": " msg; bad = 1 }
	/^## / { title = doc ", " substr($0, 4) }
	/^<!-- walkthrough -->$/ { mark = "run"; markline = NR; next }
	/^<!-- walkthrough: skip \(.+\) -->$/ { mark = "skip " substr($0, 25, length($0) - 29); markline = NR; next }
	/^<!-- walkthrough/ { fail("unreadable marker: " $0); next }
	inblock && /^```$/ { inblock = 0; close(f); next }
	inblock { print > f; next }
	/^```sh$/ {
		if (mark == "" || markline != NR - 1)
			fail("a sh block without a walkthrough marker on the line before it")
		n++; f = sprintf("%s-%03d.sh", out, n)
		printf "" > f
		print title > sprintf("%s-%03d.title", out, n)
		print mark > sprintf("%s-%03d.mark", out, n)
		close(sprintf("%s-%03d.title", out, n)); close(sprintf("%s-%03d.mark", out, n))
		mark = ""; inblock = 1; next
	}
	mark != "" && markline == NR - 1 { fail("a walkthrough marker not followed by a sh block") ; mark = "" }
	END { if (inblock) fail("an unclosed block"); if (n == 0) fail("no sh blocks") }
	' "$1"
}

# The block's text for the walk: paths into $R, `# → TEXT` lines into checks. Heredoc
# bodies pass as they are (paths included: a config file names the same paths).
convert() {
	local line delim="" cmd want
	local heredoc="<<-?[[:space:]]*['\"]?([A-Za-z_][A-Za-z0-9_]*)" expect='^(.*[^[:space:]])[[:space:]]+# → ?(.*)$'
	while IFS= read -r line || [ -n "$line" ]; do
		# configure's paths are compiled in and stay the host's: DESTDIR moves the install.
		[[ $line == ./configure* ]] || line=$(sed -E -f "$W/relocate.sed" <<<"$line")
		if [ -n "$delim" ]; then
			printf '%s\n' "$line"
			[ "$line" = "$delim" ] && delim=""
			continue
		fi
		if [[ $line =~ $heredoc ]]; then
			delim=${BASH_REMATCH[1]}
		fi
		if [[ $line =~ $expect ]]; then
			cmd=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
			want=${want%"${want##*[![:space:]]}"}
			printf 'walk_expect %q %q\n' "$want" "$cmd"
		elif [[ $line == *"&&"* ]]; then
			echo "walk_refuse $(printf %q "$line")"
		else
			printf '%s\n' "$line"
		fi
	done
}

i=0
for d in $docs; do
	i=$((i + 1))
	problems=$(extract "$d" "$i")
	if [ -n "$problems" ]; then
		not_ok "every sh block of $(basename "$d") is marked" "a marker before each block" "$problems"
		finish
	fi
	ok "every sh block of $(basename "$d") is marked ($(ls "$W"/blocks/"$i"-*.sh | wc -l) blocks)"
done

# --- a fresh host, in $R -------------------------------------------------------------------

ports=($(stack_free_ports 2)) || { not_ok "two free ports" "ports" "none"; finish; }
HTTPS_PORT=${ports[0]} HTTP_PORT=${ports[1]}
install -d -m 0700 "$R/root"
install -d -m 0755 "$R/etc/ssl/certs" "$R/run" "$R/var/log/nginx" "$R/var/lib"
install -d -m 0710 "$R/etc/ssl/private"
# The checkout under test, as an operator would have unpacked it.
if ! git -C "$top" ls-files -z -co --exclude-standard |
	(cd "$top" && tar --null -T - -cf -) | tar -C "$R/root" --one-top-level=worlds -xf -; then
	not_ok "a copy of the checkout" "git ls-files | tar" "failed"
	finish
fi

# nginx as the package leaves it: Debian's configuration, its default site enabled.
cp -a /etc/nginx "$R/etc/nginx"
rm -rf "$R/etc/nginx/sites-enabled" "$R/etc/nginx/modules-enabled"
mkdir -p "$R/etc/nginx/sites-enabled" "$R/etc/nginx/modules-enabled"
if [ ! -f "$R/etc/nginx/sites-available/default" ]; then
	printf 'server {\n\tlisten 80 default_server;\n\troot /var/www/html;\n}\n' \
		>"$R/etc/nginx/sites-available/default"
fi
ln -s "$R/etc/nginx/sites-available/default" "$R/etc/nginx/sites-enabled/default"
# Debian's nginx keeps its temporary files in /var/lib/nginx, a compiled-in path.
for d in body fastcgi proxy scgi uwsgi; do
	install -d -o www-data -m 0700 "$R/var/lib/nginx/$d"
	echo "${d}_temp_path $R/var/lib/nginx/$d;" | sed 's/^body_/client_body_/'
done >"$R/etc/nginx/conf.d/walkthrough-temp.conf"

# PostgreSQL as the package starts it: peer authentication over a local socket.
install -d -o postgres -g postgres -m 0755 "$R/var/run/postgresql"
install -d -o postgres -g postgres -m 0700 "$R/var/lib/postgresql"
install -o postgres -m 0644 /dev/null "$W/log/postgresql.log"
if ! (cd / && pg_as_owner "$pgbin/initdb" -D "$R/var/lib/postgresql/data" -U postgres \
	--auth-local=peer --auth-host=reject -E UTF8 --locale=C --no-sync >"$W/log/initdb.log" 2>&1 &&
	pg_as_owner "$pgbin/pg_ctl" start -w -t 60 -D "$R/var/lib/postgresql/data" \
		-l "$W/log/postgresql.log" -o "-c unix_socket_directories=$R/var/run/postgresql -c listen_addresses='' -c port=5432 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
		>/dev/null 2>&1); then
	not_ok "a private PostgreSQL" "started" "$(tail -n 5 "$W/log/initdb.log" "$W/log/postgresql.log")"
	finish
fi

# What the walk must leave alone on the host.
host_paths="/etc/worlds /usr/sbin/worlds-api /usr/sbin/worldsctl /usr/bin/worlds-gen /usr/bin/worlds
/usr/share/worlds /usr/lib/systemd/system/worlds-api.service /etc/nginx/sites-available/worlds.conf
/etc/nginx/sites-enabled/worlds.conf /etc/ssl/certs/worlds.pem /etc/ssl/private/worlds.key
/root/worlds-keys /root/world.json /root/.curlrc /run/worlds"
host_state() { local p; for p in $host_paths; do [ -e "$p" ] && echo "$p"; done; ls -la /etc/nginx/sites-enabled; }
host_state >"$W/host.before"

# --- the shims -----------------------------------------------------------------------------

cat >"$W/env" <<EOF
R=$R
W=$W
T=$T
HTTPS_PORT=$HTTPS_PORT
HTTP_PORT=$HTTP_PORT
EOF
shim() { # shim NAME < body: a script in $W/bin with the walk's variables
	{ echo '#!/usr/bin/env bash'; echo "# walkthrough shim: $1"; echo ". $W/env"; cat; } >"$W/bin/$1"
	chmod 0755 "$W/bin/$1"
}

shim apt-get <<'EOF'
case ${1:-} in
update) echo "walkthrough: apt-get update: not run"; exit 0 ;;
install)
	shift; missing=
	for p in "$@"; do
		case $p in -*) continue ;; esac
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && { echo "walkthrough: every package named is installed"; exit 0; }
	echo "walkthrough: not installed:$missing (scripts/lib/common.sh installs the tests' packages)" >&2
	exit 1 ;;
esac
echo "walkthrough: apt-get $*: not a step the walk knows" >&2; exit 1
EOF

shim make <<'EOF'
for a in "$@"; do
	[ "$a" = check ] && { echo "walkthrough: make check: not run here (scripts/test runs it)"; exit 0; }
done
exec /usr/bin/make "$@"
EOF

# With --root, tmpfiles looks owners up in the root's own account files: $R's are the host's.
shim systemd-tmpfiles <<'EOF'
cp /etc/passwd /etc/group "$R/etc/"
exec /usr/bin/systemd-tmpfiles --root="$R" "$@"
EOF

shim worldsctl <<'EOF'
args=("$@")
[ "${1:-}" = migrate ] && args+=(--sql-dir "$R/usr/share/worlds/sql")
exec "$R/usr/sbin/worldsctl" --config "$R/etc/worlds/worlds.conf" "${args[@]}"
EOF

shim worlds-gen <<'EOF'
exec "$R/usr/bin/worlds-gen" "$@"
EOF

shim curl <<'EOF'
exec /usr/bin/curl --connect-to "worlds.example.com:443:127.0.0.1:$HTTPS_PORT" \
	--connect-to "worlds.example.com:80:127.0.0.1:$HTTP_PORT" \
	--connect-to "127.0.0.1:443:127.0.0.1:$HTTPS_PORT" \
	--connect-to "127.0.0.1:80:127.0.0.1:$HTTP_PORT" "$@"
EOF

shim nginx <<'EOF'
for f in "$R/etc/nginx/nginx.conf" "$R"/etc/nginx/sites-available/* "$R"/usr/share/worlds/nginx/*.conf \
	"$R"/usr/share/worlds/nginx/snippets/*.conf; do
	[ -f "$f" ] || continue
	sed -i -E -f "$W/relocate.sed" "$f"
done
for f in "$R"/etc/nginx/sites-available/*; do
	[ -f "$f" ] || continue
	sed -i -E -e "s/^([[:space:]]*)listen[[:space:]]+443([[:space:];])/\1listen 127.0.0.1:$HTTPS_PORT\2/" \
		-e "s/^([[:space:]]*)listen[[:space:]]+80([[:space:];])/\1listen 127.0.0.1:$HTTP_PORT\2/" \
		-e 's/^([[:space:]]*)(listen[[:space:]]+\[)/\1# walkthrough: IPv4 only: \2/' "$f"
done
exec /usr/sbin/nginx -p "$R/etc/nginx/" -c "$R/etc/nginx/nginx.conf" "$@"
EOF

# systemctl: each verb the guide uses, done in the foreground the way the units say.
shim systemctl <<'EOF'
unit_key() { sed -n "s/^$2=//p" "$R/usr/lib/systemd/system/$1" | tail -n 1; }
relocate() { sed -E -f "$W/relocate.sed" <<<"$1"; }
api_pid() { cat "$W/run/worlds-api.pid" 2>/dev/null; }
api_running() { local p; p=$(api_pid) && kill -0 "$p" 2>/dev/null; }
nginx_running() { [ -s "$R/run/nginx.pid" ] && kill -0 "$(cat "$R/run/nginx.pid")" 2>/dev/null; }

# worlds-migrate.service, then the socket and worlds-api.service.
# Waits until the log has more than $2 lines matching $1 (Type=notify: started, reloaded).
log_wait() {
	for _ in $(seq 100); do
		[ "$(grep -c "$1" "$W/log/worlds-api.log" 2>/dev/null)" -gt "$2" ] && return 0
		api_running || return 1
		sleep 0.1
	done
	return 1
}

start_api() {
	api_running && return 0
	local exec user umask sock group mode dirmode served
	exec=$(relocate "$(unit_key worlds-migrate.service ExecStart)")
	user=$(unit_key worlds-migrate.service User) umask=$(unit_key worlds-migrate.service UMask)
	(cd / && setpriv --reuid="$user" --regid="$user" --init-groups -- sh -c "umask $umask; exec $exec") \
		>>"$W/log/worlds-migrate.log" 2>&1 || { cat "$W/log/worlds-migrate.log" >&2; return 1; }
	sock=$(relocate "$(unit_key worlds-api.socket ListenStream)")
	group=$(unit_key worlds-api.socket SocketGroup) mode=$(unit_key worlds-api.socket SocketMode)
	dirmode=$(unit_key worlds-api.socket DirectoryMode)
	exec=$(relocate "$(unit_key worlds-api.service ExecStart)")
	user=$(unit_key worlds-api.service User) umask=$(unit_key worlds-api.service UMask)
	install -d -m "$dirmode" "$(dirname "$sock")"
	served=$(grep -c "serving with" "$W/log/worlds-api.log" 2>/dev/null)
	# Bind as systemd does (owner root, the unit's group and mode), then exec the service
	# as its user with the socket as fd 3: same pid, so LISTEN_PID holds.
	(cd / && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin WALK_MARK="$T" \
		WORLDS_GENERATOR="$R/usr/bin/worlds-gen" python3 -c '
import os, socket, sys
path, group, mode, user, umask = sys.argv[1:6]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
if os.path.exists(path): os.unlink(path)
s.bind(path)
import grp
os.chown(path, 0, grp.getgrnam(group).gr_gid)
os.chmod(path, int(mode, 8))
s.listen(1024)
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
cmd = ["setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--",
       "sh", "-c", "umask " + umask + "; exec \"$@\"", "sh"] + sys.argv[6].split()
os.execvp(cmd[0], cmd)
' "$sock" "$group" "$mode" "$user" "$umask" "$exec") </dev/null >>"$W/log/worlds-api.log" 2>&1 &
	echo $! >"$W/run/worlds-api.pid"
	log_wait "serving with" "${served:-0}" && return 0
	tail -n 20 "$W/log/worlds-api.log" >&2
	return 1
}

start_nginx() {
	if nginx_running; then nginx -s reload; else nginx; fi
}

# As systemd's reload of a Type=notify unit: back once the new generation serves.
reload_api() {
	local n
	n=$(grep -c "reloaded (generation" "$W/log/worlds-api.log")
	kill -HUP "$(api_pid)" || return 1
	log_wait "reloaded (generation" "$n" && return 0
	echo "walkthrough: worlds-api did not report its reload" >&2
	return 1
}

# KillMode=mixed, TimeoutStopSec: SIGTERM to the master, which drains its workers.
stop_api() {
	local p
	api_running || return 0
	p=$(api_pid)
	kill -TERM "$p"
	for _ in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$p" 2>/dev/null
	rm -f "$W/run/worlds-api.pid" "$(relocate "$(unit_key worlds-api.socket ListenStream)")"
}

[ "${1:-}" = --no-pager ] && shift
verb=${1:-}
shift || true
units=()
for u in "$@"; do
	case $u in --now | --no-pager) ;; *) units+=("${u%.service}") ;; esac
done
case $verb in
daemon-reload) exit 0 ;;
enable | start | restart | reload)
	[ "$verb" = enable ] && [ "${1:-}" != --now ] && exit 0
	for u in "${units[@]}"; do
		case $u in
		worlds-api.socket | worlds-api)
			case $verb in
			reload) reload_api || exit 1 ;;
			restart) stop_api; start_api || exit 1 ;;
			*) start_api || exit 1 ;;
			esac ;;
		nginx) start_nginx || exit 1 ;;
		*) echo "walkthrough: systemctl $verb $u: no foreground equivalent" >&2; exit 1 ;;
		esac
	done ;;
stop)
	for u in "${units[@]}"; do
		case $u in
		worlds-api.socket | worlds-api) stop_api ;;
		*) echo "walkthrough: systemctl stop $u: no foreground equivalent" >&2; exit 1 ;;
		esac
	done ;;
status)
	case ${units[0]:-} in
	worlds-api) api_running || exit 3
		echo "● worlds-api.service (walkthrough: foreground, pid $(api_pid))"
		echo "     Active: active (running)"
		tail -n 10 "$W/log/worlds-api.log" ;;
	nginx) nginx_running || exit 3; echo "● nginx.service"; echo "     Active: active (running)" ;;
	*) echo "walkthrough: systemctl status ${units[0]:-}: unknown unit" >&2; exit 1 ;;
	esac ;;
*) echo "walkthrough: systemctl $verb: not a step the walk knows" >&2; exit 1 ;;
esac
EOF

shim journalctl <<'EOF'
for a in "$@"; do
	case $a in worlds-api | worlds-migrate) cat "$W/log/$a.log" 2>/dev/null ;; esac
done
EOF

# --- the walk -------------------------------------------------------------------------------

{
	cat <<EOF
# Generated by tests/deploy/walkthrough.sh from $docs: the run blocks, in order.
set -euo pipefail
for v in \$(env | sed -n 's/^\(WORLDS_[A-Z0-9_]*\)=.*/\1/p'); do unset "\$v"; done
export PATH=$W/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$R/root DESTDIR=$R
export PGHOST=$R/var/run/postgresql
walk_step() { echo "\$1" >&9; echo "\$1 \$(date +%s.%N)" >>$W/times; }
walk_expect() { # walk_expect TEXT CMD: CMD succeeds and its output contains TEXT
	local out rc=0
	out=\$(eval "\$2" 2>&1) || rc=\$?
	printf '%s\n' "\$out"
	if [ \$rc -ne 0 ]; then echo "walkthrough: '\$2' exited with \$rc" >&2; return 1; fi
	case \$out in *"\$1"*) return 0 ;; esac
	echo "walkthrough: the output of '\$2' does not contain '\$1'" >&2
	return 1
}
walk_refuse() {
	echo "walkthrough: '\$1': && hides a failure from set -e; split the line, or end it with # → TEXT" >&2
	return 1
}
cd $R/root/worlds
EOF
	for f in "$W"/blocks/*.sh; do
		n=$(basename "$f" .sh)
		[ "$(cat "$W/blocks/$n.mark")" = run ] || continue
		echo "walk_step $n"
		convert <"$f"
	done
	echo "walk_step end"
} >"$W/walk.sh"

start=$(date +%s)
timeout 900 bash "$W/walk.sh" >"$W/log/walk.log" 2>&1 9>"$W/progress" </dev/null
rc=$?
took=$(($(date +%s) - start))
last=$(tail -n 1 "$W/progress" 2>/dev/null)

for f in "$W"/blocks/*.sh; do
	n=$(basename "$f" .sh)
	what="block $((10#${n#*-})) of $(cat "$W/blocks/$n.title")"
	mark=$(cat "$W/blocks/$n.mark")
	if [ "$mark" != run ]; then
		echo "# $what not run: ${mark#skip }"
	elif ! grep -qx "$n" "$W/progress" 2>/dev/null; then
		echo "# $what not reached"
	elif [ "$n" = "$last" ] && [ "$rc" != 0 ]; then
		not_ok "$what runs as written" "exit 0" "$(tail -n 25 "$W/log/walk.log")"
	else
		ok "$what runs as written"
	fi
done
if [ "$rc" = 0 ] && [ "$last" = end ]; then
	ok "the guides walked, from a fresh host to a restored backup, in ${took} s"
elif [ "$rc" = 124 ]; then
	not_ok "the walk ends within 900 s" "done" "timed out in block $last"
fi

host_state >"$W/host.after"
check_host=$(diff "$W/host.before" "$W/host.after")
if [ -z "$check_host" ]; then ok "nothing of the walk landed outside its root"; else
	not_ok "nothing of the walk landed outside its root" "no change on the host" "$check_host"
fi
finish
