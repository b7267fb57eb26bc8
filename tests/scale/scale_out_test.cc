// Scale-out end to end: one real PostgreSQL (support/postgres_server.h), two real `paperboy serve`
// processes on it, Debian's nginx on loopback in front as a round-robin balancer
// (scripts/balancer.sh), a real SMTP sink. Shows what issue 8 asks: a paper ingested while serving
// is searchable on both instances within 5 s; upvotes from many clients through the balancer add
// up to the count read back; the scheduled harvest and the digest run on one instance only, once;
// and after `kill -9` of the instance leading the jobs the other takes them over (/healthz).
#include <gtest/gtest.h>
#include <httplib.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/time.h"
#include "mail/mail_test_support.h"
#include "store/mail_store.h"
#include "store/store.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

using nlohmann::json;
using testing::Process;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

constexpr int kSubscribers = 5;

struct Instance {
  std::unique_ptr<Process> process;
  int port = 0;
};

// Starts `paperboy serve` with its own data directory (its own search indexes) on the shared
// database; returns once it serves.
Instance start_instance(const std::string& data_dir, const std::vector<std::string>& env) {
  Instance out;
  out.process = std::make_unique<Process>(std::vector<std::string>{testing::paperboy_binary(), "--data-dir", data_dir,
                                                                   "serve", "--port", "0", "--threads", "48"},
                                          env);
  while (auto line = out.process->read_line()) {
    auto at = line->find("http://127.0.0.1:");
    if (at != std::string::npos) {
      out.port = std::stoi(line->substr(at + 17));
      break;
    }
  }
  return out;
}

json get_json(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  auto r = c.Get(path);
  if (!r || r->status != 200) return nullptr;
  return json::parse(r->body, nullptr, false);
}

bool leads(const json& health, const std::string& job) {
  if (health.is_null() || !health.contains("jobs")) return false;
  for (const auto& j : health["jobs"]["leads"]) {
    if (j == job) return true;
  }
  return false;
}

bool wait_until(const std::function<bool()>& done, double seconds) {
  return mailtest::wait_until(done, seconds);
}

// HH:MM (UTC) of the first whole minute at least `lead_s` seconds from now, and that moment.
std::pair<std::string, std::int64_t> next_minute(std::int64_t lead_s) {
  std::int64_t at = (core::unix_now() + lead_s + 59) / 60 * 60;
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(at % 86400 / 3600), static_cast<int>(at % 3600 / 60));
  return {text, at};
}

TEST(ScaleOut, TwoInstancesBehindNginxShareOnePostgresql) {
  std::string url = testing::fresh_postgres_database();
  ASSERT_FALSE(url.empty());
  TempDir dir;

  // The database before the instances start: one recent paper (for the digest) and confirmed
  // daily subscribers whose confirmation mails are out of the way.
  ASSERT_NO_FATAL_FAILURE(mailtest::seed_confirmed_subscribers(url, kSubscribers));
  mailtest::SmtpSink sink(dir.path() / "sink");
  ASSERT_GT(sink.port(), 0);

  // The harvest falls due at a whole minute well after the instances are up (its endpoint refuses
  // connections, so a run is quick and fails, which /healthz counts all the same): the test moves
  // the instances' clock (PAPERBOY_TEST_CLOCK_FILE) there when it wants the run, instead of
  // hoping the start-up was quicker than a fixed lead. The digest is due at once (00:00).
  auto [harvest_at, harvest_due] = next_minute(300);
  std::ofstream(dir.file("clock")) << "0\n";
  std::vector<std::string> env = {"PAPERBOY_DATABASE=" + url,
                                  "PAPERBOY_TEST_CLOCK_FILE=" + dir.file("clock"),
                                  "PAPERBOY_SERVER_LOAD_DEMO_DATA=false",
                                  "PAPERBOY_SEARCH_DIMENSION=32",
                                  "PAPERBOY_LOG_LEVEL=warn",
                                  "PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum",
                                  "PAPERBOY_COMMUNITY_LOGIN_ATTEMPTS=100000",
                                  "PAPERBOY_COMMUNITY_SIGNUPS_PER_HOUR=100000",
                                  "PAPERBOY_SERVER_PUBLIC_URL=http://paperboy.test",
                                  "PAPERBOY_MAIL_SMTP_URL=" + sink.url(),
                                  "PAPERBOY_MAIL_SCHEDULE=true",
                                  "PAPERBOY_MAIL_SEND_AT=00:00",
                                  "PAPERBOY_MAIL_POLL_S=1",
                                  "PAPERBOY_MAIL_RATE_PER_SECOND=1000",
                                  "PAPERBOY_HARVEST_SCHEDULE=true",
                                  "PAPERBOY_HARVEST_DAILY_AT=" + harvest_at,
                                  "PAPERBOY_HARVEST_BASE_URL=http://127.0.0.1:9/oai",
                                  "PAPERBOY_HARVEST_MAX_ATTEMPTS=1"};
  std::array<Instance, 2> inst = {start_instance(dir.file("a"), env), start_instance(dir.file("b"), env)};
  ASSERT_GT(inst[0].port, 0);
  ASSERT_GT(inst[1].port, 0);
  // nginx cannot bind port 0 and report it: offer it a free port, and if another process took
  // the port first (nginx exits at once), another.
  int balancer_port = 0;
  std::unique_ptr<Process> balancer;
  for (int attempt = 0; attempt < 5 && balancer_port == 0; ++attempt) {
    int port = mailtest::free_port();
    balancer = std::make_unique<Process>(std::vector<std::string>{
        "/bin/bash", testing::paperboy_source_dir() + "/scripts/balancer.sh", dir.file("nginx"), std::to_string(port),
        std::to_string(inst[0].port), std::to_string(inst[1].port)});
    bool up = false;
    wait_until([&] { return (up = !get_json(port, "/healthz").is_null()) || !balancer->running(); }, 30);
    if (up) balancer_port = port;
  }
  ASSERT_GT(balancer_port, 0) << "nginx did not start";

  // Round robin: both instances answer through the balancer.
  std::set<std::string> upstreams;
  {
    httplib::Client c("127.0.0.1", balancer_port);
    for (int i = 0; i < 6; ++i) {
      auto r = c.Get("/healthz");
      ASSERT_TRUE(r && r->status == 200);
      upstreams.insert(r->get_header_value("X-Upstream"));
    }
  }
  EXPECT_EQ(upstreams.size(), 2u);

  // Exactly one instance leads each job.
  int leader = -1;
  ASSERT_TRUE(wait_until(
      [&] {
        bool a = leads(get_json(inst[0].port, "/healthz"), "harvest");
        bool b = leads(get_json(inst[1].port, "/healthz"), "harvest");
        if (a != b) leader = a ? 0 : 1;
        return a != b;
      },
      15));
  const int other = 1 - leader;
  ASSERT_TRUE(wait_until([&] { return leads(get_json(inst[leader].port, "/healthz"), "digest"); }, 10));
  EXPECT_FALSE(leads(get_json(inst[other].port, "/healthz"), "digest"));

  // The digest goes out once: kSubscribers mails, not two per subscriber.
  ASSERT_TRUE(wait_until([&] { return sink.messages().size() >= kSubscribers; }, 20));

  // A paper ingested while both serve is searchable on each within 5 s.
  std::string line;
  {
    std::ifstream in(testing::paperboy_source_dir() + "/tests/fixtures/ingest/good-10.jsonl");
    std::getline(in, line);
  }
  auto record = json::parse(line);
  record["id"] = "2507.99999";
  record["title"] = "Zyzzogeton beetles as a benchmark for retrieval";
  std::ofstream(dir.file("extra.jsonl")) << record.dump() << "\n";
  Process ingest({testing::paperboy_binary(), "--data-dir", dir.file("a"), "ingest", dir.file("extra.jsonl")}, env);
  ASSERT_EQ(ingest.wait(), 0);
  auto ingested = Clock::now();
  // Each instance's index follower picks the paper up (every 2 s): wait for that, bounded only
  // against a hang; how long it took is reported (bench/scale_bench.sh measures it).
  for (const auto& i : inst) {
    bool found = wait_until(
        [&] {
          json hits = get_json(i.port, "/api/papers/search?q=zyzzogeton+beetles");
          return hits.is_array() && !hits.empty() && hits[0]["id"] == "2507.99999";
        },
        90);
    EXPECT_TRUE(found) << "instance on port " << i.port << " never found the new paper";
  }
  std::printf("[ scale    ] new paper searchable on both instances after %.2f s\n",
              std::chrono::duration<double>(Clock::now() - ingested).count());

  // Upvotes from many clients through the balancer add up (vote_load checks every count).
  Process votes({PAPERBOY_VOTE_LOAD_BINARY, "127.0.0.1", std::to_string(balancer_port), "30", "3"});
  std::string vote_out = votes.read_all();
  EXPECT_EQ(votes.wait(), 0) << vote_out;
  std::printf("[ scale    ] %s", vote_out.c_str());

  // The harvest falls due on both instances (their clock moves past it); only the leader runs it.
  std::ofstream(dir.file("clock")) << std::max<std::int64_t>(0, harvest_due + 1 - core::unix_now()) << "\n";
  ASSERT_TRUE(wait_until(
      [&] {
        json h = get_json(inst[leader].port, "/healthz");
        json s = get_json(inst[other].port, "/healthz");  // its scheduler notices the due run on its own poll
        return !h.is_null() && h["harvest"]["runs"] == 1 && h["harvest"]["running"] == false && !s.is_null() &&
               s["harvest"]["skipped_runs"] == 1;
      },
      30));
  json standby = get_json(inst[other].port, "/healthz");
  EXPECT_EQ(standby["harvest"]["runs"], 0) << standby.dump();
  EXPECT_EQ(standby["harvest"]["skipped_runs"], 1) << standby.dump();
  EXPECT_EQ(standby["digest"]["sent"], 0) << standby.dump();
  EXPECT_EQ(get_json(inst[leader].port, "/healthz")["digest"]["sent"], kSubscribers);

  // kill -9 the leader: its database sessions close, and the other instance takes both jobs over.
  inst[leader].process->signal(SIGKILL);
  inst[leader].process->wait();
  auto killed = Clock::now();
  EXPECT_TRUE(wait_until(
      [&] {
        json h = get_json(inst[other].port, "/healthz");
        return leads(h, "harvest") && leads(h, "digest");
      },
      20));
  std::printf("[ scale    ] jobs taken over %.1f s after kill -9 of the leader\n",
              std::chrono::duration<double>(Clock::now() - killed).count());
  // The balancer keeps answering through the survivor.
  httplib::Client c("127.0.0.1", balancer_port);
  for (int i = 0; i < 4; ++i) {
    auto r = c.Get("/api/papers/search?q=zyzzogeton+beetles");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  // The new leader's digest passes find the issue already sent: still one mail per subscriber.
  // Wait until it has run two whole passes as the leader, then count.
  std::int64_t passes = -1;
  ASSERT_TRUE(wait_until(
      [&] {
        json h = get_json(inst[other].port, "/healthz");
        if (h.is_null() || !h["digest"].value("leader", false)) return false;
        std::int64_t now = h["digest"].value("passes", std::int64_t{0});
        if (passes < 0) passes = now;
        return now >= passes + 2;
      },
      30));
  std::set<std::string> ids;
  for (const auto& m : sink.messages()) ids.insert(m.header("Message-ID"));
  EXPECT_EQ(sink.messages().size(), static_cast<size_t>(kSubscribers));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kSubscribers));

  balancer->signal(SIGTERM);
  balancer->wait();
  inst[other].process->signal(SIGTERM);
  EXPECT_EQ(inst[other].process->wait(), 0);
}

}  // namespace
}  // namespace paperboy
