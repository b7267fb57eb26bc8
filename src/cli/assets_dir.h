// Where `paperboy` finds its read-only files (KaTeX, the demo papers): `server.assets_dir`
// (`--assets-dir`, PAPERBOY_SERVER_ASSETS_DIR) when set, else `../share/paperboy` next to the
// binary's own location: /usr/share/paperboy for /usr/bin/paperboy, and in a build tree the folder
// CMake stages beside src/cli (src/share/paperboy, links into the sources). No build or source path
// is compiled in. Plain functions; thread-safe.
#pragma once

#include <filesystem>

#include "config/config.h"

namespace paperboy::cli {

// <directory of the running executable>/../share/paperboy, normalised; empty when the executable's
// path cannot be read (no /proc).
[[nodiscard]] std::filesystem::path default_assets_dir();

// server.assets_dir when set, else default_assets_dir().
[[nodiscard]] std::filesystem::path assets_dir(const config::Config& config);

}  // namespace paperboy::cli
