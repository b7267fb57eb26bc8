// A fake arXiv API (`/api/query?id_list=...`) on 127.0.0.1 for the submit-a-paper tests: answers
// an id that has a fixture tests/fixtures/arxiv-api/ID.atom with that real Atom response, and any
// other id as arXiv does for an id it does not know (a feed without entries). Counts the requests.
// Handlers run on httplib's threads; the count is atomic. Test-only.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/process.h"

namespace paperboy::testing {

class ArxivApiServer {
 public:
  ArxivApiServer() {
    server_.Get("/api/query", [this](const httplib::Request& req, httplib::Response& res) {
      requests_++;
      std::string id = req.get_param_value("id_list");
      std::filesystem::path fixture =
          std::filesystem::path(paperboy_source_dir()) / "tests" / "fixtures" / "arxiv-api" / (id + ".atom");
      // Ids are looked up as file names only when they hold no path syntax.
      if (id.find('/') == std::string::npos && id.find("..") == std::string::npos && std::filesystem::exists(fixture)) {
        std::ifstream in(fixture, std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        res.set_content(body.str(), "application/atom+xml; charset=utf-8");
        return;
      }
      res.set_content(R"(<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title><id>http://arxiv.org/api/x</id>
<updated>2026-11-30T00:00:00-05:00</updated></feed>
)",
                      "application/atom+xml; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ArxivApiServer() {
    server_.stop();
    thread_.join();
  }
  ArxivApiServer(const ArxivApiServer&) = delete;
  ArxivApiServer& operator=(const ArxivApiServer&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/query"; }
  [[nodiscard]] int requests() const { return requests_.load(); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
};

}  // namespace paperboy::testing
