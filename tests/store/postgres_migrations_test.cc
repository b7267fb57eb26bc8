// Schema migrations of the PostgreSQL store: the schema_migrations table, upgrades of an older
// schema with data, refusal of a newer one, and instances that start at the same moment.
#include "store/postgres/pg_migrations.h"

#include <gtest/gtest.h>

#include <thread>

#include "store/postgres/postgres_store.h"
#include "support/postgres_server.h"

namespace paperboy::store::postgres {
namespace {

std::unique_ptr<PgConnection> connect_fresh(std::string& url) {
  url = testing::fresh_postgres_database();
  if (url.empty()) return nullptr;
  auto conn = PgConnection::connect(url);
  EXPECT_TRUE(conn) << conn.error().to_string();
  return conn ? std::move(*conn) : nullptr;
}

TEST(PostgresMigrations, EmptyDatabaseMigratesToLatestAndRecordsEachStep) {
  std::string url;
  auto conn = connect_fresh(url);
  ASSERT_TRUE(conn);
  EXPECT_EQ(*current_schema_version(*conn, kStoreComponent), 0);
  ASSERT_TRUE(migrate(*conn, kStoreComponent, store_migrations()).is_ok());
  const int latest = store_migrations().back().version;
  EXPECT_EQ(*current_schema_version(*conn, kStoreComponent), latest);
  auto rows = conn->query("SELECT version, description FROM schema_migrations WHERE component = $1 ORDER BY version",
                          Params().text(kStoreComponent));
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->rows(), static_cast<int>(store_migrations().size()));
  EXPECT_EQ(rows->int64(0, 0), 1);
  EXPECT_EQ(rows->text(0, 1), store_migrations()[0].description);
  // Running again is a no-op.
  ASSERT_TRUE(migrate(*conn, kStoreComponent, store_migrations()).is_ok());
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM schema_migrations")->int64(0, 0),
            static_cast<std::int64_t>(store_migrations().size()));
  auto store = PostgresStore::open(url);
  ASSERT_TRUE(store);
  EXPECT_EQ((*store)->stats()->schema_version, latest);
}

TEST(PostgresMigrations, PreviousSchemaWithDataIsUpgradedAndBackfilled) {
  std::string url;
  auto conn = connect_fresh(url);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(migrate(*conn, kStoreComponent, store_migrations(), 1).is_ok());
  EXPECT_EQ(*current_schema_version(*conn, kStoreComponent), 1);
  // A paper written by a version-1 paperboy.
  ASSERT_TRUE(conn->exec("INSERT INTO papers(id, title, abstract, authors, categories, primary_category, versions, "
                         "latest_version, published, listing_day, update_date, content_hash, change_seq, stored_at) "
                         "VALUES('2403.01234', 'T', 'A', '[[\"K\",\"F\",\"\"]]', '[\"math.OC\",\"cs.LG\"]', "
                         "'math.OC', '[[1,1709251200]]', 1, 1709251200, '2024-03-01', '2024-03-01', 7, "
                         "nextval('paper_change_seq'), 0)")
                  .is_ok());
  auto store = PostgresStore::open(url);
  ASSERT_TRUE(store) << store.error().to_string();
  auto lg = (*store)->list_papers({.categories = {"cs.LG"}});
  ASSERT_TRUE(lg);
  ASSERT_EQ(lg->size(), 1U);  // backfilled category membership
  EXPECT_EQ(lg->front().paper.id, "2403.01234");
  EXPECT_EQ((*store)->count_papers({.categories = {"math.OC"}}).value_or(-1), 1);
  EXPECT_EQ((*store)->stats()->schema_version, store_migrations().back().version);
}

TEST(PostgresMigrations, RefusesADatabaseFromTheFuture) {
  std::string url;
  auto conn = connect_fresh(url);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(migrate(*conn, kStoreComponent, store_migrations()).is_ok());
  ASSERT_TRUE(conn->run("INSERT INTO schema_migrations(component, version, description) VALUES($1, 999, 'future')",
                        Params().text(kStoreComponent))
                  .is_ok());
  Status s = migrate(*conn, kStoreComponent, store_migrations());
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("newer"), std::string::npos) << s.message();
  auto store = PostgresStore::open(url);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message().find("upgrade paperboy"), std::string::npos);
}

TEST(PostgresMigrations, ComponentsKeepIndependentVersionStreams) {
  std::string url;
  auto conn = connect_fresh(url);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(migrate(*conn, kStoreComponent, store_migrations()).is_ok());
  // How the community or mail tables will add theirs: their own component and list.
  static constexpr Migration kOther[] = {
      {1, "votes", "CREATE TABLE test_votes (paper_id text PRIMARY KEY, n integer NOT NULL)"}};
  ASSERT_TRUE(migrate(*conn, "community", kOther).is_ok());
  EXPECT_EQ(*current_schema_version(*conn, "community"), 1);
  EXPECT_EQ(*current_schema_version(*conn, kStoreComponent), store_migrations().back().version);
  EXPECT_TRUE(conn->run("INSERT INTO test_votes VALUES('2403.01234', 1)").is_ok());
}

TEST(PostgresMigrations, AFailedStepLeavesThePreviousVersion) {
  std::string url;
  auto conn = connect_fresh(url);
  ASSERT_TRUE(conn);
  static constexpr Migration kSteps[] = {
      {1, "good", "CREATE TABLE step_one (x integer)"},
      {2, "half good, half broken", "CREATE TABLE step_two (x integer); SELECT no_such_function()"}};
  Status s = migrate(*conn, "broken", kSteps);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("migration broken 2"), std::string::npos) << s.message();
  EXPECT_EQ(*current_schema_version(*conn, "broken"), 1);
  EXPECT_EQ(conn->query("SELECT to_regclass('step_two') IS NULL")->text(0, 0), "t");  // rolled back
}

TEST(PostgresMigrations, InstancesStartingTogetherMigrateOnce) {
  std::string url = testing::fresh_postgres_database();
  ASSERT_FALSE(url.empty());
  std::vector<std::thread> starters;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      auto store = PostgresStore::open(url);
      if (!store) {
        ADD_FAILURE() << store.error().to_string();
        ++failures;
      }
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(failures, 0);
  auto conn = PgConnection::connect(url);
  ASSERT_TRUE(conn);
  EXPECT_EQ((*conn)->query("SELECT COUNT(*) FROM schema_migrations")->int64(0, 0),
            static_cast<std::int64_t>(store_migrations().size()));
}

}  // namespace
}  // namespace paperboy::store::postgres
