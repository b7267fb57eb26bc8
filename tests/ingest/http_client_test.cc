// HttpClient against real sockets on 127.0.0.1: a server that accepts and never answers (the
// overall timeout), one that sends headers then stalls mid-body (the low-speed timeout), a peer
// that is cancelled mid-wait, and redirects: followed to the final URL, http(s) only, and a
// redirect loop stopped after the limit.
#include "ingest/http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace paperboy::ingest {
namespace {

using Clock = std::chrono::steady_clock;

// A TCP listener on 127.0.0.1 (port 0, read back) that accepts connections and, when `greeting`
// is set, writes it and then says nothing more, ever; closed when destroyed.
class SilentServer {
 public:
  explicit SilentServer(std::string greeting = "") : greeting_(std::move(greeting)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (true) {
        int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        if (!greeting_.empty()) (void)!write(c, greeting_.data(), greeting_.size());
        clients_.push_back(c);  // kept open and silent
      }
    });
  }
  ~SilentServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    if (thread_.joinable()) thread_.join();
    for (int c : clients_) close(c);
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  std::string greeting_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::vector<int> clients_;
};

HttpClientOptions quick(double timeout_s) {
  HttpClientOptions o;
  o.timeout_s = timeout_s;
  o.connect_timeout_s = timeout_s;
  o.low_speed_timeout_s = timeout_s;
  o.min_interval_s = 0;
  return o;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

TEST(HttpClientTimeouts, AServerThatAcceptsAndNeverAnswersTimesOut) {
  SilentServer server;
  ASSERT_GT(server.port(), 0);
  HttpClient http(quick(1));
  auto start = Clock::now();
  auto r = http.get(server.url());
  double took = seconds_since(start);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kUnavailable) << r.error().to_string();  // worth a retry
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 30) << "bounded by the timeout, not hanging";
}

TEST(HttpClientTimeouts, AServerThatStallsMidBodyTimesOut) {
  SilentServer server("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<OAI-PMH>");
  ASSERT_GT(server.port(), 0);
  HttpClientOptions o = quick(60);
  o.low_speed_timeout_s = 1;  // the stall, not the overall limit, must end it
  HttpClient http(o);
  auto start = Clock::now();
  auto r = http.get(server.url());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kUnavailable) << r.error().to_string();
  EXPECT_LT(seconds_since(start), 45) << "the low-speed limit, not the 60 s overall one, ended it";
}

TEST(HttpClientTimeouts, CancellingAWaitingRequestEndsItAtOnce) {
  SilentServer server;
  ASSERT_GT(server.port(), 0);
  std::atomic<bool> cancel{false};
  HttpClientOptions o = quick(120);
  o.cancel = &cancel;
  HttpClient http(o);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  auto start = Clock::now();
  auto r = http.get(server.url());
  canceller.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kCancelled) << r.error().to_string();
  EXPECT_LT(seconds_since(start), 60);
}

class HttpClientRedirects : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/final",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("arrived", "text/plain"); });
    server_.Get("/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/final", 301); });
    server_.Get("/found", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/moved", 302); });
    server_.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop", 302); });
    server_.Get("/file",
                [](const httplib::Request&, httplib::Response& res) { res.set_redirect("file:///etc/passwd", 302); });
    server_.Get(R"(/hop/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      int n = std::stoi(req.matches[1].str());
      res.set_redirect(n == 0 ? "/final" : "/hop/" + std::to_string(n - 1), 302);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(HttpClientRedirects, FollowsRedirectsToTheFinalUrl) {
  HttpClient http(quick(10));
  auto r = http.get(url("/found"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "arrived");
  EXPECT_EQ(r->effective_url, url("/final"));
  auto five = http.get(url("/hop/4"));  // five redirects: the limit, still followed
  ASSERT_TRUE(five) << five.error().to_string();
  EXPECT_EQ(five->status, 200);
}

TEST_F(HttpClientRedirects, StopsARedirectLoopAndTooManyHops) {
  HttpClient http(quick(10));
  auto start = Clock::now();
  auto loop = http.get(url("/loop"));
  EXPECT_FALSE(loop && loop->status == 200);
  auto many = http.get(url("/hop/9"));
  EXPECT_FALSE(many && many->status == 200);
  EXPECT_LT(seconds_since(start), 30);
}

TEST_F(HttpClientRedirects, NeverFollowsARedirectOutOfHttp) {
  HttpClient http(quick(10));
  auto r = http.get(url("/file"));
  // Refused (an error) or the redirect itself returned: never the file's content.
  EXPECT_TRUE(!r || r->status != 200) << (r ? r->body : r.error().to_string());
  if (r) {
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << "a redirect read a local file";
  }
}

}  // namespace
}  // namespace paperboy::ingest
