// Integration tests of the real `paperboy` binary: serve, stats, show, config.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "store/database.h"
#include "store/store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

void seed(const TempDir& dir) {
  auto store = store::open_database({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(store);
  core::Paper p;
  p.id = "2403.01234";
  p.title = "Attention <is> all & you need";
  p.authors = {{"Vaswani", "Ashish", ""}};
  p.abstract = "Transformers.";
  p.categories = {"cs.CL", "cs.LG"};
  p.versions = {{1, 1709251200}};
  p.update_date = "2024-03-01";
  ASSERT_TRUE((*store)->papers().apply({.papers = {p}}));
}

TEST(ServeCommand, AnswersHealthzAndListsNewestPapersEscaped) {
  TempDir dir;
  seed(dir);
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"});
  ASSERT_TRUE(server.started());
  auto line = server.read_line();
  ASSERT_TRUE(line.has_value());
  auto at = line->find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << *line;
  int port = std::stoi(line->substr(at + 17));
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto body = nlohmann::json::parse(health->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["store"]["max_change_seq"], 1);
  auto home = client.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("Attention &lt;is&gt; all &amp; you need"), std::string::npos);
  EXPECT_EQ(home->body.find("<is>"), std::string::npos);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

// metrics.enabled: /metrics carries serve's own gauges too (database pool, search lag, outbox).
TEST(ServeCommand, MetricsShowTheDatabasePoolAndTheSearchLag) {
  TempDir dir;
  seed(dir);
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"},
                 {"PAPERBOY_METRICS_ENABLED=true", "PAPERBOY_SERVER_LOAD_DEMO_DATA=false"});
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  ASSERT_EQ(client.Get("/papers/2403.01234")->status, 200);  // reads through the pool
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->status, 200);
  // "name value" lines (no labels on these gauges).
  auto value_of = [&](const std::string& name) {
    auto at = metrics->body.find("\n" + name + " ");
    if (at == std::string::npos) return -1.0;
    return std::stod(metrics->body.substr(at + name.size() + 2));
  };
  EXPECT_GE(value_of("paperboy_db_pool_connections_open"), 1) << metrics->body;
  EXPECT_EQ(value_of("paperboy_db_pool_connections_in_use"), 0) << metrics->body;  // every lease returned
  EXPECT_EQ(value_of("paperboy_db_pool_connections_max"), 0) << metrics->body;     // SQLite readers: no limit
  EXPECT_GE(value_of("paperboy_search_index_lag_changes"), 0) << metrics->body;
  EXPECT_EQ(value_of("paperboy_outbox_failed"), 0) << metrics->body;
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

// metrics.listen: /metrics on its own listener (the second line of output names its port), and
// no longer on the main one.
TEST(ServeCommand, MetricsOnTheirOwnListener) {
  TempDir dir;
  seed(dir);
  Process server(
      {paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"},
      {"PAPERBOY_METRICS_ENABLED=true", "PAPERBOY_METRICS_LISTEN=127.0.0.1:0", "PAPERBOY_SERVER_LOAD_DEMO_DATA=false"});
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  auto second = server.read_line();
  ASSERT_TRUE(second && second->starts_with("paperboy metrics on 127.0.0.1:0 (port ")) << second.value_or("");
  int metrics_port = std::atoi(second->c_str() + second->find("(port ") + 6);
  ASSERT_GT(metrics_port, 0);
  ASSERT_NE(metrics_port, port);
  httplib::Client main_client("127.0.0.1", port);
  ASSERT_EQ(main_client.Get("/papers/2403.01234")->status, 200);
  EXPECT_EQ(main_client.Get("/metrics")->status, 404);
  httplib::Client metrics_client("127.0.0.1", metrics_port);
  auto metrics = metrics_client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("paperboy_http_requests_total{route=\"page\",status=\"200\"} 1"), std::string::npos)
      << metrics->body;
  EXPECT_EQ(metrics_client.Get("/")->status, 404);  // only /metrics there
  Process bad({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"},
              {"PAPERBOY_METRICS_ENABLED=true", "PAPERBOY_METRICS_LISTEN=9464"}, true);
  std::string bad_out = bad.read_all();
  EXPECT_NE(bad.wait(), 0);
  EXPECT_NE(bad_out.find("metrics.listen: must be HOST:PORT"), std::string::npos) << bad_out;
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

TEST(ServeCommand, ReportsAPortInUse) {
  TempDir dir;
  seed(dir);
  httplib::Server blocker;
  blocker.set_socket_options([](int) {});  // a plain listener, as another program would have
  int port = blocker.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", std::to_string(port)}, {},
                 true);
  // It must stop with an error naming the port, never start serving (which would otherwise
  // leave this test waiting for an exit that never comes).
  std::string out;
  while (auto line = server.read_line()) {
    if (line->find("serving on") != std::string::npos) {
      server.signal(SIGKILL);
      ADD_FAILURE() << "serve bound a port that another program listens on: " << *line;
      break;
    }
    out += *line + "\n";
  }
  EXPECT_NE(server.wait(), 0);
  EXPECT_NE(out.find(std::to_string(port)), std::string::npos) << out;
}

TEST(StatsCommand, PrintsJsonWithCountsByCategoryAndMonth) {
  TempDir dir;
  seed(dir);
  Process stats({paperboy_binary(), "--data-dir", dir.path().string(), "stats", "--json"});
  auto out = nlohmann::json::parse(stats.read_all());
  EXPECT_EQ(stats.wait(), 0);
  EXPECT_EQ(out["papers"], 1);
  EXPECT_EQ(out["by_category"]["cs.CL"], 1);
  EXPECT_EQ(out["by_month"]["2024-03"], 1);
}

TEST(ShowCommand, AcceptsAnyIdFormAndFailsClearlyForUnknownIds) {
  TempDir dir;
  seed(dir);
  Process show(
      {paperboy_binary(), "--data-dir", dir.path().string(), "show", "--json", "https://arxiv.org/abs/2403.01234v1"});
  auto out = nlohmann::json::parse(show.read_all());
  EXPECT_EQ(show.wait(), 0);
  EXPECT_EQ(out["id"], "2403.01234");
  EXPECT_EQ(out["primary_category"], "cs.CL");
  Process missing({paperboy_binary(), "--data-dir", dir.path().string(), "show", "2403.99999"});
  EXPECT_EQ(missing.wait(), 3);
  Process invalid({paperboy_binary(), "--data-dir", dir.path().string(), "show", "not-an-id"});
  EXPECT_EQ(invalid.wait(), 2);
}

TEST(ConfigCommand, LayersFileEnvironmentAndFlags) {
  TempDir dir;
  {
    std::ofstream f(dir.file("paperboy.toml"));
    f << "[server]\nport = 9001\nhost = \"0.0.0.0\"\n";
  }
  Process from_file({paperboy_binary(), "--data-dir", dir.path().string(), "config"});
  std::string text = from_file.read_all();
  EXPECT_EQ(from_file.wait(), 0);
  EXPECT_NE(text.find("server.port = 9001"), std::string::npos) << text;
  EXPECT_NE(text.find("server.host = 0.0.0.0"), std::string::npos);
  Process from_env({paperboy_binary(), "--data-dir", dir.path().string(), "config"}, {"PAPERBOY_SERVER_PORT=9002"});
  EXPECT_NE(from_env.read_all().find("server.port = 9002"), std::string::npos);
  EXPECT_EQ(from_env.wait(), 0);
  // A flag beats both the environment and the file.
  Process from_flag({paperboy_binary(), "--data-dir", dir.path().string(), "--database", "sqlite:/flag.db", "config"},
                    {"PAPERBOY_SERVER_PORT=9002", "PAPERBOY_DATABASE=sqlite:/env.db"});
  std::string flagged = from_flag.read_all();
  EXPECT_EQ(from_flag.wait(), 0);
  EXPECT_NE(flagged.find("database = sqlite:/flag.db"), std::string::npos) << flagged;
  EXPECT_NE(flagged.find("server.port = 9002"), std::string::npos) << flagged;
  // Secrets are never printed: password settings and the password in a URL.
  Process secrets(
      {paperboy_binary(), "--data-dir", dir.path().string(), "config"},
      {"PAPERBOY_MAIL_SMTP_PASSWORD=hunter2", "PAPERBOY_MAIL_SMTP_URL=smtp://ada:s3cret@mail.example.org:587",
       "PAPERBOY_DATABASE=postgresql://paperboy:pgs3cret@db.example.org/papers"});
  std::string shown = secrets.read_all();
  EXPECT_EQ(secrets.wait(), 0);
  EXPECT_EQ(shown.find("hunter2"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_NE(shown.find("smtp://ada:****@mail.example.org:587"), std::string::npos) << shown;
  EXPECT_NE(shown.find("postgresql://paperboy:****@db.example.org/papers"), std::string::npos) << shown;
  {
    std::ofstream f(dir.file("paperboy.toml"));
    f << "[server]\nprot = 1\n";
  }
  Process typo({paperboy_binary(), "--data-dir", dir.path().string(), "config"});
  EXPECT_NE(typo.wait(), 0);
}

}  // namespace
}  // namespace paperboy
