// TrendService over the real search service on a real SQLite store: papers per ISO week equal a
// count made paper by paper, filters and every-word matching apply, and the rising topics put the
// word whose share of new papers jumped first while a steady word stays out.
#include "app/trend_service.h"

#include <gtest/gtest.h>

#include <map>

#include "core/time.h"
#include "search/search_service.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::app {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNewestDay = 20454;  // 2026-01-01

struct Made {
  std::string id;
  std::int64_t day;
  bool zebrafish;
  std::string category;
};

class TrendServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<core::Paper> papers;
    // 60 papers over the 180 days before the recent window (3 about zebrafish), 30 in the newest
    // 30 days (20 about zebrafish); every one about graph networks.
    auto add = [&](std::int64_t day, bool zebrafish, const std::string& cat) {
      char id[16];
      std::snprintf(id, sizeof id, "2601.%05zu", made_.size() + 1);
      core::Paper p = testing::stored_paper(
          id, zebrafish ? "Graph networks of zebrafish neurons" : "Graph networks of cities", day * kDay + 3600);
      p.abstract = zebrafish ? "We study graph networks of zebrafish." : "We study graph networks of cities.";
      p.categories = {cat};
      made_.push_back({id, day, zebrafish, cat});
      papers.push_back(std::move(p));
    };
    for (int i = 0; i < 60; ++i) add(kNewestDay - 30 - 3 * i, i % 20 == 0, i % 2 == 0 ? "cs.LG" : "q-bio.NC");
    for (int i = 0; i < 30; ++i) add(kNewestDay - i, i < 20, i % 2 == 0 ? "cs.LG" : "q-bio.NC");
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(), std::move(papers), db_));
    search::SearchOptions options;
    options.index_dir = (dir_.path() / "index").string();
    options.min_train_docs = 1000;  // lexical only: trends read the ranking index
    options.ranking_index = search::SearchOptions::RankingIndex::kAtOpen;
    auto svc = search::open_search_service(db_->papers(), options);
    ASSERT_TRUE(svc) << svc.error().to_string();
    search_ = std::move(*svc);
    trends_ = std::make_unique<TrendService>(*search_, db_->papers());
  }

  // Papers per ISO week, counted paper by paper.
  std::map<std::string, std::int64_t> expected(bool zebrafish_only, const std::string& cat = "") const {
    std::map<std::string, std::int64_t> out;
    for (const auto& m : made_) {
      if ((zebrafish_only && !m.zebrafish) || (!cat.empty() && m.category != cat)) continue;
      ++out[core::iso_week(m.day)];
    }
    return out;
  }

  static std::map<std::string, std::int64_t> nonzero(const QueryTrend& t) {
    std::map<std::string, std::int64_t> out;
    for (const auto& w : t.weeks) {
      if (w.papers > 0) out[w.week] = w.papers;
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<search::SearchService> search_;
  std::unique_ptr<TrendService> trends_;
  std::vector<Made> made_;
};

TEST_F(TrendServiceTest, WeeksCountEveryMatchingPaperOnce) {
  auto trend = trends_->weekly({.query = "zebrafish"}, 40);
  ASSERT_TRUE(trend) << trend.error().to_string();
  ASSERT_EQ(trend->weeks.size(), 40u);
  EXPECT_EQ(trend->weeks.back().week, core::iso_week(kNewestDay));
  for (size_t i = 1; i < trend->weeks.size(); ++i) EXPECT_EQ(trend->weeks[i].monday, trend->weeks[i - 1].monday + 7);
  EXPECT_EQ(trend->papers, 23);
  EXPECT_EQ(nonzero(*trend), expected(true));

  auto all = trends_->weekly({.query = "graph networks"}, 40);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->papers, 90);
  EXPECT_EQ(nonzero(*all), expected(false));

  // Every word must occur, and filters apply.
  auto both = trends_->weekly({.query = "zebrafish cities"}, 40);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->papers, 0);
  auto in_cat = trends_->weekly({.query = "zebrafish", .categories = {"cs.LG"}}, 40);
  ASSERT_TRUE(in_cat);
  EXPECT_EQ(nonzero(*in_cat), expected(true, "cs.LG"));

  // A short window counts only its weeks.
  auto last = trends_->weekly({.query = "zebrafish"}, 2);
  ASSERT_TRUE(last);
  std::int64_t in_last_two = 0;
  for (const auto& m : made_) in_last_two += m.zebrafish && m.day >= last->weeks.front().monday ? 1 : 0;
  EXPECT_EQ(last->papers, in_last_two);
}

TEST_F(TrendServiceTest, APaperIngestedLaterIsCountedAfterCatchUp) {
  auto before = trends_->weekly({.query = "zebrafish"}, 40);
  ASSERT_TRUE(before);
  store::WriteBatch batch;
  core::Paper p = testing::stored_paper("2601.09999", "Zebrafish graph atlas", (kNewestDay - 1) * kDay + 60);
  p.abstract = "A new atlas of zebrafish.";
  batch.papers.push_back(p);
  // And one already counted loses the word: the delta supersedes its base entry.
  const Made& was = made_[60];  // the newest day's zebrafish paper
  ASSERT_TRUE(was.zebrafish);
  core::Paper changed = testing::stored_paper(was.id, "Graph networks of cities", was.day * kDay + 3600);
  changed.abstract = "We study graph networks of cities.";
  changed.categories = {was.category};
  changed.versions.push_back({2, was.day * kDay + 7200});
  batch.papers.push_back(changed);
  ASSERT_TRUE(db_->papers().apply(batch));
  ASSERT_TRUE(search_->catch_up().is_ok());
  auto after = trends_->weekly({.query = "zebrafish"}, 40);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->papers, before->papers);  // one in, one out
  auto in_week = [](const QueryTrend& t, const std::string& week) {
    for (const auto& w : t.weeks) {
      if (w.week == week) return w.papers;
    }
    return std::int64_t{-1};
  };
  // Both changes fall in the newest week unless the day before it is a Sunday.
  EXPECT_EQ(in_week(*after, core::iso_week(kNewestDay - 1)) + in_week(*after, core::iso_week(kNewestDay)),
            in_week(*before, core::iso_week(kNewestDay - 1)) + in_week(*before, core::iso_week(kNewestDay)));
  auto atlas = trends_->weekly({.query = "atlas"}, 40);
  ASSERT_TRUE(atlas);
  EXPECT_EQ(atlas->papers, 1);
  auto cities = trends_->weekly({.query = "cities"}, 40);
  ASSERT_TRUE(cities);
  EXPECT_EQ(cities->papers, 68);  // 57 earlier + 10 recent + the changed one
  EXPECT_EQ(after->weeks.back().week, core::iso_week(kNewestDay));
}

TEST_F(TrendServiceTest, RefusesBadArguments) {
  EXPECT_EQ(trends_->weekly({.query = "zebrafish"}, 0).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(trends_->weekly({.query = "zebrafish"}, TrendService::kMaxWeeks + 1).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(trends_->weekly({.query = "-zebrafish"}, 10).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(trends_->rising(0).error().code(), StatusCode::kInvalidArgument);
}

TEST_F(TrendServiceTest, RisingTopicsPutTheJumpFirstAndLeaveSteadyWordsOut) {
  auto rising = trends_->rising(10);
  ASSERT_TRUE(rising) << rising.error().to_string();
  EXPECT_EQ(rising->recent_papers, 30);
  EXPECT_EQ(rising->earlier_papers, 60);
  EXPECT_EQ(rising->windows.recent_until, kNewestDay);
  EXPECT_EQ(rising->windows.recent_from, kNewestDay - 29);
  // The words and phrases that rose together tie; the ones every title has stay out. "zebrafish"
  // and "neurons" alone are left out: the phrase holds all their papers.
  std::vector<std::string> terms;
  for (const auto& t : rising->topics) {
    terms.push_back(t.term);
    EXPECT_EQ(t.recent, 20) << t.term;
    EXPECT_EQ(t.earlier, 3) << t.term;
    EXPECT_GT(t.lift, 3.0) << t.term;
  }
  EXPECT_EQ(terms, (std::vector<std::string>{"zebrafish neurons"}));
}

}  // namespace
}  // namespace paperboy::app
