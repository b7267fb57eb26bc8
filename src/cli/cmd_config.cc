// `paperboy config`: the effective configuration and where each setting can be changed;
// `paperboy config --template`: the same as a commented config file.
#include <cstdio>

#include "cli/command.h"

namespace paperboy::cli {

void add_config_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("config", "Print the effective configuration (file < environment < flags)");
  static bool as_template = false;
  cmd->add_flag("--template", as_template,
                "print a config file instead: every setting with its help and allowed values, those that differ "
                "from the defaults set, the rest commented out (deploy/paperboy.toml is this for "
                "--data-dir /var/lib/paperboy)");
  cmd->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    std::string text = as_template ? config::config_template(*cfg) : config::describe(*cfg);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

}  // namespace paperboy::cli
