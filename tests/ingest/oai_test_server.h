// A real OAI-PMH server on 127.0.0.1 for the harvest tests: serves the fixture pages of
// tests/fixtures/oai-pmh, chaining them by resumptionToken ("arXiv-page-1" -> arXiv-page-1.xml),
// records every request with its arrival time, and can be told to misbehave for particular
// requests. Handlers run on httplib's threads; the request log is guarded by a mutex.
#pragma once

#include "support/process.h"

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace paperboy::testing {

inline std::filesystem::path source_dir() { return paperboy_source_dir(); }

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::filesystem::path oai_fixture(const std::string& name) {
  return source_dir() / "tests" / "fixtures" / "oai-pmh" / name;
}

struct SeenRequest {
  std::chrono::steady_clock::time_point at;
  std::string token;   // resumptionToken, "" for an initial request
  std::string prefix;  // metadataPrefix
  std::string from;
  std::string set;
  std::string user_agent;
};

class OaiTestServer {
 public:
  // Returns true when it answered the request itself (the misbehaviour); `n` counts requests
  // from 0, `page` is the fixture file the request maps to.
  using Hook = std::function<bool(const httplib::Request&, httplib::Response&, int n, const std::string& page)>;

  OaiTestServer() {
    server_.Get("/oai", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // listen_after_bind() runs in the thread; stop() only works once it is running.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~OaiTestServer() {
    server_.stop();
    thread_.join();
  }

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/oai"; }
  void set_hook(Hook hook) {
    std::lock_guard lock(mu_);
    hook_ = std::move(hook);
  }
  [[nodiscard]] std::vector<SeenRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void clear_requests() {
    std::lock_guard lock(mu_);
    requests_.clear();
  }

  // The fixture file a request maps to: the token names the page; an initial request gets page 0.
  static std::string page_for(const std::string& token, const std::string& prefix) {
    if (!token.empty()) {
      auto path = oai_fixture(token + ".xml");
      return std::filesystem::exists(path) ? token + ".xml" : "error-badResumptionToken.xml";
    }
    return prefix + "-page-0.xml";
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    SeenRequest seen;
    seen.at = std::chrono::steady_clock::now();
    seen.token = req.get_param_value("resumptionToken");
    seen.prefix = req.get_param_value("metadataPrefix");
    seen.from = req.get_param_value("from");
    seen.set = req.get_param_value("set");
    seen.user_agent = req.get_header_value("User-Agent");
    Hook hook;
    int n = 0;
    {
      std::lock_guard lock(mu_);
      n = static_cast<int>(requests_.size());
      requests_.push_back(seen);
      hook = hook_;
    }
    std::string page = page_for(seen.token, seen.prefix);
    if (hook && hook(req, res, n, page)) return;
    res.set_content(read_file(oai_fixture(page)), "text/xml; charset=utf-8");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<SeenRequest> requests_;
  Hook hook_;
};

}  // namespace paperboy::testing
