#include "cli/command.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "store/database.h"

namespace paperboy::cli {

namespace {
struct ExitRequest {
  int code;
};
}  // namespace

CLI::Option* add_config_flag(CLI::App& cmd, Invocation& inv, const std::string& flag, const std::string& key,
                             const std::string& help) {
  return cmd.add_option_function<std::string>(
      flag, [&inv, key](const std::string& value) { inv.overrides[key] = value; }, help + " (config: " + key + ")");
}

Result<config::Config> load(const Invocation& inv) {
  auto cfg = config::load_config(inv.config_file, inv.overrides);
  if (!cfg) return cfg;
  auto level = spdlog::level::from_str(cfg->log_level);
  spdlog::set_level(level);
  return cfg;
}

Result<std::unique_ptr<store::Database>> open_database(const config::Config& config) {
  return store::open_database({.url = config.database_url()});
}

void exit_with(int code) {
  throw CLI::RuntimeError(code);
}

void die(const Status& status, int code) {
  std::fprintf(stderr, "error: %s\n", status.to_string().c_str());
  exit_with(code);
}

}  // namespace paperboy::cli
