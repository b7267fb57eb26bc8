#!/usr/bin/env bash
# Installs every Debian package Paperboy needs to build, test and run.
# Idempotent and non-interactive; called by scripts/run.sh and scripts/test.sh.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  # libraries the binary links
  libsimdjson-dev nlohmann-json3-dev libpugixml-dev libcurl4-openssl-dev
  libsqlite3-dev libhnswlib-dev libfasttext-dev libcpp-httplib-dev
  libkainjow-mustache-dev libcli11-dev libspdlog-dev libfmt-dev libsodium-dev
  libzstd-dev zlib1g-dev libtomlplusplus-dev libeigen3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev zstd gzip python3 procps
  libssl-dev libbrotli-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi
