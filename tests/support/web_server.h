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
#include "store/community_store.h"
#include "store/library_store.h"
#include "store/sqlite/sqlite_store.h"
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
    server_ = std::make_unique<web::WebServer>(store, std::move(options));
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

// The stores the server tests start a WebServer on: a SQLite file `dir`/test.db holding `papers`,
// with the community and library stores on the same file. Call under ASSERT_NO_FATAL_FAILURE.
struct TestStores {
  std::unique_ptr<store::Store> papers;
  std::unique_ptr<store::CommunityStore> community;
  std::unique_ptr<store::LibraryStore> library;
};
inline void open_test_stores(const std::filesystem::path& dir, std::vector<core::Paper> papers, TestStores& out) {
  std::string db = (dir / "test.db").string();
  auto s = store::sqlite::SqliteStore::open(db, 8);
  ASSERT_TRUE(s) << s.error().to_string();
  out.papers = std::move(*s);
  store::WriteBatch batch;
  batch.papers = std::move(papers);
  ASSERT_TRUE(out.papers->apply(batch));
  store::StoreOptions so;
  so.url = db;
  auto c = store::open_community_store(so);
  ASSERT_TRUE(c) << c.error().to_string();
  out.community = std::move(*c);
  auto l = store::open_library_store(so);
  ASSERT_TRUE(l) << l.error().to_string();
  out.library = std::move(*l);
}

}  // namespace paperboy::testing
