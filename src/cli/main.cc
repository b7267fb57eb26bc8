// paperboy: the one binary. Parses the command line and hands over to a subcommand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "cli/command.h"

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("paperboy");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  paperboy::cli::Invocation inv;
  CLI::App app{"paperboy: a self-hosted research-paper discovery server"};
  app.require_subcommand(1);
  app.add_option("--config", inv.config_file, "TOML config file (default: DATA_DIR/paperboy.toml)")
      ->envname("PAPERBOY_CONFIG");
  paperboy::cli::add_config_flag(app, inv, "--data-dir", "data_dir", "data directory");
  paperboy::cli::add_config_flag(app, inv, "--database", "database", "store URL (sqlite:PATH or postgresql://...)");
  paperboy::cli::add_config_flag(app, inv, "--log-level", "log_level", "log level");
  // The global flags work after any subcommand too (`paperboy stats --database postgresql://...`):
  // an option a subcommand does not know falls through to these. Set before the subcommands are
  // added, which inherit it.
  app.fallthrough();

  paperboy::cli::add_serve_command(app, inv);
  paperboy::cli::add_ingest_command(app, inv);
  paperboy::cli::add_stats_command(app, inv);
  paperboy::cli::add_show_command(app, inv);
  paperboy::cli::add_config_command(app, inv);
  paperboy::cli::add_harvest_command(app, inv);
  paperboy::cli::add_fetch_command(app, inv);
  paperboy::cli::add_migrate_command(app, inv);
  paperboy::cli::add_user_command(app, inv);
  paperboy::cli::add_digest_command(app, inv);
  paperboy::cli::add_thumbnails_command(app, inv);
  paperboy::cli::add_search_commands(app, inv);
  paperboy::cli::add_backup_commands(app, inv);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Exceptions are bugs (see STYLE.md); report and fail.
    spdlog::critical("internal error: {}", e.what());
    return 70;
  }
  return 0;
}
