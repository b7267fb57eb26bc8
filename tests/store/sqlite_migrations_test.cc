// Schema migrations of the SQLite store: user_version, upgrades with backfill, refusal of a newer file.
#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace paperboy::store::sqlite {
namespace {

TEST(SqliteMigrations, EmptyDatabaseMigratesToLatest) {
  testing::TempDir dir;
  auto conn = Connection::open(dir.file("a.db"), 8);
  ASSERT_TRUE(conn);
  EXPECT_EQ(*current_schema_version(**conn), 0);
  ASSERT_TRUE(migrate(**conn).is_ok());
  EXPECT_EQ(*current_schema_version(**conn), latest_schema_version());
  // Running again is a no-op.
  ASSERT_TRUE(migrate(**conn).is_ok());
  EXPECT_EQ(*current_schema_version(**conn), latest_schema_version());
}

TEST(SqliteMigrations, PreviousSchemaWithDataIsUpgradedAndBackfilled) {
  testing::TempDir dir;
  std::string path = dir.file("b.db");
  {
    auto conn = Connection::open(path, 8);
    ASSERT_TRUE(conn);
    ASSERT_TRUE(migrate(**conn, 1).is_ok());
    EXPECT_EQ(*current_schema_version(**conn), 1);
    // A paper written by a version-1 paperboy.
    ASSERT_TRUE((*conn)
                    ->exec("INSERT INTO papers(id, title, abstract, authors, categories, primary_category, versions, "
                           "latest_version, published, listing_day, update_date, content_hash, change_seq, stored_at) "
                           "VALUES('2403.01234', 'T', 'A', '[[\"K\",\"F\",\"\"]]', '[\"math.OC\",\"cs.LG\"]', "
                           "'math.OC', '[[1,1709251200]]', 1, 1709251200, '2024-03-01', '2024-03-01', 7, 1, 0)")
                    .is_ok());
  }
  auto store = SqliteStore::open(path, 8);
  ASSERT_TRUE(store) << store.error().to_string();
  auto lg = (*store)->list_papers({.categories = {"cs.LG"}});
  ASSERT_TRUE(lg);
  ASSERT_EQ(lg->size(), 1U);  // backfilled category membership
  EXPECT_EQ(lg->front().paper.id, "2403.01234");
  EXPECT_EQ((*store)->stats()->schema_version, latest_schema_version());
}

TEST(SqliteMigrations, RefusesADatabaseFromTheFuture) {
  testing::TempDir dir;
  auto conn = Connection::open(dir.file("c.db"), 8);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->exec("PRAGMA user_version = 999").is_ok());
  Status s = migrate(**conn);
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("newer"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::store::sqlite
