// Trends through the real WebServer on 127.0.0.1 with a real SQLite store and search index:
// GET /api/trends answers papers per ISO week equal to a count made paper by paper, refuses bad
// arguments with a clear 400, the search page embeds the chart as well-formed inline SVG with a
// table of the same numbers, and /trends lists the word whose share jumped, linking its search.
#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "app/trend_service.h"
#include "core/time.h"
#include "search/search_service.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "support/web_server.h"
#include "support/well_formed_xml.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using json = nlohmann::json;

class TrendsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<core::Paper> papers;
    // 40 older papers (2 about zebrafish) over the half year before December 2025, 20 in
    // December (12 about zebrafish).
    const std::int64_t newest = *core::days_from_civil(2025, 12, 31);
    auto add = [&](std::int64_t day, bool zebrafish) {
      char id[16];
      std::snprintf(id, sizeof id, "2512.%05zu", papers.size() + 1);
      core::Paper p = testing::listed_paper(id, core::format_iso_date(day * 86400),
                                            zebrafish ? "Graph networks of zebrafish" : "Graph networks of cities");
      p.abstract = zebrafish ? "Graph networks of zebrafish." : "Graph networks of cities.";
      papers.push_back(std::move(p));
      if (zebrafish) zebrafish_days_.push_back(day);
    };
    for (int i = 0; i < 40; ++i) add(newest - 31 - 4 * i, i % 20 == 0);
    for (int i = 0; i < 20; ++i) add(newest - i, i < 12);
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(), std::move(papers), db_));
    search::SearchOptions search_options;
    search_options.index_dir = (dir_.path() / "index").string();
    search_options.min_train_docs = 1000;
    search_options.ranking_index = search::SearchOptions::RankingIndex::kAtOpen;
    auto search = search::open_search_service(db_->papers(), search_options);
    ASSERT_TRUE(search) << search.error().to_string();
    search_ = std::move(*search);
    ServerOptions o;
    o.threads = 4;
    o.access_log = false;
    o.search = search_.get();
    server_ = std::make_unique<testing::RunningServer>(db_->papers(), o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<search::SearchService> search_;
  std::unique_ptr<testing::RunningServer> server_;
  std::vector<std::int64_t> zebrafish_days_;
};

TEST_F(TrendsServerTest, ApiCountsPapersPerIsoWeek) {
  auto c = server_->client();
  auto r = c.Get("/api/trends?q=zebrafish&weeks=40");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto body = json::parse(r->body);
  EXPECT_EQ(body.at("query"), "zebrafish");
  ASSERT_EQ(body.at("weeks").size(), 40u);
  std::map<std::string, std::int64_t> expected;
  for (auto day : zebrafish_days_) ++expected[core::iso_week(day)];
  std::map<std::string, std::int64_t> got;
  std::int64_t sum = 0;
  for (const auto& w : body.at("weeks")) {
    ASSERT_TRUE(std::regex_match(w.at("week").get<std::string>(), std::regex(R"(\d{4}-W\d{2})"))) << w;
    if (w.at("papers").get<std::int64_t>() > 0) got[w.at("week")] = w.at("papers");
    sum += w.at("papers").get<std::int64_t>();
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(sum, 14);
  EXPECT_EQ(body.at("weeks").back().at("week"), core::iso_week(*core::days_from_civil(2025, 12, 31)));

  for (const char* bad : {"/api/trends?q=zebrafish&weeks=0", "/api/trends?q=zebrafish&weeks=99999",
                          "/api/trends?q=zebrafish&weeks=ten", "/api/trends", "/api/trends?q=-zebrafish"}) {
    auto e = c.Get(bad);
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(e->status, 400) << bad << ": " << e->body;
    EXPECT_FALSE(json::parse(e->body).at("error").get<std::string>().empty()) << bad;
  }
}

TEST_F(TrendsServerTest, SearchPageEmbedsTheChartAsInlineSvgWithATable) {
  auto c = server_->client();
  auto r = c.Get("/search?q=zebrafish");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto from = r->body.find("<svg class=\"trend-chart\"");
  ASSERT_NE(from, std::string::npos) << r->body;
  auto to = r->body.find("</svg>", from);
  ASSERT_NE(to, std::string::npos);
  std::string svg = r->body.substr(from, to + 6 - from);
  std::string error;
  EXPECT_TRUE(testing::is_well_formed_xml(svg, &error)) << error << "\n" << svg;
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<path class=\"bars\""), std::string::npos);
  // The table behind it: 52 weeks, newest first, the same total.
  std::regex row(R"(<tr><td>(\d{4}-W\d{2})</td><td>[0-9-]{10}</td><td>(\d+)</td></tr>)");
  int rows = 0;
  std::int64_t sum = 0;
  for (std::sregex_iterator it(r->body.begin(), r->body.end(), row), end; it != end; ++it) {
    ++rows;
    sum += std::stoll((*it)[2]);
  }
  EXPECT_EQ(rows, 52);
  EXPECT_EQ(sum, 14);
  // A query nothing matches has no chart.
  auto none = c.Get("/search?q=zebrafish+cities");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->body.find("trend-chart"), std::string::npos);
}

TEST_F(TrendsServerTest, RisingTopicsPageLinksTheWordThatJumped) {
  auto c = server_->client();
  auto r = c.Get("/trends");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto first = r->body.find("<td>1</td><td><a href=\"/search?q=zebrafish\">zebrafish</a></td><td>12</td>");
  EXPECT_NE(first, std::string::npos) << r->body;
  EXPECT_EQ(r->body.find(">graph</a>"), std::string::npos) << "a word every paper uses did not rise";
  EXPECT_NE(r->body.find("20 papers"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::web
