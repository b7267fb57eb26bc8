// The real WebServer on PostgreSQL (issue 13): when the database restarts under a running server,
// requests fail clearly (503) and then recover without restarting paperboy; and the login limits
// are one budget for every instance sharing the database, not one per instance.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "community/secrets.h"
#include "core/time.h"
#include "store/community_store.h"
#include "store/database.h"
#include "store/store.h"
#include "support/postgres_server.h"
#include "support/web_server.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using nlohmann::json;

class PostgresServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    pg_ = testing::PostgresServer::start(error);
    ASSERT_TRUE(pg_) << error;
    url_ = pg_->create_database(error);
    ASSERT_FALSE(url_.empty()) << error;
    auto s = store::open_database({.url = url_});
    ASSERT_TRUE(s) << s.error().to_string();
    database_ = std::move(*s);
    store_ = &database_->papers();
    store::WriteBatch batch;
    batch.papers = {testing::listed_paper("2401.00010", "2024-01-05", "Graph networks")};
    ASSERT_TRUE(store_->apply(batch));
    community_ = &database_->community();
  }
  ServerOptions options() {
    ServerOptions o;
    o.threads = 4;
    o.access_log = false;
    o.community = community_;
    o.account_options.hash_cost = community::HashCost::kMinimum;
    return o;
  }

  std::unique_ptr<testing::PostgresServer> pg_;
  std::string url_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  store::CommunityStore* community_ = nullptr;
};

TEST_F(PostgresServeTest, ADatabaseRestartIsA503ThenServingResumes) {
  testing::RunningServer server(*store_, options());
  ASSERT_TRUE(server.ok()) << server.error();
  auto c = server.client();
  c.set_read_timeout(30, 0);
  ASSERT_EQ(c.Get("/healthz")->status, 200);
  ASSERT_EQ(c.Get("/papers/date/2024-01-05?page=1")->status, 200);

  pg_->stop();
  // Uncached pages and the health check say the service is unavailable; the process stays up.
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  auto down = c.Get("/papers/date/2024-01-05?page=2");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503) << down->body;
  auto api = c.Get("/api/papers/2401.00010");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 503) << api->body;
  EXPECT_NE(api->body.find("error"), std::string::npos);

  std::string error;
  ASSERT_TRUE(pg_->restart(error)) << error;
  // Recovers on its own: the pool drops dead connections and opens new ones.
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = c.Get("/healthz");
    status = r ? r->status : 0;
    if (status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(c.Get("/papers/date/2024-01-05?page=3")->status, 200);
  EXPECT_EQ(c.Get("/api/papers/2401.00010")->status, 200);
}

TEST_F(PostgresServeTest, TwoInstancesShareOneLoginBudget) {
  auto hash = community::hash_password("correct horse battery", community::HashCost::kMinimum);
  ASSERT_TRUE(hash);
  ASSERT_TRUE(community_->create_account("ada@example.org", "Ada", *hash, store::Role::kUser, core::unix_now()));
  auto other = store::open_database({.url = url_});
  ASSERT_TRUE(other);
  ServerOptions second = options();
  second.community = &(*other)->community();
  testing::RunningServer a(*store_, options());
  testing::RunningServer b(*store_, second);
  ASSERT_TRUE(a.ok() && b.ok());
  auto wrong = [](testing::RunningServer& s) {
    return s.client()
        .Post("/api/auth/token", json{{"email", "ada@example.org"}, {"password", "wrong password!"}}.dump(),
              "application/json")
        ->status;
  };
  // Five failures are free per account: three on one instance and two on the other use them up.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(wrong(a), 401);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(wrong(b), 401);
  EXPECT_EQ(wrong(a), 429);
  EXPECT_EQ(wrong(b), 429);
}

}  // namespace
}  // namespace paperboy::web
