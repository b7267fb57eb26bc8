// CurationStore behaviour, run against both backends: SQLite (a real file, alongside the paper
// store as in production) and PostgreSQL (support/postgres_server.h, a fresh database per test).
#include "store/curation_store.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

class CurationStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      url_ = testing::fresh_postgres_database();
      ASSERT_FALSE(url_.empty());
    } else {
      url_ = "sqlite:" + dir_.file("db/paperboy.db");
    }
    // The paper store first, as `serve` opens them: both share one database.
    auto opened = open_database({.url = url_});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    papers_ = &database_->papers();
    store_ = &database_->curation();
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> database_;
  Store* papers_ = nullptr;
  CurationStore* store_ = nullptr;
};

TEST_P(CurationStoreTest, FirstSubmissionWinsAndIsReadBack) {
  auto first = store_->record_submission({"2602.07774", 7, "2026-11-30", 1000});
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_TRUE(first->is_new);
  EXPECT_EQ(first->submission.account_id, 7);
  auto again = store_->record_submission({"2602.07774", 8, "2026-12-01", 2000});
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_FALSE(again->is_new);
  EXPECT_EQ(again->submission.account_id, 7);
  EXPECT_EQ(again->submission.listing_day, "2026-11-30");
  EXPECT_EQ(again->submission.submitted_at, 1000);
  auto got = store_->get_submission("2602.07774");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->account_id, 7);
  auto none = store_->get_submission("2401.00001");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(CurationStoreTest, SubmissionsOfADayRangeNewestFirst) {
  EXPECT_EQ(*store_->newest_submission_day(), "");
  ASSERT_TRUE(store_->record_submission({"2601.00001", 1, "2026-11-28", 100}));
  ASSERT_TRUE(store_->record_submission({"2601.00002", 1, "2026-11-29", 200}));
  ASSERT_TRUE(store_->record_submission({"2601.00003", 2, "2026-11-29", 300}));
  ASSERT_TRUE(store_->record_submission({"2601.00004", 2, "2026-11-30", 400}));
  auto day = store_->submissions_between("2026-11-29", "2026-11-29");
  ASSERT_TRUE(day) << day.error().to_string();
  ASSERT_EQ(day->size(), 2U);
  EXPECT_EQ((*day)[0].paper_id, "2601.00003");
  EXPECT_EQ((*day)[1].paper_id, "2601.00002");
  auto range = store_->submissions_between("2026-11-28", "2026-11-30");
  ASSERT_EQ(range->size(), 4U);
  EXPECT_EQ(range->front().paper_id, "2601.00004");
  EXPECT_EQ(*store_->newest_submission_day(), "2026-11-30");
}

TEST_P(CurationStoreTest, SubmissionsOfAnAccountNewestFirstAndBounded) {
  ASSERT_TRUE(store_->record_submission({"2601.00001", 1, "2026-11-28", 100}));
  ASSERT_TRUE(store_->record_submission({"2601.00002", 2, "2026-11-29", 200}));
  ASSERT_TRUE(store_->record_submission({"2601.00003", 1, "2026-11-29", 300}));
  ASSERT_TRUE(store_->record_submission({"2601.00004", 1, "2026-11-30", 400}));
  auto mine = store_->submissions_by(1, 2);
  ASSERT_TRUE(mine) << mine.error().to_string();
  ASSERT_EQ(mine->size(), 2U);
  EXPECT_EQ((*mine)[0].paper_id, "2601.00004");
  EXPECT_EQ((*mine)[1].paper_id, "2601.00003");
  EXPECT_EQ(store_->submissions_by(2, 10)->size(), 1U);
  EXPECT_TRUE(store_->submissions_by(3, 10)->empty());
}

TEST_P(CurationStoreTest, FlagsAreSetClearedAndListed) {
  std::int64_t g0 = store_->curation_generation();
  ASSERT_TRUE(store_->set_flag("2401.00001", "2026-11-30", CurationFlag::kHidden, true, 1, 10).is_ok());
  ASSERT_TRUE(store_->set_flag("2401.00002", "2026-11-30", CurationFlag::kFeatured, true, 1, 10).is_ok());
  ASSERT_TRUE(store_->set_flag("2401.00002", "2026-11-30", CurationFlag::kHidden, true, 1, 11).is_ok());
  EXPECT_GT(store_->curation_generation(), g0);
  EXPECT_EQ(*store_->flagged(CurationFlag::kHidden), (std::vector<std::string>{"2401.00001", "2401.00002"}));
  EXPECT_EQ(*store_->flagged(CurationFlag::kFeatured), (std::vector<std::string>{"2401.00002"}));

  ASSERT_TRUE(store_->set_flag("2401.00002", "2026-11-30", CurationFlag::kHidden, false, 2, 12).is_ok());
  std::vector<std::string> ids = {"2401.00001", "2401.00002", "2401.00003"};
  auto flags = store_->flags_of(ids);
  ASSERT_TRUE(flags) << flags.error().to_string();
  ASSERT_EQ(flags->size(), 2U);
  EXPECT_TRUE(flags->at("2401.00001").is_hidden);
  EXPECT_FALSE(flags->at("2401.00001").is_featured);
  EXPECT_TRUE(flags->at("2401.00002").is_featured);
  EXPECT_FALSE(flags->at("2401.00002").is_hidden);
  EXPECT_FALSE(flags->contains("2401.00003"));
  EXPECT_EQ(*store_->flagged(CurationFlag::kHidden), (std::vector<std::string>{"2401.00001"}));

  // Featured papers of a listing day range, by the day the flag was set for.
  ASSERT_TRUE(store_->set_flag("2401.00009", "2026-11-29", CurationFlag::kFeatured, true, 1, 14).is_ok());
  EXPECT_EQ(*store_->flagged_between(CurationFlag::kFeatured, "2026-11-29", "2026-11-29"),
            (std::vector<std::string>{"2401.00009"}));
  EXPECT_EQ(*store_->flagged_between(CurationFlag::kFeatured, "2026-11-29", "2026-11-30"),
            (std::vector<std::string>{"2401.00002", "2401.00009"}));
  EXPECT_TRUE(store_->flagged_between(CurationFlag::kFeatured, "2026-12-01", "2026-12-31")->empty());

  // Clearing the last flag drops the paper from flags_of.
  ASSERT_TRUE(store_->set_flag("2401.00001", "2026-11-30", CurationFlag::kHidden, false, 2, 13).is_ok());
  EXPECT_FALSE(store_->flags_of(ids)->contains("2401.00001"));
}

TEST_P(CurationStoreTest, IdsThatLookLikeSqlAreValues) {
  std::string odd = "x'); DROP TABLE submissions; --\"]";
  ASSERT_TRUE(store_->set_flag(odd, "2026-11-30", CurationFlag::kFeatured, true, 1, 1).is_ok());
  std::vector<std::string> ids = {odd};
  EXPECT_TRUE(store_->flags_of(ids)->at(odd).is_featured);
  ASSERT_TRUE(store_->record_submission({odd, 1, "2026-11-30", 1}));
  EXPECT_TRUE(*store_->get_submission(odd));
}

TEST_P(CurationStoreTest, ConcurrentSubmissionsOfOnePaperRecordOne) {
  constexpr int kThreads = 8;
  std::atomic<int> fresh{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto r = store_->record_submission({"2602.07774", t + 1, "2026-11-30", 1000 + t});
      if (!r) {
        errors++;
      } else if (r->is_new) {
        fresh++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(store_->submissions_between("2026-11-30", "2026-11-30")->size(), 1U);
}

TEST_P(CurationStoreTest, ReopeningKeepsEverything) {
  ASSERT_TRUE(store_->record_submission({"2602.07774", 3, "2026-11-30", 5}));
  ASSERT_TRUE(store_->set_flag("2602.07774", "2026-11-30", CurationFlag::kFeatured, true, 3, 6).is_ok());
  store_ = nullptr;
  papers_ = nullptr;
  database_.reset();
  auto reopened = open_database({.url = url_});
  ASSERT_TRUE(reopened) << reopened.error().to_string();
  EXPECT_EQ((*(*reopened)->curation().get_submission("2602.07774"))->account_id, 3);
  EXPECT_EQ(*(*reopened)->curation().flagged(CurationFlag::kFeatured), (std::vector<std::string>{"2602.07774"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, CurationStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace paperboy::store
