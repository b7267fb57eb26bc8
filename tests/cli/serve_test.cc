// Integration tests of the real `paperboy` binary: serve, stats, show, config.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "store/store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

void seed(const TempDir& dir) {
  auto store = store::open_store({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(store);
  core::Paper p;
  p.id = "2403.01234";
  p.title = "Attention <is> all & you need";
  p.authors = {{"Vaswani", "Ashish", ""}};
  p.abstract = "Transformers.";
  p.categories = {"cs.CL", "cs.LG"};
  p.versions = {{1, 1709251200}};
  p.update_date = "2024-03-01";
  ASSERT_TRUE((*store)->apply({.papers = {p}}));
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
