# Shared by scripts/run and scripts/test: packages, build, counting.
# shellcheck shell=bash

WORLDS_PACKAGES="build-essential autoconf automake libtool libtool-bin pkg-config
libfcgi-dev libjson-c-dev libpq-dev libsodium-dev libcurl4-openssl-dev libssl-dev
postgresql postgresql-contrib nginx
curl jq openssl python3 systemd libfcgi-bin man-db iproute2 wrk valgrind tmux"

# Installs whatever of WORLDS_PACKAGES is missing (Debian 12, as root); packages must not
# start their own nginx or PostgreSQL, so policy-rc.d says no while they install.
worlds_ensure_packages() {
	local missing=() p
	for p in $WORLDS_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	# Node.js (for the npm-based checks: ajv, paseto, redocly) may come from elsewhere than
	# Debian, whose npm package would then conflict: ask for it only when absent.
	command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or install them)" >&2
		return 1
	fi
	echo "installing: ${missing[*]}" >&2
	local ours=0 rc
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		ours=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2
	rc=$?
	# Only while these install: left behind, it would keep every later package's services
	# from starting on this host.
	[ "$ours" = 1 ] && rm -f /usr/sbin/policy-rc.d
	return $rc
}

# Configures (once) and builds into $1 from the source tree $2 with extra configure flags.
worlds_build() {
	local build=$1 src=$2
	shift 2
	mkdir -p "$build"
	if [ ! -x "$src/configure" ] || [ "$src/configure.ac" -nt "$src/configure" ]; then
		(cd "$src" && autoreconf -fi) || return 1
	fi
	if [ ! -f "$build/Makefile" ]; then
		(cd "$build" && "$src/configure" "$@") || return 1
	fi
	make -C "$build" -j"$(nproc)" >/dev/null || make -C "$build"
}
