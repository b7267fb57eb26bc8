// ListingService and CurationService against a real SQLite database in a temporary directory: the
// curated order (featured newest first, then submitted, then arXiv's newest first), hidden papers
// nowhere, each paper once, pages across the pinned/arXiv boundary, the total, and who may curate.
#include "app/listing_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/curation_service.h"
#include "core/time.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::app {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kStart = 1767225600;  // 2026-01-01

store::Account member(std::int64_t id, store::Role role) {
  return store::Account{.id = id, .email = "m" + std::to_string(id) + "@example.org", .name = "m", .role = role};
}

class ListingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 2601.00001 is the oldest, 2601.00006 the newest (one day apart).
    std::vector<core::Paper> papers = testing::numbered_papers(6, kStart, kDay);
    papers[4].categories = {"astro-ph.GA"};  // 2601.00005
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(), std::move(papers), db_));
    curated_ = std::make_unique<ListingService>(db_->papers(), &db_->curation(), &db_->community());
    curator_ = std::make_unique<CurationService>(db_->papers(), db_->curation(), db_->community());
  }

  ListingWindow everything(int limit = 50, int offset = 0) { return {"2000-01-01", "2100-01-01", {}, limit, offset}; }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<ListingService> curated_;
  std::unique_ptr<CurationService> curator_;
  store::Account curator_account_ = member(7, store::Role::kCurator);
};

TEST_F(ListingServiceTest, WithoutCurationTheListingIsArxivsNewestFirst) {
  ListingService plain(db_->papers(), nullptr, nullptr);
  auto listed = plain.curated(everything());
  ASSERT_TRUE(listed) << listed.error().to_string();
  EXPECT_EQ(testing::paper_ids(listed->papers), (std::vector<std::string>{"2601.00006", "2601.00005", "2601.00004",
                                                                          "2601.00003", "2601.00002", "2601.00001"}));
  EXPECT_EQ(listed->total, 6);
  EXPECT_TRUE(plain.hidden_paper_ids()->empty());
}

TEST_F(ListingServiceTest, FeaturedThenSubmittedThenArxivWithHiddenPapersNowhere) {
  auto t = kStart + 30 * kDay;
  ASSERT_TRUE(curator_->curate(curator_account_, "2601.00001", CurationAction::kFeature, t));
  ASSERT_TRUE(curator_->curate(curator_account_, "arXiv:2601.00003v1", CurationAction::kFeature, t));
  ASSERT_TRUE(curator_->curate(curator_account_, "2601.00006", CurationAction::kHide, t));
  ASSERT_TRUE(db_->curation().record_submission({"2601.00002", 3, "2026-01-03", t}));
  auto listed = curated_->curated(everything());
  ASSERT_TRUE(listed) << listed.error().to_string();
  // Featured newest first among themselves, the submitted paper next, then arXiv's; 00006 hidden,
  // nothing twice.
  EXPECT_EQ(testing::paper_ids(listed->papers),
            (std::vector<std::string>{"2601.00003", "2601.00001", "2601.00002", "2601.00005", "2601.00004"}));
  EXPECT_EQ(listed->total, 5);
  EXPECT_EQ(*curated_->hidden_paper_ids(), (std::vector<std::string>{"2601.00006"}));
  // Pages cut across the pinned papers and arXiv's without losing or repeating one.
  std::vector<std::string> paged;
  for (int offset = 0; offset < 6; offset += 2) {
    auto page = curated_->curated(everything(2, offset));
    ASSERT_TRUE(page) << page.error().to_string();
    EXPECT_EQ(page->total, 5);
    for (auto& id : testing::paper_ids(page->papers)) paged.push_back(id);
  }
  EXPECT_EQ(paged, testing::paper_ids(listed->papers));
  // A category filter applies to pinned papers too.
  auto astro = curated_->curated({"2000-01-01", "2100-01-01", {"astro-ph.GA"}, 50, 0});
  ASSERT_TRUE(astro);
  EXPECT_EQ(testing::paper_ids(astro->papers), (std::vector<std::string>{"2601.00005"}));
  // Unhiding brings the paper back.
  ASSERT_TRUE(curator_->curate(curator_account_, "2601.00006", CurationAction::kUnhide, t));
  EXPECT_EQ(curated_->curated(everything())->total, 6);
}

TEST_F(ListingServiceTest, TheNewestDayIsALaterSubmissionDayWhenThereIsOne) {
  auto arxiv = curated_->newest_listing_day();
  ASSERT_TRUE(arxiv) << arxiv.error().to_string();
  ASSERT_TRUE(db_->curation().record_submission({"2601.00001", 3, "2099-12-31", kStart}));
  EXPECT_EQ(*curated_->newest_listing_day(), "2099-12-31");
  EXPECT_LT(*arxiv, "2099-12-31");
}

TEST_F(ListingServiceTest, ASubmissionComesWithItsSubmittersNameWhileTheAccountLasts) {
  EXPECT_FALSE(*curator_->submitted("2601.00002"));
  auto ada = db_->community().create_account("ada@example.org", "Ada", "hash", store::Role::kUser, kStart);
  ASSERT_TRUE(ada) << ada.error().to_string();
  ASSERT_TRUE(db_->curation().record_submission({"2601.00002", *ada, "2026-01-03", kStart}));
  ASSERT_TRUE(db_->curation().record_submission({"2601.00004", 999, "2026-01-05", kStart}));
  auto by_ada = curator_->submitted("2601.00002");
  ASSERT_TRUE(by_ada && *by_ada);
  EXPECT_EQ((*by_ada)->submission.listing_day, "2026-01-03");
  EXPECT_EQ((*by_ada)->submitter_name, "Ada");
  auto gone = curator_->submitted("2601.00004");
  ASSERT_TRUE(gone && *gone);
  EXPECT_FALSE((*gone)->submitter_name.has_value());
}

TEST_F(ListingServiceTest, OnlyCuratorsAndAdminsCurateAndTheyNameRealPapers) {
  auto refused = curator_->curate(member(2, store::Role::kUser), "2601.00001", CurationAction::kHide, kStart);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(curated_->hidden_paper_ids()->empty());
  auto admin = curator_->curate(member(1, store::Role::kAdmin), "2601.00001", CurationAction::kFeature, kStart);
  ASSERT_TRUE(admin) << admin.error().to_string();
  EXPECT_TRUE(admin->is_featured);
  EXPECT_FALSE(admin->is_hidden);
  EXPECT_EQ(curator_->curate(curator_account_, "not an id", CurationAction::kHide, kStart).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(curator_->curate(curator_account_, "2601.09999", CurationAction::kHide, kStart).error().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(parse_curation_action("promote").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*parse_curation_action("unhide"), CurationAction::kUnhide);
}

}  // namespace
}  // namespace paperboy::app

namespace paperboy::app {
namespace {

class ListingSortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<core::Paper> papers = testing::numbered_papers(6, kStart, kDay);
    papers[2].categories = {"math.AG", "cs.LG"};  // 2601.00003, cross-listed in cs.LG
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(), std::move(papers), db_));
    service_ = std::make_unique<ListingService>(db_->papers(), &db_->curation(), &db_->community());
  }
  // `voters` accounts upvote paper 2601.0000`n` (first published at kStart + n days).
  void upvote(int n, int voters) {
    for (int i = 0; i < voters; ++i) {
      auto id = db_->community().create_account("v" + std::to_string(n) + "-" + std::to_string(i) + "@example.org",
                                                "Voter", "x", store::Role::kUser, kStart);
      ASSERT_TRUE(id);
      ASSERT_TRUE(db_->community().set_vote(*id, "2601.0000" + std::to_string(n), kStart + n * kDay, true, kStart));
    }
  }
  ListingWindow window(ListingSort sort, int limit = 50, int offset = 0) {
    return {"2026-01-01", "2026-01-31", {}, limit, offset, sort};
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<ListingService> service_;
};

TEST_F(ListingSortTest, TrendingPutsVotedPapersByScoreBelowFeaturedThenTheRestNewestFirst) {
  upvote(2, 2);
  upvote(4, 1);
  CurationService curator(db_->papers(), db_->curation(), db_->community());
  ASSERT_TRUE(curator.curate(member(7, store::Role::kCurator), "2601.00001", CurationAction::kFeature, kStart));
  auto trending = service_->curated(window(ListingSort::kTrending));
  ASSERT_TRUE(trending) << trending.error().to_string();
  EXPECT_EQ(testing::paper_ids(trending->papers), (std::vector<std::string>{"2601.00001", "2601.00002", "2601.00004",
                                                                            "2601.00006", "2601.00005", "2601.00003"}));
  EXPECT_EQ(trending->total, 6);
  // Pages cross from the ranked papers into arXiv's part without losing or repeating one.
  auto page = service_->curated(window(ListingSort::kTrending, 2, 2));
  EXPECT_EQ(testing::paper_ids(page->papers), (std::vector<std::string>{"2601.00004", "2601.00006"}));
  EXPECT_EQ(page->total, 6);
  auto newest = service_->curated(window(ListingSort::kNewest));
  EXPECT_EQ(testing::paper_ids(newest->papers), (std::vector<std::string>{"2601.00001", "2601.00006", "2601.00005",
                                                                          "2601.00004", "2601.00003", "2601.00002"}));
}

TEST_F(ListingSortTest, SortNamesAndStaleDays) {
  EXPECT_EQ(*parse_listing_sort("", ListingSort::kTrending), ListingSort::kTrending);
  EXPECT_EQ(*parse_listing_sort("newest", ListingSort::kTrending), ListingSort::kNewest);
  EXPECT_EQ(parse_listing_sort("best", ListingSort::kTrending).error().code(), StatusCode::kInvalidArgument);
  std::int64_t noon = *core::parse_iso8601("2026-12-04") + 12 * 3600;
  EXPECT_TRUE(is_listing_stale("2026-12-01", noon));
  EXPECT_FALSE(is_listing_stale("2026-12-02", noon)) << "two days old is not more than two";
  EXPECT_FALSE(is_listing_stale("2026-12-04", noon));
  EXPECT_FALSE(is_listing_stale("not a day", noon));
}

TEST_F(ListingSortTest, CategoryCountsIncludeCrossLists) {
  auto counts = service_->category_counts(window(ListingSort::kNewest));
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0].name, "cs.LG");
  EXPECT_EQ((*counts)[0].count, 6) << "the cross-listed paper counts for cs.LG";
  EXPECT_EQ((*counts)[1].name, "math.AG");
  EXPECT_EQ((*counts)[1].count, 1);
  // The cs.LG filter finds the cross-listed paper too.
  ListingWindow lg = window(ListingSort::kTrending);
  lg.categories = {"cs.LG"};
  EXPECT_EQ(service_->curated(lg)->total, 6);
}

}  // namespace
}  // namespace paperboy::app
