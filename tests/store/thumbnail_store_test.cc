// ThumbnailStore behaviour on both backends: SQLite (the paper store's file) and PostgreSQL
// (support/postgres_server.h, a fresh database per test). Which papers are due (newest first,
// never-tried and retries whose time came; ok and failed skipped), records read back, the cards'
// look-up, the counts, and the generation the page cache keys on.
#include "store/thumbnail_store.h"

#include <gtest/gtest.h>

#include "core/time.h"
#include "store/database.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::store {
namespace {

constexpr std::int64_t kDay = 86400;

class ThumbnailStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      url_ = testing::fresh_postgres_database();
      ASSERT_FALSE(url_.empty());
    } else {
      url_ = "sqlite:" + dir_.file("db/paperboy.db");
    }
    auto opened = open_database({.url = url_});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    // 2601.00001 .. 2601.00005, one a day from 21 Nov 2026: 2601.00005 is the newest.
    WriteBatch batch;
    batch.papers = testing::numbered_papers(5, *core::parse_iso8601("2026-11-20"), kDay);
    ASSERT_TRUE(database_->papers().apply(batch));
    store_ = &database_->thumbnails();
  }

  std::vector<std::string> due_ids(std::int64_t now, std::string_view since = "", int limit = 100) {
    auto due = store_->due(now, since, limit);
    EXPECT_TRUE(due) << due.error().to_string();
    std::vector<std::string> out;
    if (due) {
      for (const auto& c : *due) out.push_back(c.paper_id);
    }
    return out;
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> database_;
  ThumbnailStore* store_ = nullptr;
};

ThumbnailRecord made(const std::string& id, const std::string& hash, std::int64_t at) {
  return {.paper_id = id,
          .state = ThumbnailState::kOk,
          .hash = hash,
          .width = 320,
          .height = 414,
          .attempts = 1,
          .updated_at = at};
}

TEST_P(ThumbnailStoreTest, DuePapersComeNewestFirstAndSkipOkAndFailed) {
  EXPECT_EQ(due_ids(1000),
            (std::vector<std::string>{"2601.00005", "2601.00004", "2601.00003", "2601.00002", "2601.00001"}));
  EXPECT_EQ(due_ids(1000, "2026-11-24"), (std::vector<std::string>{"2601.00005", "2601.00004"}));
  EXPECT_EQ(due_ids(1000, "", 2), (std::vector<std::string>{"2601.00005", "2601.00004"}));
  ASSERT_TRUE(store_->record(made("2601.00005", "0123456789abcdef0123456789abcdef", 900)).is_ok());
  ASSERT_TRUE(store_
                  ->record({.paper_id = "2601.00004",
                            .state = ThumbnailState::kFailed,
                            .attempts = 1,
                            .updated_at = 900,
                            .error = "HTTP 404"})
                  .is_ok());
  ASSERT_TRUE(store_
                  ->record({.paper_id = "2601.00003",
                            .state = ThumbnailState::kRetry,
                            .attempts = 2,
                            .next_attempt_at = 2000,
                            .updated_at = 900,
                            .error = "HTTP 503"})
                  .is_ok());
  // The retry waits for its time; then it is due again, in its place by listing day.
  EXPECT_EQ(due_ids(1999), (std::vector<std::string>{"2601.00002", "2601.00001"}));
  EXPECT_EQ(due_ids(2000), (std::vector<std::string>{"2601.00003", "2601.00002", "2601.00001"}));
  auto due = store_->due(2000, "", 1);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().attempts, 2);
  EXPECT_EQ(due->front().listing_day, "2026-11-23");
}

TEST_P(ThumbnailStoreTest, RecordsReadBackAndAreReplaced) {
  ASSERT_TRUE(store_
                  ->record({.paper_id = "2601.00002",
                            .state = ThumbnailState::kRetry,
                            .attempts = 1,
                            .next_attempt_at = 5000,
                            .updated_at = 1000,
                            .error = "timeout"})
                  .is_ok());
  auto r = store_->get("2601.00002");
  ASSERT_TRUE(r && *r) << (r ? "absent" : r.error().to_string());
  EXPECT_EQ((*r)->state, ThumbnailState::kRetry);
  EXPECT_EQ((*r)->attempts, 1);
  EXPECT_EQ((*r)->next_attempt_at, 5000);
  EXPECT_EQ((*r)->error, "timeout");
  ASSERT_TRUE(store_->record(made("2601.00002", "00000000000000000000000000000abc", 6000)).is_ok());
  r = store_->get("2601.00002");
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->state, ThumbnailState::kOk);
  EXPECT_EQ((*r)->hash, "00000000000000000000000000000abc");
  EXPECT_EQ((*r)->width, 320);
  EXPECT_EQ((*r)->height, 414);
  EXPECT_EQ((*r)->error, "");
  auto none = store_->get("2601.00001");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(ThumbnailStoreTest, CardsFindOnlyMadeThumbnails) {
  ASSERT_TRUE(store_->record(made("2601.00001", "11111111111111111111111111111111", 10)).is_ok());
  ASSERT_TRUE(store_->record({.paper_id = "2601.00002", .state = ThumbnailState::kFailed, .updated_at = 10}).is_ok());
  std::vector<std::string> ids = {"2601.00001", "2601.00002", "2601.00003"};
  auto found = store_->thumbnails_of(ids);
  ASSERT_TRUE(found) << found.error().to_string();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at("2601.00001").hash, "11111111111111111111111111111111");
  EXPECT_EQ(found->at("2601.00001").height, 414);
  auto empty = store_->thumbnails_of({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto counts = store_->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->ok, 1);
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->retry, 0);
}

TEST_P(ThumbnailStoreTest, GenerationGrowsWithEveryThumbnailMadeEvenInTheSameSecond) {
  auto g0 = store_->generation();
  ASSERT_TRUE(g0) << g0.error().to_string();
  ASSERT_TRUE(store_->record({.paper_id = "2601.00004", .state = ThumbnailState::kFailed, .updated_at = 50}).is_ok());
  EXPECT_EQ(*store_->generation(), *g0) << "a failure changes no card";
  ASSERT_TRUE(store_->record(made("2601.00001", "11111111111111111111111111111111", 100)).is_ok());
  auto g1 = store_->generation();
  ASSERT_TRUE(g1);
  EXPECT_GT(*g1, *g0);
  ASSERT_TRUE(store_->record(made("2601.00002", "22222222222222222222222222222222", 100)).is_ok());
  auto g2 = store_->generation();
  EXPECT_GT(*g2, *g1);
  ASSERT_TRUE(store_->record(made("2601.00003", "33333333333333333333333333333333", 101)).is_ok());
  EXPECT_GT(*store_->generation(), *g2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ThumbnailStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace paperboy::store
