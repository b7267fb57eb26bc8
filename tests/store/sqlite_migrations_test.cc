// Schema migrations of the SQLite store: user_version, upgrades with backfill, refusal of a newer file.
#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

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

// The tables of the database in creation order (virtual tables and their shadows left out).
std::vector<std::string> tables_of(Connection& conn) {
  std::vector<std::string> out;
  auto stmt = conn.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE "
      "'CREATE VIRTUAL%' ORDER BY rowid");
  EXPECT_TRUE(stmt);
  while (stmt && *stmt->step()) out.emplace_back(stmt->text(0));
  return out;
}

std::int64_t count_rows(Connection& conn, const std::string& table) {
  auto stmt = conn.prepare("SELECT count(*) FROM \"" + table + "\"");
  EXPECT_TRUE(stmt) << table;
  if (!stmt || !*stmt->step()) return -1;
  return stmt->int64(0);
}

// One row in `table`: every column gets 1 (numbers) or '[]' (text: valid JSON, for the columns
// that hold JSON), so foreign keys to id 1 of earlier tables hold.
Status insert_generic_row(Connection& conn, const std::string& table) {
  auto info = conn.prepare("PRAGMA table_info(\"" + table + "\")");
  if (!info) return info.error();
  std::string columns, values;
  while (*info->step()) {
    std::string type(info->text(2));
    if (!columns.empty()) {
      columns += ", ";
      values += ", ";
    }
    columns += "\"" + std::string(info->text(1)) + "\"";
    values += type.find("INT") != std::string::npos || type.find("REAL") != std::string::npos ? "1" : "'[]'";
  }
  return conn.exec("INSERT INTO \"" + table + "\"(" + columns + ") VALUES(" + values + ")");
}

// From every earlier schema version, with a row in every table that version has: the upgrade to
// the latest keeps every row, and the store opens on it.
TEST(SqliteMigrations, EveryEarlierVersionWithDataUpgradesToLatest) {
  for (int from = 1; from < latest_schema_version(); ++from) {
    SCOPED_TRACE("from version " + std::to_string(from));
    testing::TempDir dir;
    std::string path = dir.file("v.db");
    std::map<std::string, std::int64_t> rows;
    {
      auto conn = Connection::open(path, 8);
      ASSERT_TRUE(conn);
      ASSERT_TRUE(migrate(**conn, from).is_ok());
      ASSERT_EQ(*current_schema_version(**conn), from);
      // A real paper (its JSON columns as a version-1 paperboy wrote them), then a row in every
      // other table.
      ASSERT_TRUE((*conn)
                      ->exec("INSERT INTO papers(id, title, abstract, authors, categories, primary_category, "
                             "versions, latest_version, published, listing_day, update_date, content_hash, "
                             "change_seq, stored_at) VALUES('2403.01234', 'T', 'A', '[[\"K\",\"F\",\"\"]]', "
                             "'[\"math.OC\",\"cs.LG\"]', 'math.OC', '[[1,1709251200]]', 1, 1709251200, "
                             "'2024-03-01', '2024-03-01', 7, 1, 0)")
                      .is_ok());
      for (const auto& table : tables_of(**conn)) {
        if (table != "papers" && count_rows(**conn, table) == 0) {
          Status s = insert_generic_row(**conn, table);
          ASSERT_TRUE(s.is_ok()) << table << ": " << s.to_string();
        }
        rows[table] = count_rows(**conn, table);
      }
      ASSERT_GE(rows.size(), 2u);
    }
    auto store = SqliteStore::open(path, 8);
    ASSERT_TRUE(store) << store.error().to_string();
    EXPECT_EQ((*store)->stats()->schema_version, latest_schema_version());
    // The paper reads back whole (its columns are those every version has written the same way).
    auto paper = (*store)->get_paper("2403.01234");
    ASSERT_TRUE(paper) << paper.error().to_string();
    ASSERT_TRUE(paper->has_value());
    EXPECT_EQ((*paper)->paper.title, "T");
    EXPECT_EQ((*paper)->paper.categories, (std::vector<std::string>{"math.OC", "cs.LG"}));
    store->reset();
    auto conn = Connection::open(path, 8);
    ASSERT_TRUE(conn);
    for (const auto& [table, n] : rows) EXPECT_EQ(count_rows(**conn, table), n) << table << " lost rows";
  }
}

// A step that fails (here: a table it creates already exists) is rolled back whole: the database
// stays at the previous version with nothing of the failed step, the error names the step, and
// once the obstacle is gone the same upgrade succeeds.
TEST(SqliteMigrations, AFailingStepLeavesThePreviousVersionIntact) {
  testing::TempDir dir;
  auto conn = Connection::open(dir.file("f.db"), 8);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(migrate(**conn, 3).is_ok());
  // Migration 4 creates mail_subscriptions, then mail_outbox: make the second one fail.
  ASSERT_TRUE((*conn)->exec("CREATE TABLE mail_outbox(x INTEGER)").is_ok());
  Status s = migrate(**conn);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.to_string().find("migration 4"), std::string::npos) << s.to_string();
  EXPECT_EQ(*current_schema_version(**conn), 3);
  auto tables = tables_of(**conn);
  EXPECT_EQ(std::find(tables.begin(), tables.end(), "mail_subscriptions"), tables.end())
      << "the failed step's first table was left behind";
  ASSERT_TRUE((*conn)->exec("DROP TABLE mail_outbox").is_ok());
  ASSERT_TRUE(migrate(**conn).is_ok());
  EXPECT_EQ(*current_schema_version(**conn), latest_schema_version());
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
