// Test support for the mail tests: a real SMTP server (tests/support/smtp_sink.py on aiosmtpd)
// run as a child process, parsing of the messages it stored (headers, quoted-printable parts),
// a store seeded with a few papers, and polling helpers. Test-only; single-threaded.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>

#include "core/time.h"
#include "store/database.h"
#include "store/mail_store.h"
#include "store/store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy::mailtest {

// A port that was free a moment ago (for a server whose URL must be known before it starts).
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

inline bool wait_until(const std::function<bool()>& done, double seconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

inline std::string decode_quoted_printable(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && i + 2 < in.size() + 1) {
      if (in.compare(i, 3, "=\r\n") == 0) {
        i += 2;
      } else if (i + 2 < in.size()) {
        out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
        i += 2;
      }
    } else {
      out += in[i];
    }
  }
  return out;
}

// One stored message: top-level headers and the decoded text and HTML parts.
struct ReceivedMail {
  std::string raw;
  std::multimap<std::string, std::string> headers;
  std::string text, html;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline ReceivedMail parse_mail(const std::string& raw) {
  ReceivedMail m;
  m.raw = raw;
  size_t end = raw.find("\r\n\r\n");
  std::istringstream hs(raw.substr(0, end));
  std::string line, last;
  while (std::getline(hs, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      std::prev(m.headers.upper_bound(last))->second += line;
      continue;
    }
    size_t colon = line.find(": ");
    if (colon == std::string::npos) continue;
    last = line.substr(0, colon);
    m.headers.emplace(last, line.substr(colon + 2));
  }
  std::string ct = m.header("Content-Type");
  size_t b = ct.find("boundary=\"");
  if (b == std::string::npos) return m;
  std::string boundary = "--" + ct.substr(b + 10, ct.find('"', b + 10) - b - 10);
  size_t pos = raw.find(boundary);
  while (pos != std::string::npos) {
    size_t next = raw.find(boundary, pos + boundary.size());
    if (next == std::string::npos) break;
    std::string part = raw.substr(pos + boundary.size() + 2, next - pos - boundary.size() - 2);
    size_t body = part.find("\r\n\r\n");
    std::string head = part.substr(0, body);
    std::string content = decode_quoted_printable(part.substr(body + 4));
    if (head.find("text/plain") != std::string::npos) m.text = content;
    if (head.find("text/html") != std::string::npos) m.html = content;
    pos = next;
  }
  return m;
}

// The first "http..." URL in `text` containing `path`.
inline std::string find_link(const std::string& text, const std::string& path) {
  size_t at = text.find(path);
  if (at == std::string::npos) return "";
  size_t start = text.rfind("http", at);
  size_t end = text.find_first_of(" \r\n\"<>", at);
  return text.substr(start, end - start);
}

class SmtpSink {
 public:
  // Starts the sink on `port` (0: any) with smtp_sink.py's `options` (--closed, --hang, --tls CERT
  // KEY, --starttls CERT KEY, --auth USER:PASS). Waits until the port is bound (and, unless
  // --closed, listens).
  explicit SmtpSink(std::filesystem::path dir, int port = 0, std::vector<std::string> options = {})
      : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     testing::paperboy_source_dir() + "/tests/support/smtp_sink.py"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(dir_.string());
    argv.push_back(std::to_string(port));
    process_ = std::make_unique<testing::Process>(argv);
    auto line = process_->read_line();
    if (line && line->starts_with("PORT ")) port_ = std::stoi(line->substr(5));
  }
  // A --closed sink starts listening; true once it does.
  bool open() {
    process_->signal(SIGUSR1);
    auto line = process_->read_line();
    return line && *line == "LISTENING";
  }
  // One line per accepted message: "tls=<0|1> auth=<user or ->".
  [[nodiscard]] std::vector<std::string> sessions() const {
    std::ifstream in(dir_ / "sessions.log");
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  ~SmtpSink() { stop(); }
  void stop() {
    if (process_) {
      process_->signal(SIGTERM);
      process_->wait();
      process_.reset();
    }
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  void control(const std::string& json) const {
    std::ofstream(dir_ / "control.json.new") << json;
    std::filesystem::rename(dir_ / "control.json.new", dir_ / "control.json");
  }
  [[nodiscard]] std::string url(const std::string& scheme) const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }
  [[nodiscard]] std::vector<ReceivedMail> messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() == ".eml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<ReceivedMail> out;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      out.push_back(parse_mail(std::string(std::istreambuf_iterator<char>(in), {})));
    }
    return out;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<testing::Process> process_;
  int port_ = 0;
};

inline core::Paper paper(const std::string& id, const std::string& title, const std::string& cat,
                         std::int64_t published) {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.authors = {{"Lovelace", "Ada", ""}, {"Noether", "Emmy", ""}};
  p.abstract = "We study " + title + ". Ünïcode and an equals sign = here, to exercise quoted-printable.";
  p.categories = {cat};
  p.versions = {{1, published}};
  p.update_date = "2024-03-01";
  return p;
}

// A store with a few papers on 2024-03-01 (cs.LG, cs.CL) and one older (cs.CV).
inline void seed_papers(const testing::TempDir& dir) {
  auto store = store::open_database({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->papers().apply(
      {.papers = {paper("2403.00001", "Scaling sparse transformers", "cs.LG", 1709251200),
                  paper("2403.00002", "Parsing with large language models", "cs.CL", 1709251200),
                  paper("2402.00003", "Vision at night", "cs.CV", 1706745600)}}));
}

// The database at `url` before any sender runs: one paper from an hour ago (for a daily digest)
// and `subscribers` confirmed daily trending subscribers reader<i>@example.org whose confirmation
// mails are out of the way. Wrap calls in ASSERT_NO_FATAL_FAILURE.
inline void seed_confirmed_subscribers(const std::string& url, int subscribers) {
  auto store = store::open_database({.url = url});
  ASSERT_TRUE(store) << store.error().to_string();
  ASSERT_TRUE((*store)->papers().apply(
      {.papers = {paper("2403.00001", "Scaling sparse transformers", "cs.LG", core::unix_now() - 3600)}}));
  auto mail = store::open_database({.url = url});
  ASSERT_TRUE(mail) << mail.error().to_string();
  for (int i = 0; i < subscribers; ++i) {
    auto s = (*mail)->mail().subscribe({"reader" + std::to_string(i) + "@example.org", "daily", "trending", {}, 0},
                                       core::unix_now(), 600);
    ASSERT_TRUE(s);
    ASSERT_TRUE(*(*mail)->mail().confirm(s->subscription.id, core::unix_now()));
    auto rows = (*mail)->mail().outbox(s->subscription.id);
    ASSERT_TRUE(rows);
    for (const auto& row : *rows) ASSERT_TRUE((*mail)->mail().mark_skipped(row.id, "test").is_ok());
  }
}

}  // namespace paperboy::mailtest
