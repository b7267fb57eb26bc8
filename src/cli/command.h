// The plumbing every `paperboy` subcommand shares: global flags, flags that override config keys,
// loading the layered config, opening the store, logging. Each command lives in its own
// cmd_<name>.cc and exposes add_<name>_command(); main.cc lists them. Single-threaded setup code.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>

#include "community/accounts.h"
#include "config/config.h"
#include "core/status.h"
#include "search/search_service.h"
#include "store/database.h"

namespace paperboy::cli {

// What the command line said before the config is loaded.
struct Invocation {
  std::string config_file;
  std::map<std::string, std::string> overrides;  // config key -> value, from flags
};

// Adds `--flag VALUE` to `cmd` that overrides config key `key` when given.
CLI::Option* add_config_flag(CLI::App& cmd, Invocation& inv, const std::string& flag, const std::string& key,
                             const std::string& help);

// Loads the layered config and sets the log level. On failure prints the error.
Result<config::Config> load(const Invocation& inv);

// The database the configuration names (database.url, or the SQLite file in the data dir).
Result<std::unique_ptr<store::Database>> open_database(const config::Config& config);

// Ends the command with an exit code (caught in main).
[[noreturn]] void exit_with(int code);

// Prints "error: <status>" to stderr and exits with `code`.
[[noreturn]] void die(const Status& status, int code = 1);

// The subcommands. Each registers itself on `root`, sharing `inv`.
void add_serve_command(CLI::App& root, Invocation& inv);
void add_ingest_command(CLI::App& root, Invocation& inv);
void add_stats_command(CLI::App& root, Invocation& inv);
void add_show_command(CLI::App& root, Invocation& inv);
void add_config_command(CLI::App& root, Invocation& inv);
void add_harvest_command(CLI::App& root, Invocation& inv);
void add_fetch_command(CLI::App& root, Invocation& inv);
void add_migrate_command(CLI::App& root, Invocation& inv);
void add_user_command(CLI::App& root, Invocation& inv);
void add_digest_command(CLI::App& root, Invocation& inv);      // cmd_digest.cc
void add_thumbnails_command(CLI::App& root, Invocation& inv);  // cmd_thumbnails.cc
// backup, restore, check (cmd_backup.cc)
void add_backup_commands(CLI::App& root, Invocation& inv);
// search, similar, reindex, eval (cmd_search.cc)
void add_search_commands(CLI::App& root, Invocation& inv);
// `eval search` and `eval recommend` under the `eval` command (cmd_eval_search.cc, cmd_eval_recommend.cc).
void add_eval_search_command(CLI::App& eval, Invocation& inv);
void add_eval_recommend_command(CLI::App& eval, Invocation& inv);

}  // namespace paperboy::cli
