#!/bin/sh
# deps.sh — make sure the platform packages carebill builds and tests with are
# installed. As root it installs what is missing with apt-get; otherwise it
# prints the exact command to run and fails.
set -eu

PKGS="build-essential pkg-config liblua5.4-dev libsqlite3-dev libyaml-dev
libesmtp-dev libcmocka-dev libjansson-dev libxml2-dev libxml2-utils
libcairo2-dev libpango1.0-dev libqrencode-dev poppler-utils python3-aiosmtpd
fonts-dejavu-core sqlite3 time"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "carebill: missing packages:$missing" >&2
    echo "carebill: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
echo "carebill: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
