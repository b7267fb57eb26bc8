#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

core::Paper paper(const std::string& id, int latest_version, const std::string& title = "A title") {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.authors = {{"Lovelace", "Ada", ""}};
  p.abstract = "Abstract of " + id;
  p.categories = {"cs.LG", "stat.ML"};
  for (int v = 1; v <= latest_version; ++v) p.versions.push_back({v, 1709251200 + (v - 1) * 86400});
  p.update_date = core::Paper{.versions = p.versions}.last_updated();
  return p;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_store({.url = "sqlite:" + dir_.file("db/paperboy.db")});
    ASSERT_TRUE(opened) << opened.error().to_string();
    store_ = std::move(*opened);
  }
  UpsertOutcome upsert(const core::Paper& p) {
    auto r = store_->apply({.papers = {p}});
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? r->outcomes.at(0) : UpsertOutcome::kStale;
  }
  core::Paper get(const std::string& id) {
    auto r = store_->get_paper(id);
    EXPECT_TRUE(r && *r);
    return (r && *r) ? (*r)->paper : core::Paper{};
  }
  std::int64_t seq() { return *store_->max_change_seq(); }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, InsertThenReadBackEveryField) {
  core::Paper p = paper("2403.01234", 2);
  p.comments = "12 pages";
  p.journal_ref = "NeurIPS 2024";
  p.doi = "10.1000/xyz";
  p.report_no = "TR-1";
  p.license = "http://creativecommons.org/licenses/by/4.0/";
  p.submitter = "Ada Lovelace";
  p.title = "Über $\\alpha$-nets <b>&";
  EXPECT_EQ(upsert(p), UpsertOutcome::kInserted);
  EXPECT_EQ(get("2403.01234"), p);
}

TEST_F(SqliteStoreTest, IdenticalRecordChangesNothing) {
  ASSERT_EQ(upsert(paper("2403.01234", 1)), UpsertOutcome::kInserted);
  std::int64_t before = seq();
  EXPECT_EQ(upsert(paper("2403.01234", 1)), UpsertOutcome::kUnchanged);
  EXPECT_EQ(seq(), before);
}

TEST_F(SqliteStoreTest, NewerVersionReplacesMetadataAndExtendsHistory) {
  ASSERT_EQ(upsert(paper("2403.01234", 1, "Old title")), UpsertOutcome::kInserted);
  std::int64_t before = seq();
  core::Paper v2 = paper("2403.01234", 2, "New title");
  v2.versions.erase(v2.versions.begin());  // the source only knows v2
  EXPECT_EQ(upsert(v2), UpsertOutcome::kUpdated);
  core::Paper stored = get("2403.01234");
  EXPECT_EQ(stored.title, "New title");
  ASSERT_EQ(stored.versions.size(), 2U);
  EXPECT_EQ(stored.versions[0].number, 1);
  EXPECT_EQ(stored.versions[1].number, 2);
  EXPECT_EQ(stored.listing_day(), "2024-03-01");  // v1 still decides the listing day
  EXPECT_GT(seq(), before);
}

TEST_F(SqliteStoreTest, OlderVersionNeverOverwritesNewer) {
  ASSERT_EQ(upsert(paper("2403.01234", 3, "Newest title")), UpsertOutcome::kInserted);
  std::int64_t before = seq();
  EXPECT_EQ(upsert(paper("2403.01234", 2, "Stale title")), UpsertOutcome::kStale);
  EXPECT_EQ(get("2403.01234").title, "Newest title");
  EXPECT_EQ(seq(), before);
}

TEST_F(SqliteStoreTest, OlderRecordMayAddMissingVersionDatesOnly) {
  core::Paper newest = paper("2403.01234", 3, "Newest title");
  newest.versions.erase(newest.versions.begin() + 1);  // knows v1 and v3
  ASSERT_EQ(upsert(newest), UpsertOutcome::kInserted);
  EXPECT_EQ(upsert(paper("2403.01234", 2, "Stale title")), UpsertOutcome::kUpdated);
  core::Paper stored = get("2403.01234");
  EXPECT_EQ(stored.title, "Newest title");
  EXPECT_EQ(stored.versions.size(), 3U);
}

TEST_F(SqliteStoreTest, SameVersionWithNewerMetadataUpdates) {
  ASSERT_EQ(upsert(paper("2403.01234", 1)), UpsertOutcome::kInserted);
  core::Paper p = paper("2403.01234", 1);
  p.journal_ref = "ICML 2024";
  p.update_date = "2024-06-01";
  EXPECT_EQ(upsert(p), UpsertOutcome::kUpdated);
  EXPECT_EQ(get("2403.01234").journal_ref, "ICML 2024");
  core::Paper older = paper("2403.01234", 1);
  older.journal_ref = "arXiv preprint";
  older.update_date = "2024-03-02";
  EXPECT_EQ(upsert(older), UpsertOutcome::kStale);
  EXPECT_EQ(get("2403.01234").journal_ref, "ICML 2024");
}

TEST_F(SqliteStoreTest, ChangeSequenceIsMonotonicAndFollowable) {
  ASSERT_TRUE(store_->apply({.papers = {paper("2403.00001", 1), paper("2403.00002", 1), paper("2403.00003", 1)}}));
  auto all = store_->papers_changed_since(0, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3U);
  std::int64_t cursor = all->back().change_seq;
  EXPECT_TRUE(store_->papers_changed_since(cursor, 100)->empty());
  ASSERT_EQ(upsert(paper("2403.00001", 2, "Revised")), UpsertOutcome::kUpdated);
  auto changed = store_->papers_changed_since(cursor, 100);
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->size(), 1U);
  EXPECT_EQ(changed->front().paper.id, "2403.00001");
  EXPECT_GT(changed->front().change_seq, cursor);
  EXPECT_EQ(changed->front().doc_id, all->front().doc_id);  // doc ids are stable across updates
}

TEST_F(SqliteStoreTest, RejectsInvalidPapersAndWritesNothingOfTheBatch) {
  core::Paper bad = paper("2403.00002", 1);
  bad.title.clear();
  auto r = store_->apply({.papers = {paper("2403.00001", 1), bad}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("title"), std::string::npos);
  EXPECT_EQ(seq(), 0);
}

TEST_F(SqliteStoreTest, StateIsCommittedWithTheBatch) {
  ASSERT_TRUE(store_->apply({.papers = {paper("2403.00001", 1)}, .state = {{"cursor", "42"}}}));
  EXPECT_EQ(store_->get_state("cursor")->value_or(""), "42");
  ASSERT_TRUE(store_->put_state("cursor", "43").is_ok());
  EXPECT_EQ(store_->get_state("cursor")->value_or(""), "43");
  ASSERT_TRUE(store_->delete_state("cursor").is_ok());
  EXPECT_FALSE(store_->get_state("cursor")->has_value());
}

TEST_F(SqliteStoreTest, PutStateIfAbsentKeepsTheFirstValue) {
  auto first = store_->put_state_if_absent("k", "one");
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(*first, "one");
  auto second = store_->put_state_if_absent("k", "two");
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, "one");
  EXPECT_EQ(store_->get_state("k")->value_or(""), "one");
}

TEST_F(SqliteStoreTest, SigningKeyIsCreatedOnceAndSharedByEveryOpen) {
  auto key = signing_key_hex(*store_);
  ASSERT_TRUE(key) << key.error().to_string();
  EXPECT_EQ(key->size(), 64u);
  auto reopened = open_store({.url = "sqlite:" + dir_.file("db/paperboy.db")});
  ASSERT_TRUE(reopened);
  EXPECT_EQ(*signing_key_hex(**reopened), *key);
}

TEST_F(SqliteStoreTest, ListingsFilterByDayAndCategoryNewestFirst) {
  core::Paper a = paper("2403.00001", 1);
  core::Paper b = paper("2403.00002", 1);
  b.versions[0].created += 86400;  // a day later
  b.categories = {"cs.CV"};
  core::Paper c = paper("2403.00003", 1);
  c.versions[0].created += 2 * 86400;
  c.categories = {"math.OC", "cs.LG"};
  ASSERT_TRUE(store_->apply({.papers = {a, b, c}}));
  auto all = store_->list_papers({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].paper.id, "2403.00003");
  auto lg = store_->list_papers({.categories = {"cs.LG"}});
  ASSERT_EQ(lg->size(), 2U);  // cross-lists count
  auto day = store_->list_papers({.from_day = "2024-03-02", .to_day = "2024-03-02"});
  ASSERT_EQ(day->size(), 1U);
  EXPECT_EQ(day->front().paper.id, "2403.00002");
  EXPECT_EQ(*store_->count_papers({.categories = {"cs.LG", "cs.CV"}}), 3);
  EXPECT_EQ(*store_->newest_listing_day(), "2024-03-03");
  auto stats = store_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->papers, 3);
  ASSERT_EQ(stats->by_month.size(), 1U);
  EXPECT_EQ(stats->by_month[0].name, "2024-03");
  EXPECT_EQ(stats->by_month[0].count, 3);
}

TEST_F(SqliteStoreTest, ConcurrentReadersAndOneWriter) {
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        if (!store_->list_papers({.limit = 10})) ++read_errors;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "2403.%05d", i + 1);
    ASSERT_EQ(upsert(paper(id, 1)), UpsertOutcome::kInserted);
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(read_errors, 0);
  EXPECT_EQ(store_->stats()->papers, 200);
}

TEST_F(SqliteStoreTest, ReopeningKeepsEverything) {
  ASSERT_EQ(upsert(paper("hep-th/9901001", 1)), UpsertOutcome::kInserted);
  store_.reset();
  auto reopened = open_store({.url = dir_.file("db/paperboy.db")});
  ASSERT_TRUE(reopened);
  auto p = (*reopened)->get_paper("hep-th/9901001");
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->paper.title, "A title");
}

}  // namespace
}  // namespace paperboy::store
