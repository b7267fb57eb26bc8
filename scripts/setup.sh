#!/usr/bin/env bash
# Installs the Debian packages (and npm packages) Paperboy needs. Idempotent and non-interactive.
#   scripts/setup.sh            build and run only (scripts/run.sh): toolchain, libraries, KaTeX
#   scripts/setup.sh --test     also the test tools (scripts/test.sh): PostgreSQL, chromium, nginx,
#                               aiosmtpd, wrk, GoogleTest, the Python parsers, playwright-core...
#   scripts/setup.sh --package  also the Debian packaging tools (scripts/package.sh)
set -euo pipefail

mode=run
for arg in "$@"; do
  case "$arg" in
    --test) mode=test ;;
    --package) mode=package ;;
    *) echo "usage: scripts/setup.sh [--test|--package]" >&2; exit 2 ;;
  esac
done

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
  # first-page thumbnails: poppler renders PDF pages, libwebp encodes the images (src/thumbs)
  libpoppler-cpp-dev libwebp-dev
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

# What only the tests and benchmarks need (PACKAGES lists everything): left out of a run install.
TEST_ONLY=(
  libgtest-dev libgmock-dev libbenchmark-dev procps time postgresql-15 python3-aiosmtpd
  chromium python3-feedparser python3-pybtex wrk nginx-light libclang-rt-14-dev
)
# Test tools beyond PACKAGES: the /metrics parser and the OpenAPI validator of the web tests.
TEST_EXTRA=(python3-prometheus-client python3-jsonschema)
# scripts/package.sh: dpkg-buildpackage, debhelper, the man page, lintian.
PACKAGE_EXTRA=(dpkg-dev debhelper fakeroot help2man lintian)

is_test_only() {
  local p
  for p in "${TEST_ONLY[@]}"; do [ "$p" = "$1" ] && return 0; done
  return 1
}
case "$mode" in
  test) PACKAGES+=("${TEST_EXTRA[@]}") ;;
  run | package)
    kept=()
    for p in "${PACKAGES[@]}"; do is_test_only "$p" || kept+=("$p"); done
    PACKAGES=("${kept[@]}")
    if [ "$mode" = package ]; then PACKAGES+=("${PACKAGE_EXTRA[@]}"); fi
    ;;
esac

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

# KaTeX (served locally), pinned by package-lock.json; the test install adds the browser test tools
# (devDependencies). The marker records which install node_modules holds.
cd "$(dirname "$0")/.."
npm_mode=$([ "$mode" = test ] && echo full || echo runtime)
want="$(sha256sum package-lock.json | cut -d' ' -f1) $npm_mode"
have=$(cat node_modules/.paperboy-installed 2>/dev/null || true)
# A full install serves a runtime one too.
if [ "$have" != "$want" ] && [ "$have" != "${want% *} full" ]; then
  echo "setup: npm ci ($npm_mode)"
  if [ "$npm_mode" = full ]; then
    npm ci --no-audit --no-fund
  else
    npm ci --no-audit --no-fund --omit=dev
  fi
  echo "$want" > node_modules/.paperboy-installed
fi
