#!/bin/sh
# deps.sh — `make deps` (run first by `make test` and `make demo`): make sure
# the Debian packages in tools/packages.txt are installed. As root it installs
# what is missing with apt-get; otherwise it prints the exact command to run
# and fails. Nothing else in the build installs anything.
set -eu
list=$(dirname "$0")/packages.txt
PKGS=$(sed -e 's/#.*//' "$list")

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "carebill: make deps installs Debian packages; on this system install the" >&2
    # shellcheck disable=SC2086
    echo "carebill: equivalents of:" $PKGS >&2
    exit 1
fi

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
