// `paperboy serve`: the web site. The App (cli/app.h) assembles the parts from the configuration;
// an empty database gets the bundled demo data first.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/app.h"
#include "cli/command.h"

namespace paperboy::cli {

void add_serve_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("serve", "Run the web server");
  add_config_flag(*cmd, inv, "--host", "server.host", "address to listen on");
  add_config_flag(*cmd, inv, "--port", "server.port", "port to listen on (0: any free port)");
  add_config_flag(*cmd, inv, "--threads", "server.threads", "requests in handlers at once (worker threads)");
  add_config_flag(*cmd, inv, "--public-url", "server.public_url", "absolute base URL for links in mails and feeds");
  add_config_flag(*cmd, inv, "--assets-dir", "server.assets_dir", "folder with katex/ and demo-papers.jsonl.zst");
  add_config_flag(*cmd, inv, "--smtp-url", "mail.smtp_url", "SMTP server for digests: smtp://HOST:PORT or smtps://");
  cmd->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto app = App::create(*cfg);
    if (!app) die(app.error());
    auto port = (*app)->bind();
    if (!port) die(port.error());
    std::printf("paperboy serving on http://%s:%d/\n", cfg->server.host.c_str(), *port);
    if ((*app)->metrics_port() > 0) {
      std::printf("paperboy metrics on %s (port %d)\n", cfg->metrics.listen.c_str(), (*app)->metrics_port());
    }
    std::fflush(stdout);
    if (Status s = (*app)->run(); !s.is_ok()) die(s);
    spdlog::info("stopped");
  });
}

}  // namespace paperboy::cli
