#include "cli/assets_dir.h"

#include <system_error>

namespace paperboy::cli {

std::filesystem::path default_assets_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return (exe.parent_path() / ".." / "share" / "paperboy").lexically_normal();
}

std::filesystem::path assets_dir(const config::Config& config) {
  if (!config.server.assets_dir.empty()) return config.server.assets_dir;
  return default_assets_dir();
}

}  // namespace paperboy::cli
