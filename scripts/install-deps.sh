#!/usr/bin/env bash
# install-deps.sh — install the Debian packages pgdumpkit needs to build (the C libraries its
# system-library targets link against, found with pkg-config) and nginx, which make test runs. Idempotent: when everything is
# already installed it only asks dpkg and exits, with no network and no apt-get.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

PACKAGES=(pkg-config zlib1g-dev libzstd-dev liblz4-dev libarchive-dev libisal-dev libcurl4-openssl-dev nginx)
# nginx: make test serves testdata over HTTP on loopback to test reading archives at URLs.
# moto's S3 server (PyPI, below): make test reads and writes archives at s3:// URLs against it.
MOTO_REQUIREMENT='moto[server]==5.2.1'

log() { printf 'install-deps: %s\n' "$*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
install_moto() {
  python3 -c 'import moto.server, flask_cors, boto3' 2>/dev/null && return 0
  log "installing $MOTO_REQUIREMENT (pip)"
  python3 -m pip install --quiet --disable-pip-version-check "$MOTO_REQUIREMENT" >&2 \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$MOTO_REQUIREMENT" >&2
}

if [ "${#missing[@]}" -eq 0 ]; then
  install_moto
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  log "error: missing ${missing[*]}; run as root or install them: apt-get install ${missing[*]}"
  exit 1
fi

log "installing ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
install_moto
