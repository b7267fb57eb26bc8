// PaperService (the read side routes use) and ListingService::trending against a real SQLite
// database: papers of search hits with stale hits left out, papers by author, the listing days
// around a day, arXiv's newest day, and trending by votes with hidden papers left out.
#include "app/paper_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/listing_service.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::app {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kStart = 1767225600;  // 2026-01-01

class PaperServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<core::Paper> papers = testing::numbered_papers(4, kStart, 2 * kDay);
    papers[1].authors = {{"Hopper", "Grace", ""}};  // 2601.00002
    papers[2].doi = "10.1038/Nature14539";          // 2601.00003
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(), std::move(papers), db_));
    service_ = std::make_unique<PaperService>(db_->papers());
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PaperService> service_;
};

TEST_F(PaperServiceTest, HitsBecomePapersAndAStaleHitIsLeftOut) {
  auto stored = service_->list(ListingQuery{"", "", {}, 10, 0});
  ASSERT_TRUE(stored) << stored.error().to_string();
  ASSERT_EQ(stored->size(), 4u);
  std::vector<search::SearchHit> hits;
  for (const auto& p : *stored) hits.push_back({.doc_id = p.doc_id, .id = p.paper.id});
  hits[1].id = "2601.09999";  // the index names another paper for this document: stale
  auto papers = service_->for_hits(hits);
  ASSERT_TRUE(papers) << papers.error().to_string();
  EXPECT_EQ(papers->size(), 3u);
  for (const auto& p : *papers) EXPECT_NE(p.paper.id, (*stored)[1].paper.id);
  EXPECT_EQ(service_->find("arXiv:2601.00003v1")->id, "2601.00003");
  EXPECT_EQ(service_->find("2601.09999").error().code(), StatusCode::kNotFound);
}

TEST_F(PaperServiceTest, IdsUrlsAndDoisNameOnePaper) {
  for (std::string query : {"2601.00002", "2601.00002v1", "https://arxiv.org/abs/2601.00002v1",
                            "arxiv.org/pdf/2601.00002.pdf", "www.arxiv.org/html/2601.00002v1"}) {
    auto named = service_->named_by(query);
    ASSERT_TRUE(named) << named.error().to_string();
    ASSERT_TRUE(named->has_value()) << query;
    EXPECT_EQ((*named)->arxiv_id, "2601.00002") << query;
    ASSERT_TRUE((*named)->paper.has_value()) << query;
    EXPECT_EQ((*named)->paper->id, "2601.00002") << query;
  }
  for (std::string query : {"10.1038/nature14539", "https://doi.org/10.1038/NATURE14539", "doi:10.1038/Nature14539"}) {
    auto named = service_->named_by(query);
    ASSERT_TRUE(named && named->has_value()) << query;
    EXPECT_EQ((*named)->arxiv_id, "2601.00003") << query;
    ASSERT_TRUE((*named)->paper.has_value()) << query;
  }
  // Named but not here: the id (or DOI) is kept for "fetch it from arXiv" and links.
  auto missing = service_->named_by("hep-th/9901001v2");
  ASSERT_TRUE(missing && missing->has_value());
  EXPECT_EQ((*missing)->arxiv_id, "hep-th/9901001");
  EXPECT_FALSE((*missing)->paper.has_value());
  auto unknown_doi = service_->named_by("10.1145/3292500.3330701");
  ASSERT_TRUE(unknown_doi && unknown_doi->has_value());
  EXPECT_EQ((*unknown_doi)->doi, "10.1145/3292500.3330701");
  EXPECT_EQ((*unknown_doi)->arxiv_id, "");
  EXPECT_FALSE((*unknown_doi)->paper.has_value());
  // Words are not a lookup.
  EXPECT_FALSE(service_->named_by("diffusion models")->has_value());
  EXPECT_FALSE(service_->named_by("cat:cs.LG")->has_value());
}

TEST_F(PaperServiceTest, AuthorsDaysAndCounts) {
  auto grace = service_->by_author("Hopper", "", 10, 0);
  ASSERT_TRUE(grace) << grace.error().to_string();
  EXPECT_EQ(testing::paper_ids(*grace), (std::vector<std::string>{"2601.00002"}));
  EXPECT_EQ(testing::paper_ids(*service_->by_author("Lovelace", "", 10, 0)),
            (std::vector<std::string>{"2601.00004", "2601.00003", "2601.00001"}));
  EXPECT_EQ(*service_->count(ListingQuery{"", "", {}, 10, 0}), 4);
  auto newest = service_->newest_arxiv_day();
  ASSERT_TRUE(newest && !newest->empty());
  auto around = service_->neighbour_days(*newest);
  ASSERT_TRUE(around) << around.error().to_string();
  EXPECT_LT(around->first, *newest);  // an earlier day with papers
  EXPECT_EQ(around->second, "");      // none after the newest
}

TEST_F(PaperServiceTest, TrendingRanksByVotesAndLeavesHiddenPapersOut) {
  auto ada = db_->community().create_account("ada@example.org", "Ada", "h", store::Role::kUser, kStart);
  auto bob = db_->community().create_account("bob@example.org", "Bob", "h", store::Role::kUser, kStart);
  ASSERT_TRUE(ada && bob);
  auto vote = [&](std::int64_t who, const std::string& id) {
    auto p = db_->papers().get_paper(id);
    ASSERT_TRUE(p && *p);
    ASSERT_TRUE(db_->community().set_vote(who, id, (*p)->paper.first_version_time(), true, kStart + 20 * kDay));
  };
  vote(*ada, "2601.00001");
  vote(*bob, "2601.00001");
  vote(*ada, "2601.00002");
  ListingService listings(db_->papers(), &db_->curation(), &db_->community());
  ListingWindow all{"2000-01-01", "2100-01-01", {}, 10, 0};
  auto ranked = listings.trending(all);
  ASSERT_TRUE(ranked) << ranked.error().to_string();
  ASSERT_EQ(ranked->size(), 4u);
  EXPECT_EQ((*ranked)[0].paper.id, "2601.00001");  // two votes
  EXPECT_EQ((*ranked)[1].paper.id, "2601.00002");  // one vote
  ASSERT_TRUE(
      db_->curation().set_flag("2601.00001", "2026-01-03", store::CurationFlag::kHidden, true, 1, kStart).is_ok());
  auto without = listings.trending(all);
  ASSERT_TRUE(without);
  EXPECT_EQ(testing::paper_ids(*without).front(), "2601.00002");
  EXPECT_EQ(without->size(), 3u);
  // Without votes the window is newest first.
  ListingService unvoted(db_->papers(), nullptr, nullptr);
  EXPECT_EQ(testing::paper_ids(*unvoted.trending(all)).front(), "2601.00004");
}

}  // namespace
}  // namespace paperboy::app
