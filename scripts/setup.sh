#!/usr/bin/env bash
# Installs every Debian package Paperboy needs to build, test and run.
# Idempotent and non-interactive; called by scripts/run.sh and scripts/test.sh.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  # libraries the binary links
  libsimdjson-dev nlohmann-json3-dev libpugixml-dev libcurl4-openssl-dev
  libsqlite3-dev libpq-dev libhnswlib-dev libfasttext-dev libcpp-httplib-dev
  libkainjow-mustache-dev libcli11-dev libspdlog-dev libfmt-dev libsodium-dev
  libzstd-dev zlib1g-dev libtomlplusplus-dev libxxhash-dev libexpat1-dev libeigen3-dev
  # comments: CommonMark rendering with raw HTML disabled (CMARK_OPT_SAFE)
  libcmark-dev
  # the HTTP transport: Boost.Beast on Boost.Asio (header-only)
  libboost-dev
  # the server's allocator (CMake option PAPERBOY_JEMALLOC)
  libjemalloc-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev zstd gzip python3 procps time
  # fuzz targets (fuzz/, scripts/fuzz_smoke.sh): clang's libFuzzer runtime, linked to GCC-built code
  libclang-rt-14-dev
  # the PostgreSQL store's tests start a throwaway PostgreSQL 15 server (run as `nobody` under root)
  postgresql-15 util-linux
  libssl-dev libbrotli-dev
  # mail tests: a real SMTP server on loopback (tests/support/smtp_sink.py)
  python3-aiosmtpd
  # SMTP TLS tests: a self-signed certificate made per test run
  openssl
  # web: browser end-to-end tests (playwright-core drives Debian's chromium), feed and BibTeX
  # parsers for the web tests, wrk for the web benchmark, node/npm for KaTeX and the e2e tools
  chromium python3-feedparser python3-pybtex wrk
  # scale-out test and benchmark: nginx as the round-robin balancer in front of two instances
  nginx-light
  # the arxiv-sanity-lite reference of the recommendation benchmark (bench/search/arxiv_sanity_reference.py)
  python3-sklearn
)
# node and npm: any recent Node.js (>= 18) will do; Debian's when none is installed.
if ! command -v npm >/dev/null; then PACKAGES+=(nodejs npm); fi

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

# KaTeX (served locally) and the browser test tools, pinned by package-lock.json.
cd "$(dirname "$0")/.."
if ! cmp -s package-lock.json node_modules/.paperboy-installed-lock 2>/dev/null; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.paperboy-installed-lock
fi
