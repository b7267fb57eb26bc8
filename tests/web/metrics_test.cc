// GET /metrics: the real WebServer on loopback with metrics on; the page is parsed by Debian's
// python3-prometheus-client (its text-format parser, run as a process), and the request counters
// and latency histograms must move by the requests the test makes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "store/database.h"
#include "support/temp_dir.h"
#include "support/web_server.h"
#include "web/metrics.h"

namespace paperboy::web {
namespace {

using paperboy::testing::TempDir;

TEST(RouteClass, GroupsPathsIntoBoundedLabels) {
  struct Case {
    const char* path;
    const char* label;
  } cases[] = {
      {"/", "page"},
      {"/papers/2401.00010", "page"},
      {"/papers/date/2024-01-05", "page"},
      {"/search", "search"},
      {"/api/papers/search", "search"},
      {"/api/papers/2401.00010/similar", "similar"},
      {"/api/papers/2401.00010", "api"},
      {"/api/daily_papers", "api"},
      {"/feeds/daily.atom", "feed"},
      {"/static/katex.0123456789ab/katex.min.js", "static"},
      {"/healthz", "health"},
      {"/metrics", "metrics"},
      {"*", "other"},
  };
  for (const auto& c : cases) EXPECT_EQ(route_label(classify_route(c.path)), c.label) << c.path;
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_database({.url = dir_.file("test.db"), .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
    ASSERT_TRUE(store_->apply({.papers = {paperboy::testing::listed_paper("2401.00010", "2024-01-05", "Graphs")}}));
    ServerOptions o;
    o.threads = 4;
    o.access_log = false;
    o.metrics = &metrics_;
    metrics_.add_gauge("paperboy_test_gauge", "A gauge registered by the test.", [] { return 42.5; });
    server_ = std::make_unique<paperboy::testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  // The samples of /metrics as Debian's prometheus_client parses them: "name{k=v,...}" -> value.
  std::map<std::string, double> scrape() {
    auto r = server_->client().Get("/metrics");
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"))
        << r->get_header_value("Content-Type");
    std::ofstream(dir_.file("metrics.txt")) << r->body;
    std::ofstream(dir_.file("parse.py"))
        << "import json, sys\n"
           "from prometheus_client.parser import text_string_to_metric_families\n"
           "out = {}\n"
           "for family in text_string_to_metric_families(open(sys.argv[1]).read()):\n"
           "    for s in family.samples:\n"
           "        labels = ','.join(f'{k}={v}' for k, v in sorted(s.labels.items()))\n"
           "        out[s.name + '{' + labels + '}'] = s.value\n"
           "json.dump(out, open(sys.argv[2], 'w'))\n";
    std::string cmd =
        "/usr/bin/python3 " + dir_.file("parse.py") + " " + dir_.file("metrics.txt") + " " + dir_.file("samples.json");
    EXPECT_EQ(std::system(cmd.c_str()), 0) << r->body;
    std::ifstream in(dir_.file("samples.json"));
    std::map<std::string, double> samples;
    if (!in) return samples;
    nlohmann::json parsed = nlohmann::json::parse(in);
    for (auto it = parsed.begin(); it != parsed.end(); ++it) samples[it.key()] = it.value().get<double>();
    return samples;
  }

  TempDir dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  Metrics metrics_;
  std::unique_ptr<paperboy::testing::RunningServer> server_;
};

TEST_F(MetricsTest, CountersMoveWithRequestsAndTheTextParses) {
  auto before = scrape();
  ASSERT_FALSE(before.empty());
  auto client = server_->client();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.Get("/papers/2401.00010")->status, 200);
  ASSERT_EQ(client.Get("/api/papers/2401.00010")->status, 200);
  ASSERT_EQ(client.Get("/api/papers/2401.99999")->status, 404);
  auto after = scrape();
  auto delta = [&](const std::string& key) { return after[key] - before[key]; };
  EXPECT_EQ(delta("paperboy_http_requests_total{route=page,status=200}"), 3);
  EXPECT_EQ(delta("paperboy_http_requests_total{route=api,status=200}"), 1);
  EXPECT_EQ(delta("paperboy_http_requests_total{route=api,status=404}"), 1);
  EXPECT_EQ(delta("paperboy_http_request_duration_seconds_count{route=page}"), 3);
  EXPECT_EQ(delta("paperboy_http_request_duration_seconds_bucket{le=+Inf,route=api}"), 2);
  EXPECT_GT(delta("paperboy_http_request_duration_seconds_sum{route=page}"), 0);
  // The first scrape itself was counted once it was answered.
  EXPECT_GE(after["paperboy_http_requests_total{route=metrics,status=200}"], 1);
  EXPECT_EQ(after["paperboy_test_gauge{}"], 42.5);
  EXPECT_TRUE(after.contains("paperboy_render_queue_depth{}"));
}

TEST(MetricsRoute, AbsentWhenMetricsAreOff) {
  TempDir dir;
  auto db = store::open_database({.url = dir.file("test.db"), .cache_mib = 8});
  ASSERT_TRUE(db);
  ServerOptions o;
  o.access_log = false;
  paperboy::testing::RunningServer server((*db)->papers(), o);
  ASSERT_TRUE(server.ok()) << server.error();
  auto r = server.client().Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

// Options that cannot work are an error from WebServer::create, not an exception from a constructor.
TEST(MetricsRoute, AnUnusableListenAddressIsAnErrorFromCreate) {
  TempDir dir;
  auto db = store::open_database({.url = dir.file("test.db"), .cache_mib = 8});
  ASSERT_TRUE(db);
  Metrics metrics;
  for (std::string listen : {"9464", "127.0.0.1:", "127.0.0.1:99999", ":9464"}) {
    ServerOptions o;
    o.access_log = false;
    o.metrics = &metrics;
    o.metrics_listen = listen;
    auto server = WebServer::create((*db)->papers(), o);
    ASSERT_FALSE(server) << listen;
    EXPECT_EQ(server.error().code(), StatusCode::kInvalidArgument) << listen;
    EXPECT_NE(server.error().message().find("metrics.listen"), std::string::npos) << server.error().to_string();
  }
  ServerOptions bad_proxies;
  bad_proxies.trusted_proxies = "10.0.0.0/99";
  auto server = WebServer::create((*db)->papers(), bad_proxies);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code(), StatusCode::kInvalidArgument);
  ServerOptions fine;
  fine.access_log = false;
  fine.metrics = &metrics;
  fine.metrics_listen = "127.0.0.1:0";
  EXPECT_TRUE(WebServer::create((*db)->papers(), fine));
}

}  // namespace
}  // namespace paperboy::web
