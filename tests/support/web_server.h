// Test support for the web tests: a paper with the fields listings need, and the real WebServer
// running on a free loopback port on its own thread, stopped when the object goes away.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/paper.h"
#include "core/time.h"
#include "store/database.h"
#include "support/test_database.h"
#include "web/server.h"

namespace paperboy::testing {

// A one-version paper by Ada Lovelace first announced on `day` (YYYY-MM-DD).
inline core::Paper listed_paper(const std::string& id, const std::string& day, const std::string& title,
                                std::vector<std::string> categories = {"cs.LG"}) {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.abstract = "Abstract of " + title;
  p.authors = {{"Lovelace", "Ada", ""}};
  p.categories = std::move(categories);
  p.versions = {{1, *core::parse_iso8601(day)}};
  p.update_date = day;
  return p;
}

class RunningServer {
 public:
  // Binds port 0 (`options.port` is overridden) and serves until destroyed. Check ok() with
  // ASSERT_TRUE in the fixture: a constructor cannot fail a test by itself.
  RunningServer(store::Store& store, web::ServerOptions options) {
    options.port = 0;
    auto created = web::WebServer::create(store, std::move(options));
    if (!created) {
      error_ = created.error().to_string();
      return;
    }
    server_ = std::move(*created);
    auto port = server_->bind();
    if (!port) {
      error_ = port.error().to_string();
      return;
    }
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->run(); });
    for (int i = 0; i < 100 && !client().Get("/healthz"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~RunningServer() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] int port() const { return port_; }
  // A client that shows redirects instead of following them.
  [[nodiscard]] httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_follow_location(false);
    return c;
  }

 private:
  std::unique_ptr<web::WebServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::string error_;
};

}  // namespace paperboy::testing
