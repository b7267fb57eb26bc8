// The web server's settings from the configuration (the `server`, `community`, `library` and
// `metrics` sections): address, workers, per-client limits, trusted proxies, the access log, and
// the account, submission and library limits the services apply. The services themselves (the
// database's stores, search, recommender, mail) are plugged in by whoever assembles the process
// (cli::App). The option table has held every value to its range, so this cannot fail; the
// trusted-proxy list is parsed by WebServer::create.
#pragma once

#include "config/config.h"
#include "web/server.h"

namespace paperboy::web {

[[nodiscard]] ServerOptions server_options_from(const config::Config& config);

}  // namespace paperboy::web
