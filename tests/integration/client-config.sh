#!/usr/bin/env bash
# Where worlds(1) finds its settings, against the real server: ~/.config/worlds/client.conf
# alone is enough; DREADNODE_ORGANIZATION / DREADNODE_WORKSPACE stand in for ours; a flag
# beats the environment, which beats the file; --config names another file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/contract/api-fixture.bash"
. "$(dirname "$0")/client/lib.bash"
api_fixture
client_setup
unset WORLDS_SERVER WORLDS_CACERT WORLDS_ORGANIZATION WORLDS_WORKSPACE WORLDS_TOKEN

mkdir -p "$HOME/.config/worlds"
printf '%s\n' "$AF_VIEWER" >"$T_TMP/viewer.token"
chmod 600 "$T_TMP/viewer.token"
cat >"$HOME/.config/worlds/client.conf" <<EOF
# worlds(1) settings
server = $BASE_URL/api/v1
token_file = $T_TMP/viewer.token
cacert = "$STACK_DIR/tls/cert.pem"
organization = $AF_ORG
workspace = $CL_WS
EOF
cl --json job-list
expect_rc 0 "client.conf alone: server, token file, CA, workspace"
check "client.conf alone: the workspace's (empty) job list" "0" "$(jq -r .total <<<"$CL_OUT" 2>&1)"
cl --json whoami
check "client.conf: the token file's user" "viewer-$AF_TAG@example.com" "$(jq -r .user.email <<<"$CL_OUT" 2>&1)"

WORLDS_WORKSPACE=nowhere cl job-list
expect_rc 5 "the environment beats the file (an unknown workspace: 404)"
WORLDS_WORKSPACE=nowhere cl --workspace "$CL_WS" job-list
expect_rc 0 "a flag beats the environment"
WORLDS_TOKEN=$AF_EDITOR cl --json whoami
check "WORLDS_TOKEN beats the file's token_file" "editor-$AF_TAG@example.com" "$(jq -r .user.email <<<"$CL_OUT" 2>&1)"

sed -i '/^organization\|^workspace/d' "$HOME/.config/worlds/client.conf"
DREADNODE_ORGANIZATION=$AF_ORG DREADNODE_WORKSPACE=$CL_WS cl job-list
expect_rc 0 "DREADNODE_ORGANIZATION and DREADNODE_WORKSPACE when ours are unset"
DREADNODE_ORGANIZATION=nowhere DREADNODE_WORKSPACE=$CL_WS WORLDS_ORGANIZATION=$AF_ORG cl job-list
expect_rc 0 "WORLDS_ORGANIZATION beats DREADNODE_ORGANIZATION"

mv "$HOME/.config/worlds/client.conf" "$T_TMP/other.conf"
cl --config "$T_TMP/other.conf" --json whoami
expect_rc 0 "--config FILE"
cl whoami
expect_rc 2 "without a file, a server or a token: exit 2"
