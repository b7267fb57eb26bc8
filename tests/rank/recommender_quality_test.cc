// Recommendation quality on real data: the bundled demo papers (3,380 arXiv papers of
// 2026-06-14..30) in a real SQLite store with the real search indexes (LSA + HNSW) and the real
// community store. A simulated reader upvotes 5 papers of one narrow topic; most of their top 20
// ("Recommended for you", and a digest ranking of the same window) must be on that topic, and
// every explanation must name papers they really liked. Prints the measured precision.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "core/time.h"
#include "ingest/snapshot_ingest.h"
#include "rank/recommender.h"
#include "search/search_service.h"
#include "store/community_store.h"
#include "store/database.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy::rank {
namespace {

struct Topic {
  std::string name;
  std::regex liked_title;  // the 5 liked papers have this in their title
  std::regex relevant;     // a paper is on the topic when its title or abstract has this
};

class RecommenderQuality : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto db = store::open_database({.url = dir_->file("paperboy.db")});
    ASSERT_TRUE(db);
    database_ = db->release();
    store_ = &database_->papers();
    community_ = &database_->community();
    auto ingested = ingest::ingest_snapshot_files(
        *store_, {testing::paperboy_source_dir() + "/data/demo-papers.jsonl.zst"}, ingest::IngestOptions{});
    ASSERT_TRUE(ingested) << ingested.error().to_string();
    search::SearchOptions options;
    options.index_dir = dir_->file("index");
    options.ranking_index = search::SearchOptions::RankingIndex::kAtOpen;
    auto search = search::open_search_service(*store_, options);
    ASSERT_TRUE(search) << search.error().to_string();
    search_ = search->release();
  }
  static void TearDownTestSuite() {
    delete search_;
    delete database_;
    delete dir_;
  }

  // All papers of the demo listing window.
  static std::vector<store::StoredPaper> all_papers() {
    store::ListingQuery q;
    q.limit = 10000;
    return *store_->list_papers(q);
  }

  static bool is_relevant(const Topic& t, const core::Paper& p) {
    std::string text = p.title + " " + p.abstract;
    std::transform(text.begin(), text.end(), text.begin(), ::tolower);
    return std::regex_search(text, t.relevant);
  }

  // A reader who upvoted the 5 oldest-id papers with the topic in their title.
  static std::pair<std::int64_t, std::vector<core::Paper>> reader(const Topic& t) {
    auto papers = all_papers();
    std::sort(papers.begin(), papers.end(), [](const auto& a, const auto& b) { return a.paper.id < b.paper.id; });
    std::vector<core::Paper> liked;
    for (const auto& sp : papers) {
      std::string title = sp.paper.title;
      std::transform(title.begin(), title.end(), title.begin(), ::tolower);
      if (std::regex_search(title, t.liked_title)) liked.push_back(sp.paper);
      if (liked.size() == 5) break;
    }
    EXPECT_EQ(liked.size(), 5u);
    auto id = community_->create_account(t.name + "@example.org", t.name, "x", store::Role::kUser, core::unix_now());
    EXPECT_TRUE(id);
    for (const auto& p : liked) {
      EXPECT_TRUE(community_->set_vote(*id, p.id, p.first_version_time(), true, core::unix_now()));
    }
    return {*id, liked};
  }

  // Precision of `recs` on the topic; checks every reason names liked papers by their real title.
  static double precision(const Topic& t, const std::vector<Recommendation>& recs,
                          const std::vector<core::Paper>& liked, const char* what) {
    std::set<std::string> liked_ids;
    std::map<std::string, std::string> titles;
    for (const auto& p : liked) {
      liked_ids.insert(p.id);
      titles[p.id] = p.title;
    }
    int hits = 0;
    for (const auto& r : recs) {
      EXPECT_FALSE(liked_ids.contains(r.paper.paper.id)) << "a liked paper was recommended";
      EXPECT_GE(r.score, 0);
      EXPECT_LE(r.score, 1);
      EXPECT_FALSE(r.reason.similar_liked.empty()) << r.paper.paper.id;
      for (const auto& l : r.reason.similar_liked) {
        EXPECT_TRUE(titles.contains(l.id)) << "reason names a paper that was not liked: " << l.id;
        EXPECT_EQ(l.title, titles[l.id]);
        EXPECT_NE(r.reason.text().find(l.title), std::string::npos);
      }
      if (is_relevant(t, r.paper.paper)) ++hits;
    }
    double p = recs.empty() ? 0 : static_cast<double>(hits) / static_cast<double>(recs.size());
    std::printf("[quality] topic '%s', %s: precision@%zu = %.2f (%d on topic)\n", t.name.c_str(), what, recs.size(), p,
                hits);
    if (!recs.empty())
      std::printf("[quality]   e.g. %s: %s\n", recs[0].paper.paper.title.c_str(), recs[0].reason.text().c_str());
    return p;
  }

  void check_topic(const Topic& t, double bound) {
    auto [account, liked] = reader(t);
    CommunitySignals signals(*community_);
    RecommenderOptions options;
    options.window_days = 30;
    Recommender recommender(*store_, *search_, signals, options);
    auto recs = recommender.recommend(account, 20);
    ASSERT_TRUE(recs) << recs.error().to_string();
    ASSERT_EQ(recs->size(), 20u);
    EXPECT_GE(precision(t, *recs, liked, "recommended for you"), bound);
    // Scores are sorted, best first.
    for (size_t i = 1; i < recs->size(); ++i) EXPECT_GE((*recs)[i - 1].score, (*recs)[i].score);

    // The digest path ranks a given window of candidates (the newest 2,000 papers).
    auto window = all_papers();
    window.resize(std::min<size_t>(window.size(), 2000));
    auto ranked = recommender.rank(account, window, 20);
    ASSERT_TRUE(ranked) << ranked.error().to_string();
    ASSERT_EQ(ranked->size(), 20u);
    EXPECT_GE(precision(t, *ranked, liked, "digest ranking"), bound);
  }

  static testing::TempDir* dir_;
  static store::Database* database_;
  static store::Store* store_;
  static search::SearchService* search_;
  static store::CommunityStore* community_;
};

testing::TempDir* RecommenderQuality::dir_ = nullptr;
store::Database* RecommenderQuality::database_ = nullptr;
store::Store* RecommenderQuality::store_ = nullptr;
search::SearchService* RecommenderQuality::search_ = nullptr;
store::CommunityStore* RecommenderQuality::community_ = nullptr;

TEST_F(RecommenderQuality, FiveLikedSpeechPapersGiveMostlySpeechPapers) {
  check_topic({"speech", std::regex("speech"), std::regex("speech|spoken|voice|audio|asr\\b|tts\\b")}, 0.7);
}

TEST_F(RecommenderQuality, FiveLikedPointCloudPapersGiveMostlyPointCloudPapers) {
  check_topic({"pointcloud", std::regex("point cloud"), std::regex("point cloud|point-cloud|lidar|3d")}, 0.7);
}

TEST_F(RecommenderQuality, AnAccountWithoutLikesGetsNothing) {
  auto id = community_->create_account("new@example.org", "New", "x", store::Role::kUser, core::unix_now());
  ASSERT_TRUE(id);
  CommunitySignals signals(*community_);
  Recommender recommender(*store_, *search_, signals);
  auto recs = recommender.recommend(*id, 20);
  ASSERT_TRUE(recs);
  EXPECT_TRUE(recs->empty());
}

}  // namespace
}  // namespace paperboy::rank
