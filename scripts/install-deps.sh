#!/usr/bin/env bash
# Installs every Debian package cbal needs to build, test, run the example and
# benchmark. Idempotent: packages already present are not reinstalled.
set -euo pipefail
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1

packages=(
  build-essential pkg-config
  liblua5.4-dev lua5.4
  libgdal-dev gdal-bin libgeos-dev libproj-dev
  libcairo2-dev libpango1.0-dev
  fonts-wqy-microhei fonts-dejavu-core fontconfig
  libcmocka-dev lua-busted
  poppler-utils libxml2-utils
  python3-gdal python3-numpy
  libhdfeos-dev
  universal-ctags
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ $quiet -eq 1 ] || echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
