// The listing pages through the real WebServer on 127.0.0.1 with a real SQLite database: the
// community ranking and its Trending / Newest switch, the grid / list view remembered in a cookie
// (with Vary: Cookie and a cache entry per view), human category names and filters that find
// cross-listed papers, the date picker's redirect and its 400s, the notice on a stale listing, and
// the pager with page numbers.
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>

#include "core/time.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "support/web_forms.h"
#include "support/web_server.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

bool has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

// Where `first` and `second` appear in `body`: whether `first` comes first (both present).
bool before(const std::string& body, const std::string& first, const std::string& second) {
  auto a = body.find(first), b = body.find(second);
  return a != std::string::npos && b != std::string::npos && a < b;
}

class ListingServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_database({.url = (dir_.path() / "test.db").string(), .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
    store::WriteBatch batch;
    // 2024-01-05: three papers, the newest id last; one cross-listed in cs.LG.
    batch.papers = {
        testing::listed_paper("2401.00010", "2024-01-05", "Alpha graph networks", {"cs.LG"}),
        testing::listed_paper("2401.00020", "2024-01-05", "Beta curves", {"math.AG", "cs.LG"}),
        testing::listed_paper("2401.00030", "2024-01-05", "Gamma vision", {"cs.CV"}),
    };
    // 2024-01-08: 120 papers, three pages of 50.
    for (int i = 0; i < 120; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "2401.%05d", 1000 + i);
      batch.papers.push_back(testing::listed_paper(id, "2024-01-08", "Paper number " + std::to_string(i)));
    }
    ASSERT_TRUE(store_->apply(batch));
  }

  void start(bool with_community = true, bool is_harvest_scheduled = false) {
    ServerOptions o;
    o.threads = 4;
    o.access_log = false;
    o.is_harvest_scheduled = is_harvest_scheduled;
    if (with_community) {
      o.community = &database_->community();
      o.curation = &database_->curation();
      o.account_options.hash_cost = community::HashCost::kMinimum;
    }
    server_ = std::make_unique<testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  // An account that upvotes `paper_id` (published at the start of `day`).
  void upvote(const std::string& paper_id, const std::string& day, int voters) {
    auto& community = database_->community();
    for (int i = 0; i < voters; ++i) {
      std::string email = "voter" + std::to_string(next_voter_++) + "@example.org";
      auto id = community.create_account(email, "Voter", "x", store::Role::kUser, core::unix_now());
      ASSERT_TRUE(id) << id.error().to_string();
      ASSERT_TRUE(community.set_vote(*id, paper_id, *core::parse_iso8601(day), true, core::unix_now()));
    }
  }

  httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
    return server_->client().Get(path, headers);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  std::unique_ptr<testing::RunningServer> server_;
  int next_voter_ = 0;
};

TEST_F(ListingServerTest, DaysAreRankedByVotesByDefaultAndNewestOnRequest) {
  start();
  upvote("2401.00010", "2024-01-05", 2);
  upvote("2401.00020", "2024-01-05", 1);
  auto trending = get("/papers/date/2024-01-05");
  ASSERT_TRUE(trending);
  ASSERT_EQ(trending->status, 200);
  // Most votes first, then fewer, then the papers without votes newest first.
  EXPECT_TRUE(before(trending->body, "Alpha graph networks", "Beta curves"));
  EXPECT_TRUE(before(trending->body, "Beta curves", "Gamma vision"));
  EXPECT_TRUE(has(trending->body, R"(href="/papers/date/2024-01-05?sort=newest")"));
  EXPECT_TRUE(has(trending->body, R"(aria-current="true">Trending</a>)"));
  auto newest = get("/papers/date/2024-01-05?sort=newest");
  ASSERT_EQ(newest->status, 200);
  EXPECT_TRUE(before(newest->body, "Gamma vision", "Beta curves"));
  EXPECT_TRUE(before(newest->body, "Beta curves", "Alpha graph networks"));
  EXPECT_TRUE(has(newest->body, R"(aria-current="true">Newest</a>)"));
  // The order survives the period navigation, and a bad order is a clear 400.
  EXPECT_TRUE(has(newest->body, R"(rel="next" href="/papers/date/2024-01-08?sort=newest")"));
  auto bad = get("/papers/date/2024-01-05?sort=best");
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(has(bad->body, "sort: expected trending or newest"));
}

TEST_F(ListingServerTest, TheViewIsRememberedInACookieAndCachedPerView) {
  start(false);
  auto grid = get("/papers/date/2024-01-05");
  ASSERT_EQ(grid->status, 200);
  EXPECT_TRUE(has(grid->body, R"(class="cards view-grid")"));
  EXPECT_EQ(grid->get_header_value("Vary"), "Accept-Encoding, Cookie");
  // Choosing the list sets the cookie (and this reply, which sets one, is not shared-cached).
  auto chosen = get("/papers/date/2024-01-05?view=list");
  ASSERT_EQ(chosen->status, 200);
  EXPECT_TRUE(has(chosen->body, R"(class="cards view-list")"));
  std::string cookie = testing::set_cookie(chosen, "pb_view");
  EXPECT_EQ(cookie, "list");
  EXPECT_TRUE(has(chosen->get_header_value("Cache-Control"), "no-store"));
  // The cookie alone brings the list back; the same URL without it stays a grid (one cache entry
  // per view, not one shared between them).
  for (int round = 0; round < 2; ++round) {
    auto list = get("/papers/date/2024-01-05", {{"Cookie", "pb_view=list"}});
    ASSERT_EQ(list->status, 200);
    EXPECT_TRUE(has(list->body, R"(class="cards view-list")")) << round;
    EXPECT_EQ(list->get_header_value("Vary"), "Accept-Encoding, Cookie");
    auto plain = get("/papers/date/2024-01-05");
    EXPECT_TRUE(has(plain->body, R"(class="cards view-grid")")) << round;
  }
  EXPECT_EQ(get("/papers/date/2024-01-05?view=table")->status, 400);
  // Pages that do not depend on the cookie do not say they vary by it.
  EXPECT_EQ(get("/papers/2401.00010")->get_header_value("Vary"), "Accept-Encoding");
}

TEST_F(ListingServerTest, CardsAndFiltersShowCategoryNamesAndFindCrossLists) {
  start(false);
  auto day = get("/papers/date/2024-01-05");
  ASSERT_EQ(day->status, 200);
  EXPECT_TRUE(has(day->body, ">Machine Learning"));
  EXPECT_TRUE(has(day->body, ">Algebraic Geometry<"));
  EXPECT_TRUE(has(day->body, ">Computer Vision and Pattern Recognition<"));
  // The filter chips are links that apply at once; cs.LG counts the cross-listed paper too.
  EXPECT_TRUE(has(day->body, R"(href="/papers/date/2024-01-05?cat=cs.LG" title="cs.LG")"));
  EXPECT_TRUE(has(day->body, R"(Machine Learning <span class="n">2</span>)"));
  auto lg = get("/papers/date/2024-01-05?cat=cs.LG");
  ASSERT_EQ(lg->status, 200);
  EXPECT_TRUE(has(lg->body, "Beta curves")) << "cross-listed in cs.LG";
  EXPECT_TRUE(has(lg->body, "Alpha graph networks"));
  EXPECT_FALSE(has(lg->body, "Gamma vision"));
  EXPECT_TRUE(has(lg->body, "2 papers"));
  // The selected chip removes its category again.
  EXPECT_TRUE(has(lg->body, R"(class="chip on" href="/papers/date/2024-01-05")"));
  // The abstract waits in place behind one click, no row of buttons.
  EXPECT_TRUE(has(lg->body, "<details class=\"more\"><summary>Abstract</summary>"));
  EXPECT_FALSE(has(lg->body, ">PDF</a>"));
}

TEST_F(ListingServerTest, TheDatePickerRedirectsToTheDayAndRefusesBadDates) {
  start(false);
  auto go = get("/papers/date?day=2024-01-05");
  ASSERT_TRUE(go);
  EXPECT_EQ(go->status, 303);
  EXPECT_EQ(go->get_header_value("Location"), "/papers/date/2024-01-05");
  auto keeps = get("/papers/date?day=2024-01-08&cat=cs.LG&sort=newest");
  EXPECT_EQ(keeps->status, 303);
  EXPECT_EQ(keeps->get_header_value("Location"), "/papers/date/2024-01-08?cat=cs.LG&sort=newest");
  for (const char* bad : {"/papers/date?day=2024-02-30", "/papers/date?day=yesterday", "/papers/date",
                          "/papers/date?day=0999-12-31", "/papers/date?day=10000-01-01"}) {
    auto r = get(bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_TRUE(has(r->body, "day:")) << bad << ": " << r->body;
  }
  auto page = get("/papers/date/2024-01-05");
  EXPECT_TRUE(has(page->body, R"(<form class="date-picker" method="get" action="/papers/date">)"));
  EXPECT_TRUE(has(page->body, R"(type="date" name="day" value="2024-01-05")"));
}

TEST_F(ListingServerTest, AStaleListingSaysHowOldItIsAndWhy) {
  start(false);
  auto home = get("/");
  ASSERT_EQ(home->status, 200);
  EXPECT_TRUE(has(home->body, R"(<p class="tagline">)"));
  EXPECT_TRUE(has(home->body, "The newest papers here are from Monday, 8 January 2024"));
  EXPECT_TRUE(has(home->body, "does not harvest arXiv"));
  server_.reset();
  start(false, true);
  auto scheduled = get("/papers/date/2024-01-05");
  EXPECT_TRUE(has(scheduled->body, "The newest papers here are from Monday, 8 January 2024"));
  EXPECT_TRUE(has(scheduled->body, "the daily harvest from arXiv has not brought newer ones yet"));
  // A listing of today is not stale.
  store::WriteBatch batch;
  batch.papers = {testing::listed_paper("2612.00001", core::format_iso_date(core::unix_now()), "Today's paper")};
  ASSERT_TRUE(store_->apply(batch));
  EXPECT_FALSE(has(get("/")->body, "The newest papers here are from"));
}

TEST_F(ListingServerTest, ThePagerLinksPreviousNextAndNumberedPages) {
  start(false);
  auto first = get("/papers/date/2024-01-08?sort=newest");
  ASSERT_EQ(first->status, 200);
  EXPECT_TRUE(has(first->body, "120 papers"));
  EXPECT_TRUE(has(first->body, R"(<a href="/papers/date/2024-01-08?sort=newest" aria-current="page">1</a>)"));
  EXPECT_TRUE(has(first->body, R"(<a href="/papers/date/2024-01-08?sort=newest&amp;page=3">3</a>)"));
  EXPECT_TRUE(has(first->body, R"(rel="next" href="/papers/date/2024-01-08?sort=newest&amp;page=2">Next)"));
  EXPECT_FALSE(has(first->body, "← Previous"));
  auto second = get("/papers/date/2024-01-08?sort=newest&page=2");
  EXPECT_TRUE(has(second->body, R"(rel="prev" href="/papers/date/2024-01-08?sort=newest">← Previous)"));
  EXPECT_TRUE(has(second->body, R"(aria-current="page">2</a>)"));
  auto last = get("/papers/date/2024-01-08?sort=newest&page=3");
  EXPECT_TRUE(has(last->body, "Paper number 0<")) << "the oldest id is on the last page";
  EXPECT_FALSE(has(last->body, "Next →"));
  // The trending page keeps its period in page links.
  auto trending = get("/trending?period=week");
  EXPECT_TRUE(has(trending->body, R"(href="/trending?period=week&amp;page=2")"));
}

TEST_F(ListingServerTest, CardsNameTheMemberWhoSubmittedThePaper) {
  start();
  auto& community = database_->community();
  auto id = community.create_account("grace@example.org", "Grace Hopper", "x", store::Role::kUser, core::unix_now());
  ASSERT_TRUE(id);
  store::Submission s{"2401.00030", *id, "2024-01-05", core::unix_now()};
  ASSERT_TRUE(database_->curation().record_submission(s));
  auto day = get("/papers/date/2024-01-05");
  ASSERT_EQ(day->status, 200);
  EXPECT_TRUE(has(day->body, "submitted by Grace Hopper"));
}

}  // namespace
}  // namespace paperboy::web
