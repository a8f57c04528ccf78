#!/usr/bin/env bash
# `systemd-analyze verify` prints nothing for each shipped unit (rendered as `make install`
# renders them, with the programs taken from the build tree so ExecStart= exists), and the
# sysusers.d / tmpfiles.d files apply cleanly to an empty root.
. "$(dirname "$0")/lib.sh"

src=$TOP_SRCDIR/systemd
units=$T_TMP/units
mkdir -p "$units"
render() {
	sed -e "s|@sbindir@|$WORLDS_BINDIR|g" -e "s|@bindir@|$WORLDS_BINDIR|g" \
		-e "s|@sysconfdir@|/etc|g" -e "s|@pkgdatadir@|$TOP_SRCDIR|g" "$1" >"$2"
}
for f in "$src"/*.service.in "$src"/*.socket; do
	out=$units/$(basename "${f%.in}")
	case $f in *.in) render "$f" "$out" ;; *) cp "$f" "$out" ;; esac
done

# Documentation=man:... is checked too: point man at the project's own pages.
manargs=()
mkdir -p "$T_TMP/man/man1" "$T_TMP/man/man8"
missing=""
for page in $(grep -ho 'man:[a-z-]*([0-9])' "$units"/* | sort -u); do
	name=${page#man:}
	name=${name%(*}
	sec=${page##*(}
	sec=${sec%)}
	if [ -f "$TOP_SRCDIR/docs/$name.$sec" ]; then
		cp "$TOP_SRCDIR/docs/$name.$sec" "$T_TMP/man/man$sec/"
	else
		missing="$missing $name.$sec"
	fi
done
export MANPATH=$T_TMP/man
if [ -n "$missing" ]; then
	manargs=(--man=no)
	skip "Documentation= man pages exist" "docs/ has no$missing yet"
fi

for u in "$units"/*; do
	out=$(cd "$units" && systemd-analyze verify "${manargs[@]}" "./$(basename "$u")" 2>&1)
	check "systemd-analyze verify $(basename "$u") prints nothing" "" "$out"
done

root=$T_TMP/root
mkdir -p "$root/etc"
out=$(systemd-sysusers --root="$root" "$src/sysusers.d/worlds.conf" 2>&1 || echo "exit status $?")
check "sysusers.d/worlds.conf applies without complaint" "" "$(grep -vE "^Creating (group|user) 'worlds'" <<<"$out")"
check "it creates the worlds system user without a login shell" \
	"/usr/sbin/nologin" "$(awk -F: '$1 == "worlds" { print $7 }' "$root/etc/passwd" 2>/dev/null)"
uid=$(awk -F: '$1 == "worlds" { print $3 }' "$root/etc/passwd" 2>/dev/null)
check "the worlds user is a system user" yes "$([ -n "$uid" ] && [ "$uid" -lt 1000 ] && echo yes || echo "no (uid '$uid')")"

sed -e "s|@sysconfdir@|/etc|g" "$src/tmpfiles.d/worlds.conf.in" >"$T_TMP/tmpfiles.conf"
out=$(systemd-tmpfiles --root="$root" --create "$T_TMP/tmpfiles.conf" 2>&1)
check "tmpfiles.d/worlds.conf applies silently" "" "$out"
check "it makes the key directory root:worlds 0750" "750 root" \
	"$(stat -c '%a %U' "$root/etc/worlds/keys" 2>/dev/null)"
