#!/usr/bin/env bash
# Builds the Debian package of this checkout the Debian way (debian/, debhelper,
# `dpkg-buildpackage -b`), then checks it with lintian. The build log goes to stderr; the last line
# of stdout is the path of the .deb (written beside the checkout, as dpkg-buildpackage does).
# Tests are not run here (DEB_BUILD_OPTIONS=nocheck; scripts/test.sh runs them); the build runs
# under `nice -n 10` on JOBS (default 2) cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

./scripts/setup.sh --package >&2
export DEB_BUILD_OPTIONS="nocheck parallel=${JOBS:-2} ${DEB_BUILD_OPTIONS:-}"
# debhelper points HOME elsewhere during the build; keep ccache's cache where the other builds are.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
nice -n 10 dpkg-buildpackage -b -us -uc >&2

version=$(dpkg-parsechangelog -SVersion)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="$(dirname "$ROOT")/paperboy_${version}_${arch}.deb"
changes="$(dirname "$ROOT")/paperboy_${version}_${arch}.changes"
[ -f "$deb" ] || { echo "package: $deb was not built" >&2; exit 1; }
# lintian exits non-zero on errors (warnings are printed, not fatal).
echo "== lintian $changes" >&2
lintian --fail-on error "$changes" >&2
echo "$deb"
