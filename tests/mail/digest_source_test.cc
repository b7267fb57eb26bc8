// StoreDigestSource over a real SQLite store: trending digests are ranked by the site's trending
// ranking (rank::trending_papers over the community store's votes), category digests are not.
#include <gtest/gtest.h>

#include "core/time.h"
#include "mail/digest.h"
#include "rank/trending.h"
#include "store/community_store.h"
#include "store/database.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace paperboy::mail {
namespace {

core::Paper paper(const std::string& id, const std::string& title, const std::string& time) {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.abstract = "An abstract about " + title + ".";
  p.authors = {{"Lovelace", "Ada", ""}};
  p.categories = {"cs.LG"};
  p.versions = {{1, *core::parse_iso8601(time)}};
  p.update_date = time.substr(0, 10);
  return p;
}

TEST(DigestSource, TrendingDigestFollowsVotesAndCategoryDigestStaysNewestFirst) {
  testing::TempDir dir;
  store::StoreOptions o{.url = "sqlite:" + dir.file("paperboy.db")};
  auto db = store::open_database(o);
  ASSERT_TRUE(db) << db.error().to_string();
  store::WriteBatch batch;
  batch.papers = {paper("2611.00001", "Early paper", "2026-11-27T08:00:00Z"),
                  paper("2611.00002", "Middle paper", "2026-11-27T12:00:00Z"),
                  paper("2611.00003", "Late paper", "2026-11-27T16:00:00Z")};
  ASSERT_TRUE((*db)->papers().apply(batch));
  auto account = (*db)->community().create_account("ada@example.org", "Ada", "x", store::Role::kUser, 1);
  ASSERT_TRUE(account);
  auto early = (*db)->papers().get_paper("2611.00001");
  ASSERT_TRUE(early && *early);
  ASSERT_TRUE((*db)->community().set_vote(*account, "2611.00001", (*early)->paper.first_version_time(), true, 2));

  StoreDigestSource::Options options;
  int rankings = 0;
  options.trending = [&](const DigestIssue& issue, int limit) {
    ++rankings;
    return rank::trending_papers((*db)->papers(), &(*db)->community(), issue.from_day, issue.to_day, {}, limit, 0);
  };
  StoreDigestSource source((*db)->papers(), options);
  auto issue = digest_issue((*db)->papers(), "daily:2026-11-28");
  ASSERT_TRUE(issue) << issue.error().to_string();
  store::Subscription trending{.email = "a@example.org", .frequency = "daily", .kind = "trending"};
  auto top = source.papers(trending, *issue);
  ASSERT_TRUE(top) << top.error().to_string();
  ASSERT_EQ(top->size(), 3U);
  EXPECT_EQ((*top)[0].paper.paper.id, "2611.00001");  // the voted paper first, then newest first
  EXPECT_EQ((*top)[1].paper.paper.id, "2611.00003");
  EXPECT_EQ((*top)[2].paper.paper.id, "2611.00002");
  // Every trending subscriber of the issue gets the same papers, ranked once.
  store::Subscription another{.email = "c@example.org", .frequency = "daily", .kind = "trending"};
  auto again = source.papers(another, *issue);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 3U);
  EXPECT_EQ((*again)[0].paper.paper.id, "2611.00001");
  EXPECT_EQ(rankings, 1);

  store::Subscription by_category{
      .email = "b@example.org", .frequency = "daily", .kind = "categories", .categories = {"cs.LG"}};
  auto newest = source.papers(by_category, *issue);
  ASSERT_TRUE(newest);
  ASSERT_EQ(newest->size(), 3U);
  EXPECT_EQ((*newest)[0].paper.paper.id, "2611.00003");
}

}  // namespace
}  // namespace paperboy::mail
