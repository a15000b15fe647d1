#!/bin/sh
# Installs the Debian packages the test suite needs, only when missing.
set -e
need=""
command -v newuidmap >/dev/null 2>&1 || need="$need uidmap"
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
command -v setpriv >/dev/null 2>&1 || need="$need util-linux"
command -v ip >/dev/null 2>&1 || need="$need iproute2"
command -v ps >/dev/null 2>&1 || need="$need procps"
command -v groff >/dev/null 2>&1 || need="$need groff-base"
command -v file >/dev/null 2>&1 || need="$need file"
command -v hostname >/dev/null 2>&1 || need="$need hostname"
command -v script >/dev/null 2>&1 || need="$need bsdutils"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$need (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $need >/dev/null
