// WebServer: the HTTP front of `paperboy serve`. Parses and routes requests, calls into the store
// (and, as they land, search and ranking), renders HTML/JSON. Knows nothing of how data got there.
// run() blocks serving on a pool of threads; stop() may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 8;
  // Extra fields merged into /healthz (e.g. the harvest scheduler's last run).
  std::function<nlohmann::json()> health_details;
};

class WebServer {
 public:
  WebServer(store::Store& store, ServerOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds and serves until stop(). Returns an error when the address cannot be bound.
  Status run();
  // Binds to the port (0 = any free port) without serving yet; returns the bound port.
  Result<int> bind();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperboy::web
