// A stand-in for arxiv.org/pdf on 127.0.0.1 for the thumbnail tests: GET /pdf/ID answers what the
// test scripted for ID, one answer per request (the last one repeats): a status and a body. IDs
// without a script get 404. Records every request's User-Agent and time. Handlers run on httplib's
// threads; everything is guarded by a mutex. Test-only.
#pragma once

#include <httplib.h>

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace paperboy::testing {

class PdfServer {
 public:
  struct Answer {
    int status = 200;
    std::string body;
    std::string content_type = "application/pdf";
  };
  struct Seen {
    std::string id;
    std::string user_agent;
    std::chrono::steady_clock::time_point at;
  };

  PdfServer() {
    server_.Get(R"(/pdf/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      std::string id = req.matches[1];
      seen_.push_back({id, req.get_header_value("User-Agent"), std::chrono::steady_clock::now()});
      auto it = scripts_.find(id);
      if (it == scripts_.end() || it->second.empty()) {
        res.status = 404;
        res.set_content("not found", "text/plain");
        return;
      }
      Answer a = it->second.front();
      if (it->second.size() > 1) it->second.pop_front();
      res.status = a.status;
      res.set_content(a.body, a.content_type);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~PdfServer() {
    server_.stop();
    thread_.join();
  }
  PdfServer(const PdfServer&) = delete;
  PdfServer& operator=(const PdfServer&) = delete;

  // The answers to GET /pdf/ID, in order; the last one repeats.
  void script(const std::string& id, std::vector<Answer> answers) {
    std::lock_guard lock(mu_);
    scripts_[id] = std::deque<Answer>(answers.begin(), answers.end());
  }
  // thumbnails.pdf_url for this server.
  [[nodiscard]] std::string url_template() const { return "http://127.0.0.1:" + std::to_string(port_) + "/pdf/{id}"; }
  [[nodiscard]] std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::map<std::string, std::deque<Answer>> scripts_;
  std::vector<Seen> seen_;
};

}  // namespace paperboy::testing
