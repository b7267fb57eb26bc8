// `paperboy config`: the effective configuration and where each setting can be changed.
#include <cstdio>

#include "cli/command.h"

namespace paperboy::cli {

void add_config_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("config", "Print the effective configuration (file < environment < flags)");
  cmd->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    std::printf("%s", config::describe(*cfg).c_str());
  });
}

}  // namespace paperboy::cli
