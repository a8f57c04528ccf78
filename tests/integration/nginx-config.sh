#!/usr/bin/env bash
# `nginx -t` on the shipped files rendered as `make install` renders them (defaults from
# nginx/local.mk; only the certificate paths point at the stack's test certificate), both
# as the whole site and as snippets included in an existing server block.
. "$(dirname "$0")/lib.sh"

src=$TOP_SRCDIR/nginx
share=$T_TMP/share/nginx
etc=$T_TMP/etc
mkdir -p "$share/snippets" "$share/errors" "$etc" "$T_TMP/tmp"
mkvar() { sed -n "s/^$1 = //p" "$src/local.mk"; }
render() {
	sed -e "s|@WORLDS_NGINX_DIR@|$share|g" \
		-e "s|@WORLDS_SOCKET@|$(mkvar WORLDS_SOCKET)|g" \
		-e "s|@WORLDS_TLS_CERT@|$STACK_DIR/tls/cert.pem|g" \
		-e "s|@WORLDS_TLS_KEY@|$STACK_DIR/tls/key.pem|g" \
		-e "s|@WORLDS_HTTPS_LISTEN@|$(mkvar WORLDS_HTTPS_LISTEN)|g" \
		-e "s|@WORLDS_HTTP_LISTEN@|$(mkvar WORLDS_HTTP_LISTEN)|g" \
		-e "s|@WORLDS_SERVER_NAME@|$(mkvar WORLDS_SERVER_NAME)|g" "$1" >"$2"
}
render "$src/worlds.conf.in" "$share/worlds.conf"
for f in "$src"/snippets/*; do
	case $f in
	*.in) render "$f" "$share/snippets/$(basename "${f%.in}")" ;;
	*) cp "$f" "$share/snippets/" ;;
	esac
done
cp "$src"/errors/*.json "$share/errors/"

left=$(grep -rnoE '@[A-Z_]+@' "$share" | head -3)
check "every placeholder is filled by the build's variables" "" "$left"

bad=0
for f in "$share"/errors/*.json; do
	code=$(basename "$f" .json)
	jq -e --argjson c "$code" '.code == $c and (.type | endswith("_error")) and (.detail | length > 0) and (keys == ["code", "detail", "type"])' \
		"$f" >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# bad error body: $f"; }
done
check "every error body is the envelope for its own code" 0 "$bad"
check "an error body for every error_page" "" "$(grep -oE '/_worlds/errors/[0-9]+\.json' "$share/snippets/worlds-errors.conf" | sort -u |
	while read -r p; do [ -f "$share/errors/${p##*/}" ] || echo "${p##*/} missing"; done)"

# A main configuration like Debian's stock nginx.conf, everything private to this test.
cp /etc/nginx/fastcgi_params /etc/nginx/mime.types "$etc/"
main() {
	cat >"$etc/nginx.conf" <<EOF2
pid $T_TMP/nginx.pid;
events { worker_connections 768; }
http {
	include mime.types;
	default_type application/octet-stream;
	ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
	client_body_temp_path $T_TMP/tmp/body;
	fastcgi_temp_path $T_TMP/tmp/fastcgi;
	proxy_temp_path $T_TMP/tmp/proxy;
	scgi_temp_path $T_TMP/tmp/scgi;
	uwsgi_temp_path $T_TMP/tmp/uwsgi;
	$1
}
EOF2
}
nginx_t() {
	nginx -t -p "$T_TMP/" -c "$etc/nginx.conf" -e "$T_TMP/error.log" >"$T_TMP/t.out" 2>&1
}

main "include $share/worlds.conf;"
if nginx_t; then ok "nginx -t passes on the site (worlds.conf)"; else
	not_ok "nginx -t passes on the site (worlds.conf)" "syntax is ok" "$(tail -n 3 "$T_TMP/t.out")"
fi
check "nginx -t prints no warning on the site" "" "$(grep -E '\[(warn|emerg|alert|crit)\]' "$T_TMP/t.out")"

main "include $share/snippets/worlds-http.conf;
	server {
		listen 8443 ssl;
		server_name existing.example;
		ssl_certificate $STACK_DIR/tls/cert.pem;
		ssl_certificate_key $STACK_DIR/tls/key.pem;
		include $share/snippets/worlds-errors.conf;
		include $share/snippets/worlds-api.conf;
		location / { root /var/www/html; }
	}"
if nginx_t; then ok "nginx -t passes with the snippets in an existing server block"; else
	not_ok "nginx -t passes with the snippets in an existing server block" "syntax is ok" "$(tail -n 3 "$T_TMP/t.out")"
fi

# The shipped location never keeps FastCGI connections open (libfcgi closes them).
check "fastcgi_keep_conn is not enabled" "" "$(grep -rhE '^[[:space:]]*fastcgi_keep_conn[[:space:]]+on' "$share")"
