// The JSON API against its contract: the real WebServer (real SQLite stores, the real search
// service) answers a set of API requests; every reply is validated with Debian's python3-jsonschema
// against the response schema that /api/openapi.json itself declares for its path, method and
// status. Also Hugging Face compatibility: sort=publishedAt, submittedOnDailyAt/By.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "search/search_service.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "support/web_server.h"

namespace paperboy::web {
namespace {

using paperboy::testing::listed_paper;
using paperboy::testing::TempDir;

// Validates each recorded reply against the document's schema for (path template, method, status);
// prints every failure and exits 1 on any.
constexpr const char* kValidator = R"PY(
import json, sys
from jsonschema import Draft202012Validator, RefResolver
doc = json.load(open(sys.argv[1]))
replies = json.load(open(sys.argv[2]))
resolver = RefResolver.from_schema(doc)
bad = 0
for r in replies:
    op = doc["paths"][r["template"]][r["method"]]
    response = op["responses"].get(str(r["status"]))
    if response is None:
        print("undocumented status", r["status"], "for", r["method"], r["template"]); bad += 1; continue
    schema = response["content"]["application/json"]["schema"]
    errors = list(Draft202012Validator(schema, resolver=resolver).iter_errors(r["body"]))
    for e in errors:
        print(r["method"], r["url"], r["status"], ":", e.message, "at", list(e.absolute_path)); bad += 1
print("validated", len(replies), "replies,", bad, "problems")
sys.exit(1 if bad else 0)
)PY";

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string db = dir_.file("test.db");
    auto opened = store::open_database({.url = db, .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
    store::WriteBatch batch;
    for (int i = 1; i <= 30; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "2401.%05d", i);
      batch.papers.push_back(listed_paper(id, i % 2 ? "2024-01-05" : "2024-01-04",
                                          i % 3 ? "Diffusion models for graphs" : "Vision transformers revisited"));
    }
    ASSERT_TRUE(store_->apply(batch));
    community_ = &database_->community();
    curation_ = &database_->curation();
    search::SearchOptions so;
    so.index_dir = dir_.file("index");
    so.build_threads = 1;
    auto search = search::open_search_service(*store_, so);
    ASSERT_TRUE(search) << search.error().to_string();
    search_ = std::move(*search);
    ServerOptions o;
    o.threads = 4;
    o.access_log = false;
    o.search = search_.get();
    o.community = community_;
    o.curation = curation_;
    o.library = &database_->library();
    o.account_options.hash_cost = community::HashCost::kMinimum;
    // One paper with a thumbnail: its `thumbnail` is a URL, the others' null; both are validated.
    o.thumbnails = &database_->thumbnails();
    o.thumbnail_dir = dir_.file("thumbs");
    ASSERT_TRUE(database_->thumbnails()
                    .record({.paper_id = "2401.00001",
                             .state = store::ThumbnailState::kOk,
                             .hash = "0123456789abcdef0123456789abcdef",
                             .width = 320,
                             .height = 414,
                             .updated_at = 1})
                    .is_ok());
    server_ = std::make_unique<paperboy::testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  // Makes a request and records its reply for validation against `template_path`'s schema.
  nlohmann::json call(const std::string& method, const std::string& template_path, const std::string& url,
                      const nlohmann::json& body = nullptr, const std::string& token = "") {
    auto client = server_->client();
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result r = method == "get"    ? client.Get(url, h)
                        : method == "post" ? client.Post(url, h, body.is_null() ? "" : body.dump(), "application/json")
                                           : client.Delete(url, h);
    EXPECT_TRUE(r) << url;
    if (!r) return nullptr;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json") << url;
    auto parsed = nlohmann::json::parse(r->body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << url << ": " << r->body;
    replies_.push_back(
        {{"method", method}, {"template", template_path}, {"url", url}, {"status", r->status}, {"body", parsed}});
    return parsed;
  }

  void validate_all() {
    auto doc = server_->client().Get("/api/openapi.json");
    ASSERT_TRUE(doc);
    ASSERT_EQ(doc->status, 200);
    auto parsed = nlohmann::json::parse(doc->body);
    EXPECT_EQ(parsed["openapi"], "3.1.0");
    std::ofstream(dir_.file("openapi.json")) << doc->body;
    std::ofstream(dir_.file("replies.json")) << replies_.dump();
    std::ofstream(dir_.file("validate.py")) << kValidator;
    std::string cmd = "/usr/bin/python3 " + dir_.file("validate.py") + " " + dir_.file("openapi.json") + " " +
                      dir_.file("replies.json");
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }

  TempDir dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  store::CurationStore* curation_ = nullptr;
  std::unique_ptr<search::SearchService> search_;
  std::unique_ptr<paperboy::testing::RunningServer> server_;
  nlohmann::json replies_ = nlohmann::json::array();
};

TEST_F(OpenApiTest, EveryReplyMatchesTheDocumentedSchema) {
  auto account = call("post", "/api/auth/signup", "/api/auth/signup",
                      {{"email", "ada@example.org"}, {"password", "correct horse battery"}, {"name", "Ada"}});
  auto token = call("post", "/api/auth/token", "/api/auth/token",
                    {{"email", "ada@example.org"}, {"password", "correct horse battery"}});
  ASSERT_TRUE(token.contains("token"));
  std::string t = token["token"];
  call("post", "/api/auth/token", "/api/auth/token", {{"email", "ada@example.org"}, {"password", "wrong"}});
  auto vote = call("post", "/api/papers/{id}/upvote", "/api/papers/2401.00001/upvote", nullptr, t);
  EXPECT_EQ(vote["upvotes"], 1);
  call("post", "/api/papers/{id}/upvote", "/api/papers/2401.00001/upvote", nullptr, "not-a-token");
  auto daily = call("get", "/api/daily_papers", "/api/daily_papers?date=2024-01-05");
  ASSERT_TRUE(daily.is_array());
  EXPECT_EQ(daily.size(), 15u);
  call("get", "/api/daily_papers", "/api/daily_papers?week=2024-W01&sort=trending&limit=5");
  call("get", "/api/daily_papers", "/api/daily_papers?month=2024-01&cat=cs.LG&p=1&limit=10");
  call("get", "/api/daily_papers", "/api/daily_papers?sort=nonsense");
  auto paper = call("get", "/api/papers/{id}", "/api/papers/2401.00001");
  EXPECT_EQ(paper["upvotes"], 1);
  EXPECT_TRUE(paper["thumbnail"].is_string()) << paper.dump();
  EXPECT_TRUE(call("get", "/api/papers/{id}", "/api/papers/2401.00002")["thumbnail"].is_null());
  call("get", "/api/papers/{id}", "/api/papers/2401.99999");
  call("get", "/api/papers/{id}", "/api/papers/not-an-id");
  auto hits = call("get", "/api/papers/search", "/api/papers/search?q=diffusion&mode=lexical&limit=5");
  EXPECT_FALSE(hits.empty());
  call("get", "/api/papers/search", "/api/papers/search?q=vision");
  call("get", "/api/papers/search", "/api/papers/search?q=");
  call("get", "/api/papers/{id}/similar", "/api/papers/2401.00002/similar?limit=3");
  auto trend = call("get", "/api/trends", "/api/trends?q=diffusion&weeks=3");
  if (!trend.contains("error")) {
    EXPECT_EQ(trend["weeks"].size(), 3u) << trend;
  }
  call("get", "/api/trends", "/api/trends?q=diffusion&weeks=0");
  call("get", "/api/recommendations", "/api/recommendations");
  call("delete", "/api/papers/{id}/upvote", "/api/papers/2401.00001/upvote", nullptr, t);
  validate_all();
}

TEST_F(OpenApiTest, CommentsAndRepliesMatchTheDocumentedSchema) {
  call("post", "/api/auth/signup", "/api/auth/signup",
       {{"email", "ada@example.org"}, {"password", "correct horse battery"}, {"name", "Ada"}});
  std::string t = call("post", "/api/auth/token", "/api/auth/token",
                       {{"email", "ada@example.org"}, {"password", "correct horse battery"}})["token"];
  auto top = call("post", "/api/papers/{id}/comments", "/api/papers/2401.00001/comments", {{"body", "Nice: $x_1$"}}, t);
  ASSERT_TRUE(top.contains("id")) << top.dump();
  EXPECT_TRUE(top["parentId"].is_null());
  auto reply = call("post", "/api/papers/{id}/comments", "/api/papers/2401.00001/comments",
                    {{"body", "Agreed"}, {"parentId", top["id"]}}, t);
  EXPECT_EQ(reply["parentId"], top["id"]);
  call("post", "/api/papers/{id}/comments", "/api/papers/2401.00002/comments", {{"body", "x"}, {"parentId", top["id"]}},
       t);
  call("post", "/api/papers/{id}/comments", "/api/papers/2401.00001/comments", {{"body", "anonymous"}});
  auto listed = call("get", "/api/papers/{id}/comments", "/api/papers/2401.00001/comments");
  EXPECT_EQ(listed.size(), 2u);
  call("get", "/api/papers/{id}/comments", "/api/papers/2401.99999/comments");
  validate_all();
}

TEST_F(OpenApiTest, HuggingFaceSpellingsAndSubmitterFields) {
  // sort=publishedAt is Hugging Face's name for the newest-first order.
  auto hf = call("get", "/api/daily_papers", "/api/daily_papers?date=2024-01-05&sort=publishedAt");
  auto ours = call("get", "/api/daily_papers", "/api/daily_papers?date=2024-01-05&sort=published");
  EXPECT_EQ(hf, ours);
  // A paper a user submitted carries who and when, on the item and on its paper.
  auto account = call("post", "/api/auth/signup", "/api/auth/signup",
                      {{"email", "grace@example.org"}, {"password", "correct horse battery"}, {"name", "Grace"}});
  ASSERT_TRUE(account.contains("id"));
  std::int64_t submitted_at = *core::parse_iso8601("2024-01-05") + 3600;
  ASSERT_TRUE(curation_->record_submission({.paper_id = "2401.00003",
                                            .account_id = account["id"],
                                            .listing_day = "2024-01-05",
                                            .submitted_at = submitted_at}));
  auto daily = call("get", "/api/daily_papers", "/api/daily_papers?date=2024-01-05&limit=100");
  bool found = false;
  for (const auto& item : daily) {
    if (item["id"] != "2401.00003") {
      EXPECT_FALSE(item.contains("submittedOnDailyAt")) << item["id"];
      continue;
    }
    found = true;
    EXPECT_EQ(item["submittedOnDailyAt"], core::format_iso_datetime(submitted_at));
    EXPECT_EQ(item["submittedOnDailyBy"]["name"], "Grace");
    EXPECT_EQ(item["paper"]["submittedOnDailyBy"]["fullname"], "Grace");
  }
  EXPECT_TRUE(found);
  auto paper = call("get", "/api/papers/{id}", "/api/papers/2401.00003");
  EXPECT_EQ(paper["submittedOnDailyAt"], core::format_iso_datetime(submitted_at));
  validate_all();
}

}  // namespace
}  // namespace paperboy::web
