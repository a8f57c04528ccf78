#!/usr/bin/env bash
# `systemd-analyze security --offline=true` rates worlds-api.service at most 2.0 (printed).
. "$(dirname "$0")/lib.sh"

unit=$T_TMP/worlds-api.service
sed -e "s|@sbindir@|$WORLDS_BINDIR|g" -e "s|@sysconfdir@|/etc|g" \
	"$TOP_SRCDIR/systemd/worlds-api.service.in" >"$unit"
out=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1)
figure=$(sed -n 's/.*Overall exposure level for worlds-api.service: \([0-9.]*\).*/\1/p' <<<"$out")
echo "# systemd-analyze security --offline=true worlds-api.service: exposure ${figure:-?}"
if [ -n "$figure" ] && awk -v f="$figure" 'BEGIN { exit !(f <= 2.0) }'; then
	ok "worlds-api.service exposure $figure <= 2.0"
else
	not_ok "worlds-api.service exposure <= 2.0" "<= 2.0" "${figure:-no figure}: $(tail -n 2 <<<"$out")"
fi
