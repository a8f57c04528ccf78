#!/usr/bin/env bash
# Key rotation without downtime (architecture.md, Tokens): a second key is added to
# keys_dir and worlds-api reloaded (SIGHUP through the stack's reload) while requests flow;
# tokens of both keys are then served. The old key is removed and the server reloaded while
# requests flow; its tokens then get 401 token_error. During each reload, 300 requests
# through nginx: every one answered 200, or (the token of a key being added or removed)
# 200 or 401 token_error, never anything else.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/auth/fixture.bash"
auth_fixture
auth_source 29

tag=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
old=$WORLDS_KEYS_DIR/auth-rot-old-$tag
new=$WORLDS_KEYS_DIR/auth-rot-new-$tag
path=$AUTH_A1/jobs
on_exit "$STACK" reload --dir "$STACK_DIR"
on_exit rm -f "$old.public" "$new.public"

# The key pair is made aside (the API host needs only the .public) and installed by copying
# its public half into keys_dir, as an operator would.
key() {
	actl keygen --dir "$T_TMP" --name "$(basename "$1")" >/dev/null 2>"$T_TMP/keygen.err" ||
		not_ok "keygen $(basename "$1")" "exit 0" "$(cat "$T_TMP/keygen.err")"
}
install_key() { cp "$T_TMP/$(basename "$1").public" "$1.public"; }
issue() {
	actl token issue --user "viewer-$AUTH_TAG@example.com" --ttl 3600 \
		--key "$T_TMP/$(basename "$1").secret" 2>/dev/null
}

# flow NAME TOKEN N ADDR: N GETs of $path with TOKEN over one kept-alive connection, 20 a
# second (5 s for 100, under nginx's 50 r/s per address), from 127.0.0.ADDR when usable.
# "STATUS FILE" lines in $T_TMP/NAME.codes, bodies in $T_TMP/NAME/.
# HTTP/1.1: the stack's reload also reloads nginx, whose old workers then send HTTP/2
# GOAWAY, and curl 7.88 fails a request racing it ("(16) Error in the HTTP2 framing
# layer") instead of retrying it: a client matter, not the key reload under test.
flow() {
	local name=$1 tok=$2 n=$3 i iface=("${AUTH_IFACE[@]}")
	[ ${#AUTH_IFACE[@]} -gt 0 ] && iface=(--interface "127.0.0.$4")
	mkdir -p "$T_TMP/$name"
	for ((i = 1; i <= n; i++)); do
		printf 'url = "%s"\noutput = "%s"\n' "$BASE_URL$path" "$T_TMP/$name/$i"
	done >"$T_TMP/$name.cfg"
	curl -sSk --http1.1 "${iface[@]}" --rate 20/s --max-time 10 -H "Authorization: Bearer $tok" \
		-w '%{http_code} %{filename_effective}\n' -K "$T_TMP/$name.cfg" \
		>"$T_TMP/$name.codes" 2>"$T_TMP/$name.err"
}

# Lines of FILE.codes whose answer is not one of the allowed kinds (200, tok401).
unexpected() {
	local file=$1 allow=$2 code f
	while read -r code f; do
		case $code in
		200) [[ $allow == *200* ]] && continue ;;
		401) [[ $allow == *tok401* ]] && grep -q '"type":"token_error"' "$f" && continue ;;
		esac
		echo "$code $(head -c 160 "$f" 2>/dev/null)"
	done <"$T_TMP/$file.codes"
}

# check_flow WHAT NAME ALLOW N: all N answered, each of the allowed kinds.
check_flow() {
	local what=$1 name=$2 allow=$3 n=$4 got bad
	got=$(wc -l <"$T_TMP/$name.codes")
	bad=$(unexpected "$name" "$allow")
	if [ "$got" -eq "$n" ] && [ -z "$bad" ]; then
		ok "$what"
	else
		not_ok "$what" "$n answers, each ${allow//tok401/401 token_error}" \
			"$got answers; $(grep -c . <<<"$bad") others: $(head -n 3 <<<"$bad" | tr '\n' ';')$(head -c 200 "$T_TMP/$name.err")"
	fi
}

# first_of, last_of NAME: the status of the flow's first, last answer.
first_of() { head -n 1 "$T_TMP/$1.codes" | cut -d' ' -f1; }
last_of() { tail -n 1 "$T_TMP/$1.codes" | cut -d' ' -f1; }

# steady WHAT TOKEN CODE [TYPE]: 8 requests in a row (several workers) all answer CODE.
steady() {
	local what=$1 tok=$2 code=$3 type=${4:-} i bad=0 last=
	for i in 1 2 3 4 5 6 7 8; do
		areq GET "$path" "$tok"
		if [ "$RESP_STATUS" != "$code" ] || { [ -n "$type" ] && [[ $RESP_BODY != *"\"type\":\"$type\""* ]]; }; then
			bad=$((bad + 1))
			last="$RESP_STATUS $(resp_excerpt)"
		fi
	done
	check "$what: 8 requests in a row answer $code${type:+ $type}" "0 others" "$bad others${last:+, last: $last}"
}

# reload_during WHAT NAMES...: waits until the flows have started, makes the change (the
# function `change`), reloads, and checks that the first flow was still running.
# (Answers are counted by their body files: curl writes its -w lines at the end.)
answered() { find "$T_TMP/$1" -type f 2>/dev/null | wc -l; }
reload_during() {
	local what=$1 before=0 after i
	shift
	for ((i = 0; i < 100; i++)); do
		before=$(answered "$1")
		[ "$before" -ge 10 ] && break
		sleep 0.05
	done
	change
	stack_ctl reload
	after=$(answered "$1")
	if [ "$before" -gt 0 ] && [ "$after" -lt 100 ]; then
		ok "$what happened while requests flowed ($before answered before, $after after)"
	else
		not_ok "$what happened while requests flowed" "some of 100 answered before, not all after" \
			"$before answered before, $after after"
	fi
	wait "${FLOW_PIDS[@]}"
}

key "$old"
install_key "$old"
stack_ctl reload
tok_old=$(issue "$old")
wait_until 10 auth_key_works "$tok_old" "$path" ||
	not_ok "the old key is accepted after a reload" "200 within 10 s" "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok_old" "$BASE_URL$path")"
steady "the old key alone" "$tok_old" 200

# 1. The new key arrives: the old key's tokens never fail; the new one's go 401 → 200.
key "$new"
tok_new=$(issue "$new")
FLOW_PIDS=()
flow add-a "$tok_old" 100 31 & FLOW_PIDS+=($!)
flow add-b "$tok_old" 100 32 & FLOW_PIDS+=($!)
flow add-n "$tok_new" 100 33 & FLOW_PIDS+=($!)
change() { install_key "$new"; }
reload_during "adding the key (SIGHUP)" add-a add-b add-n
check_flow "key added: 100 requests with the old key's token, all 200" add-a 200 100
check_flow "key added: 100 more with the old key's token (second connection), all 200" add-b 200 100
check_flow "key added: 100 requests with the new key's token, each 200 or 401 token_error" add-n "200 tok401" 100
check "the new key was unknown before the reload (first answer)" 401 "$(first_of add-n)"
wait_until 10 auth_key_works "$tok_new" "$path"
steady "after the reload, the new key" "$tok_new" 200
steady "after the reload, the old key" "$tok_old" 200

# 2. The old key goes: the new key's tokens never fail; the old one's go 200 → 401.
FLOW_PIDS=()
flow del-a "$tok_new" 100 34 & FLOW_PIDS+=($!)
flow del-b "$tok_new" 100 35 & FLOW_PIDS+=($!)
flow del-o "$tok_old" 100 36 & FLOW_PIDS+=($!)
change() { rm -f "$old.public"; }
reload_during "removing the old key (SIGHUP)" del-a del-b del-o
check_flow "key removed: 100 requests with the new key's token, all 200" del-a 200 100
check_flow "key removed: 100 more with the new key's token (second connection), all 200" del-b 200 100
check_flow "key removed: 100 requests with the old key's token, each 200 or 401 token_error" del-o "200 tok401" 100
check "the old key was still served before the reload (first answer)" 200 "$(first_of del-o)"
wait_until 10 bash -c "[ \"\$(curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $tok_old' '$BASE_URL$path')\" = 401 ]"
steady "after the reload, the removed key" "$tok_old" 401 token_error
areq GET "$path" "$tok_old"
expect_envelope 401 token_error "a token of the removed key"
steady "after the reload, the new key" "$tok_new" 200
check "the old key's last answer in the flow" 401 "$(last_of del-o)"
