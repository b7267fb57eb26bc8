// `paperboy serve` with other processes at work on the same SQLite database, and stopping it with
// a digest mail in flight, against the real binary and a real SMTP server.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "mail_test_support.h"
#include "store/database.h"

namespace paperboy {
namespace {

using mailtest::SmtpSink;
using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

// SIGTERM while the digest scheduler waits on the SMTP server mid-message: serve stops listening
// at once, waits for that one mail, records it as sent and exits 0; the mails it had not started
// stay queued (not failed) and the next run sends each of them exactly once.
TEST(ServeLifecycle, StopsGracefullyWithADigestMailInFlight) {
  TempDir dir, sink_dir;
  constexpr int kSubscribers = 3;
  ASSERT_NO_FATAL_FAILURE(mailtest::seed_confirmed_subscribers(dir.file("paperboy.db"), kSubscribers));
  SmtpSink sink(sink_dir.path());
  sink.control(R"({"mode": "ok", "hold_after": 0})");  // the first mail waits in DATA
  std::vector<std::string> env = {"PAPERBOY_MAIL_POLL_S=0.2", "PAPERBOY_MAIL_SEND_AT=00:00",
                                  "PAPERBOY_MAIL_RATE_PER_SECOND=1000", "PAPERBOY_LOG_LEVEL=warn",
                                  "PAPERBOY_SERVER_LOAD_DEMO_DATA=false"};
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0", "--smtp-url",
                  sink.url(), "--public-url", "http://paperboy.test"},
                 env);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  ASSERT_TRUE(mailtest::wait_until([&] { return std::filesystem::exists(sink_dir.path() / "holding"); }, 30));
  server.signal(SIGTERM);
  // It stops taking requests...
  ASSERT_TRUE(mailtest::wait_until([&] { return !httplib::Client("127.0.0.1", port).Get("/healthz"); }, 30));
  // ...but waits for the mail in flight rather than dropping it.
  EXPECT_TRUE(server.running());
  sink.control(R"({"mode": "ok"})");
  EXPECT_EQ(server.wait(), 0);
  ASSERT_EQ(sink.messages().size(), 1u);

  auto mail = store::open_database({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(mail);
  int sent = 0, pending = 0;
  for (int i = 0; i < kSubscribers; ++i) {
    auto sub = (*mail)->mail().subscription_by_email("reader" + std::to_string(i) + "@example.org");
    ASSERT_TRUE(sub && *sub);
    auto rows = (*mail)->mail().outbox((*sub)->id);
    ASSERT_TRUE(rows);
    const auto& last = rows->back();
    if (last.state == store::OutboxState::kSent) ++sent;
    if (last.state == store::OutboxState::kPending) ++pending;
  }
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(pending, kSubscribers - 1);

  Process send({paperboy_binary(), "--data-dir", dir.path().string(), "digest", "send", "--smtp-url", sink.url(),
                "--public-url", "http://paperboy.test"},
               env);
  std::string out = send.read_all();
  ASSERT_EQ(send.wait(), 0) << out;
  EXPECT_NE(out.find("sent " + std::to_string(kSubscribers - 1) + " mails"), std::string::npos) << out;
  std::set<std::string> rcpts;
  for (const auto& m : sink.messages()) rcpts.insert(m.raw.substr(15, m.raw.find("\r\n") - 15));
  EXPECT_EQ(sink.messages().size(), static_cast<size_t>(kSubscribers));
  EXPECT_EQ(rcpts.size(), static_cast<size_t>(kSubscribers));
}

// SIGTERM while a request is in flight (a paper submission waiting on the arXiv API, here a test
// server that holds its answer): serve stops accepting connections at once, the request in flight
// still gets its answer, and serve exits 0.
TEST(ServeLifecycle, StopsGracefullyWithARequestInFlight) {
  TempDir dir;
  std::mutex mu;
  std::condition_variable cv;
  bool asked = false, released = false;
  httplib::Server api;
  api.Get("/api/query", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    asked = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(60), [&] { return released; });
    std::ifstream in(testing::paperboy_source_dir() + "/tests/fixtures/arxiv-api/2602.07774.atom");
    res.set_content(std::string(std::istreambuf_iterator<char>(in), {}), "application/atom+xml");
  });
  int api_port = api.bind_to_any_port("127.0.0.1");
  ASSERT_GT(api_port, 0);
  std::thread api_thread([&] { api.listen_after_bind(); });
  while (!api.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto release = [&] {
    std::lock_guard lock(mu);
    released = true;
    cv.notify_all();
  };

  std::vector<std::string> env = {
      "PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum", "PAPERBOY_LOG_LEVEL=warn", "PAPERBOY_SERVER_LOAD_DEMO_DATA=false",
      "PAPERBOY_COMMUNITY_SUBMIT_MAX_AGE_DAYS=36500",
      "PAPERBOY_HARVEST_API_URL=http://127.0.0.1:" + std::to_string(api_port) + "/api/query"};
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"}, env);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(120, 0);
  auto signup =
      c.Post("/api/auth/signup",
             nlohmann::json{{"email", "ada@example.org"}, {"password", "ada password 1"}, {"name", "A"}}.dump(),
             "application/json");
  ASSERT_TRUE(signup && signup->status == 201);
  auto token =
      c.Post("/api/auth/token", nlohmann::json{{"email", "ada@example.org"}, {"password", "ada password 1"}}.dump(),
             "application/json");
  ASSERT_TRUE(token && token->status == 200);
  httplib::Headers auth = {{"Authorization", "Bearer " + nlohmann::json::parse(token->body).value("token", "")}};

  int status = -1;
  std::string body;
  std::thread submit([&] {
    httplib::Client s("127.0.0.1", port);
    s.set_read_timeout(120, 0);
    auto r = s.Post("/api/papers/submit", auth, R"({"id":"2602.07774"})", "application/json");
    if (r) {
      status = r->status;
      body = r->body;
    }
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return asked; })) << "serve never asked the API";
  }
  server.signal(SIGTERM);
  bool refused = mailtest::wait_until([&] { return !httplib::Client("127.0.0.1", port).Get("/healthz"); }, 30);
  release();
  submit.join();
  EXPECT_TRUE(refused) << "serve kept accepting connections after SIGTERM";
  EXPECT_TRUE(status == 200 || status == 201) << "the request in flight got " << status << ": " << body;
  EXPECT_EQ(server.wait(), 0);
  api.stop();
  api_thread.join();
}

// Several writers on one SQLite file at once: `paperboy ingest` of 3,000 papers and `digest send`
// run while serve takes sign-ups and upvotes through its API for as long as both run. Every
// writer finishes without error (no "database is locked"), and every write is there.
TEST(ServeLifecycle, SeveralProcessesWriteOneSqliteDatabaseWhileServing) {
  TempDir dir, sink_dir;
  constexpr int kSubscribers = 5;
  ASSERT_NO_FATAL_FAILURE(mailtest::seed_confirmed_subscribers(dir.file("paperboy.db"), kSubscribers));
  std::string papers = dir.file("papers.jsonl");
  {
    // Snapshot records made from the fixture's first record with new ids.
    std::ifstream in(testing::paperboy_source_dir() + "/tests/fixtures/ingest/good-10.jsonl");
    std::string first;
    std::getline(in, first);
    auto record = nlohmann::json::parse(first);
    std::ofstream out(papers);
    for (int i = 0; i < 3000; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "2508.%05d", i + 1);
      record["id"] = id;
      record["title"] = "Concurrent writer paper " + std::to_string(i);
      out << record.dump() << "\n";
    }
  }
  SmtpSink sink(sink_dir.path());
  std::vector<std::string> env = {"PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum",
                                  "PAPERBOY_COMMUNITY_LOGIN_ATTEMPTS=100000",
                                  "PAPERBOY_COMMUNITY_SIGNUPS_PER_HOUR=100000",
                                  "PAPERBOY_MAIL_RATE_PER_SECOND=1000",
                                  "PAPERBOY_LOG_LEVEL=warn",
                                  "PAPERBOY_SERVER_LOAD_DEMO_DATA=false",
                                  "PAPERBOY_MAIL_SCHEDULE=false"};
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"}, env);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);

  std::atomic<bool> writers_done{false};
  std::atomic<int> signups{0}, votes{0}, errors{0}, last_count{-1};
  std::thread web([&] {
    httplib::Client c("127.0.0.1", port);
    for (int i = 0; !writers_done.load() || i < 5; ++i) {
      std::string email = "voter" + std::to_string(i) + "@example.org";
      auto r = c.Post("/api/auth/signup",
                      nlohmann::json{{"email", email}, {"password", "voter password 1"}, {"name", "V"}}.dump(),
                      "application/json");
      if (!r || r->status != 201) {
        ++errors;
        continue;
      }
      ++signups;
      auto t = c.Post("/api/auth/token", nlohmann::json{{"email", email}, {"password", "voter password 1"}}.dump(),
                      "application/json");
      if (!t || t->status != 200) {
        ++errors;
        continue;
      }
      std::string token = nlohmann::json::parse(t->body).value("token", "");
      auto v = c.Post("/api/papers/2403.00001/upvote", {{"Authorization", "Bearer " + token}}, "", "application/json");
      if (v && v->status == 200) {
        ++votes;
        last_count = nlohmann::json::parse(v->body).value("upvotes", -1);
      } else {
        ++errors;
      }
    }
  });
  Process ingest({paperboy_binary(), "--data-dir", dir.path().string(), "ingest", "--batch-size", "50", papers}, env,
                 true);
  Process digest({paperboy_binary(), "--data-dir", dir.path().string(), "digest", "send", "--smtp-url", sink.url(),
                  "--public-url", "http://paperboy.test"},
                 env, true);
  std::string ingest_out = ingest.read_all(), digest_out = digest.read_all();
  int ingest_rc = ingest.wait(), digest_rc = digest.wait();
  writers_done = true;
  web.join();
  EXPECT_EQ(ingest_rc, 0) << ingest_out;
  EXPECT_EQ(digest_rc, 0) << digest_out;
  EXPECT_EQ(ingest_out.find("locked"), std::string::npos) << ingest_out;
  EXPECT_EQ(digest_out.find("locked"), std::string::npos) << digest_out;
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(signups.load(), 5);
  EXPECT_EQ(sink.messages().size(), static_cast<size_t>(kSubscribers)) << digest_out;

  httplib::Client c("127.0.0.1", port);
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(last_count.load(), votes.load()) << "every upvote counted once";
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  Process stats({paperboy_binary(), "--data-dir", dir.path().string(), "stats", "--json"}, env);
  auto counted = nlohmann::json::parse(stats.read_all(), nullptr, false);
  EXPECT_EQ(stats.wait(), 0);
  EXPECT_EQ(counted.value("papers", -1), 3001);  // the seeded paper and the 3,000 ingested
}

}  // namespace
}  // namespace paperboy
