// "Recommended for you" against the real `paperboy serve` binary with the bundled demo papers
// loaded on first start: anonymous requests are refused (401 JSON, redirect to /login), a new
// account sees the empty state, and after five upvotes of speech papers through the API the
// page and GET /api/recommendations list papers with scores and reasons naming those papers.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/database.h"
#include "store/store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

TEST(RecommendedForYou, ExplainsRecommendationsLearnedFromUpvotes) {
  TempDir dir;
  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"},
                 {"PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum", "PAPERBOY_LOG_LEVEL=warn"});
  auto line = server.read_line();
  ASSERT_TRUE(line.has_value());
  auto at = line->find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << *line;
  httplib::Client client("127.0.0.1", std::stoi(line->substr(at + 17)));

  auto anonymous = client.Get("/api/recommendations");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto page = client.Get("/recommended");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->get_header_value("Location"), "/login?next=/recommended");  // httplib decodes Location

  auto signup =
      client.Post("/api/auth/signup", R"({"email":"ada@example.org","password":"correct horse battery","name":"Ada"})",
                  "application/json");
  ASSERT_TRUE(signup);
  ASSERT_EQ(signup->status, 201) << signup->body;
  auto token = client.Post("/api/auth/token", R"({"email":"ada@example.org","password":"correct horse battery"})",
                           "application/json");
  ASSERT_TRUE(token);
  ASSERT_EQ(token->status, 200) << token->body;
  httplib::Headers auth = {
      {"Authorization", "Bearer " + nlohmann::json::parse(token->body)["token"].get<std::string>()}};

  auto empty = client.Get("/recommended", auth);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_NE(empty->body.find("upvote a few papers you like"), std::string::npos);
  auto empty_api = client.Get("/api/recommendations", auth);
  ASSERT_TRUE(empty_api);
  EXPECT_EQ(nlohmann::json::parse(empty_api->body)["items"].size(), 0u);

  // Five speech papers of the demo data, upvoted through the API.
  auto store = store::open_database({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(store);
  store::ListingQuery all;
  all.limit = 10000;
  auto papers = (*store)->papers().list_papers(all);
  ASSERT_TRUE(papers);
  std::vector<std::string> liked_ids, liked_titles;
  for (const auto& sp : *papers) {
    if (liked_ids.size() == 5) break;
    if (sp.paper.title.find("Speech") == std::string::npos) continue;
    auto vote = client.Post("/api/papers/" + sp.paper.id + "/upvote", auth, "", "application/json");
    ASSERT_TRUE(vote);
    ASSERT_EQ(vote->status, 200) << vote->body;
    liked_ids.push_back(sp.paper.id);
    liked_titles.push_back(sp.paper.title);
  }
  ASSERT_EQ(liked_ids.size(), 5u);

  auto api = client.Get("/api/recommendations?limit=10", auth);
  ASSERT_TRUE(api);
  ASSERT_EQ(api->status, 200) << api->body;
  EXPECT_EQ(api->get_header_value("Cache-Control").find("public"), std::string::npos);
  auto items = nlohmann::json::parse(api->body)["items"];
  ASSERT_EQ(items.size(), 10u);
  double last = 2;
  int speech = 0;
  for (const auto& item : items) {
    const auto& rec = item["recommendation"];
    double score = rec["score"].get<double>();
    EXPECT_GE(score, 0);
    EXPECT_LE(score, last);  // best first
    last = score;
    EXPECT_EQ(std::count(liked_ids.begin(), liked_ids.end(), item["id"].get<std::string>()), 0);
    ASSERT_FALSE(rec["similar_liked"].empty());
    std::string title = rec["similar_liked"][0]["title"];
    EXPECT_NE(std::find(liked_titles.begin(), liked_titles.end(), title), liked_titles.end()) << title;
    EXPECT_NE(rec["reason"].get<std::string>().find(title), std::string::npos);
    std::string text = item["title"].get<std::string>() + " " + item["summary"].get<std::string>();
    if (text.find("peech") != std::string::npos) ++speech;
  }
  EXPECT_GE(speech, 7);

  auto html = client.Get("/recommended", auth);
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("<h1>Recommended for you</h1>"), std::string::npos);
  EXPECT_NE(html->body.find("class=\"reason\">Match "), std::string::npos);
  EXPECT_NE(html->body.find("which you liked"), std::string::npos);
  EXPECT_EQ(html->body.find("upvote a few papers you like"), std::string::npos);

  auto bad = client.Get("/api/recommendations?limit=0", auth);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

}  // namespace
}  // namespace paperboy
