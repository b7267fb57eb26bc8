// Collections, follows / My feed and comments against the real WebServer on 127.0.0.1 with a real
// SQLite database: private collections stay private (404 for others), nobody changes another's
// collection or comment (403/404), cookie requests need the CSRF token and Bearer tokens do not,
// markdown with <script>, javascript: links and raw HTML renders harmless, comments are
// rate-limited and size-limited, exports parse, and deleting an account removes its library.
#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "store/community_store.h"
#include "store/database.h"
#include "store/library_store.h"
#include "support/temp_dir.h"
#include "support/web_forms.h"
#include "support/web_server.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using nlohmann::json;
using testing::csrf_from;
using testing::set_cookie;

constexpr const char* kPassword = "correct horse battery";

class LibraryServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(
        dir_.path(),
        {testing::listed_paper("2401.00010", "2024-01-05", "Graph networks", {"cs.LG"}),
         testing::listed_paper("2401.00020", "2024-01-06", "Diffusion models", {"cs.LG"}),
         testing::listed_paper("2401.00030", "2024-01-04", "Galaxy survey", {"astro-ph.GA"})},
        db_));
    store_ = &db_->papers();
    community_ = &db_->community();
    library_ = &db_->library();
    ServerOptions o;
    o.threads = 8;
    o.access_log = false;
    o.community = community_;
    o.library = library_;
    o.library_options.comments_per_window = 3;
    o.library_options.comment_window_s = 3600;
    o.library_options.comment_max_bytes = 2000;
    o.account_options.hash_cost = community::HashCost::kMinimum;
    server_ = std::make_unique<testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  httplib::Client client() { return server_->client(); }
  // Signs up through the API and returns a Bearer header for the account.
  httplib::Headers token_for(const std::string& email) {
    auto r = client().Post("/api/auth/signup", json{{"email", email}, {"password", kPassword}, {"name", email}}.dump(),
                           "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
    auto t =
        client().Post("/api/auth/token", json{{"email", email}, {"password", kPassword}}.dump(), "application/json");
    EXPECT_EQ(t->status, 200) << t->body;
    return {{"Authorization", "Bearer " + json::parse(t->body).at("token").get<std::string>()}};
  }
  // Logs in through the HTML form; returns the Cookie header of the session.
  httplib::Headers browser_login(const std::string& email) {
    auto c = client();
    auto page = c.Get("/login");
    httplib::Params form = {{"email", email}, {"password", kPassword}, {"csrf", csrf_from(page->body)}};
    auto r = c.Post("/login", {{"Cookie", "pb_csrf=" + set_cookie(page, "pb_csrf")}}, form);
    EXPECT_EQ(r->status, 303) << r->body;
    return {{"Cookie", "pb_session=" + set_cookie(r, "pb_session")}};
  }
  std::string page_csrf(const httplib::Headers& cookie) { return csrf_from(client().Get("/", cookie)->body); }
  std::int64_t account_id(const std::string& email) {
    auto a = community_->find_account_by_email(email);
    return (a && *a) ? (*a)->account.id : 0;
  }
  json post_json(const std::string& path, const httplib::Headers& h, const json& body, int* status) {
    auto r = client().Post(path, h, body.dump(), "application/json");
    *status = r ? r->status : 0;
    return json::parse(r ? r->body : "null", nullptr, false);
  }
  std::int64_t new_collection(const httplib::Headers& auth, const std::string& name, bool is_public) {
    int status = 0;
    json c = post_json("/api/collections", auth, {{"name", name}, {"public", is_public}}, &status);
    EXPECT_EQ(status, 201) << c.dump();
    return c.value("id", std::int64_t{0});
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::Store* store_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  store::LibraryStore* library_ = nullptr;
  std::unique_ptr<testing::RunningServer> server_;
};

TEST_F(LibraryServerTest, PrivateCollectionIsNotFoundForAnyoneButItsOwner) {
  auto ada = token_for("ada@example.org");
  auto bob = token_for("bob@example.org");
  std::int64_t id = new_collection(ada, "Secret reading", false);
  int status = 0;
  post_json("/api/collections/" + std::to_string(id) + "/papers", ada, {{"id", "2401.00010"}}, &status);
  EXPECT_EQ(status, 201);
  std::string path = "/collections/" + std::to_string(id);

  auto own = client().Get("/api" + path, ada);
  ASSERT_EQ(own->status, 200) << own->body;
  EXPECT_EQ(json::parse(own->body)["papers"][0]["id"], "2401.00010");
  EXPECT_EQ(client().Get(path, browser_login("ada@example.org"))->status, 200);
  // Everyone else: exactly like a collection that does not exist.
  EXPECT_EQ(client().Get("/api" + path, bob)->status, 404);
  EXPECT_EQ(client().Get(path, browser_login("bob@example.org"))->status, 404);
  EXPECT_EQ(client().Get(path)->status, 404);
  EXPECT_EQ(client().Get(path + ".bib")->status, 404);
  EXPECT_EQ(client().Get("/feeds/collection/" + std::to_string(id) + ".atom")->status, 404);
  EXPECT_EQ(client().Get("/api/collections/999999")->status, 404);
  auto listed = client().Get("/api/collections", bob);
  EXPECT_EQ(listed->body.find("Secret reading"), std::string::npos);
}

TEST_F(LibraryServerTest, PublicCollectionIsReadableExportableAndHasFeeds) {
  auto ada = token_for("ada@example.org");
  std::int64_t id = new_collection(ada, "Graph reading <list>", true);
  int status = 0;
  post_json("/api/collections/" + std::to_string(id) + "/papers", ada, {{"id", "arXiv:2401.00010v1"}}, &status);
  ASSERT_EQ(status, 201);
  post_json("/api/collections/" + std::to_string(id) + "/papers", ada, {{"id", "2401.00020"}}, &status);
  ASSERT_EQ(status, 201);
  post_json("/api/collections/" + std::to_string(id) + "/papers", ada, {{"id", "2401.00020"}}, &status);
  EXPECT_EQ(status, 200);  // already there
  post_json("/api/collections/" + std::to_string(id) + "/papers", ada, {{"id", "2401.99999"}}, &status);
  EXPECT_EQ(status, 404);

  std::string path = "/collections/" + std::to_string(id);
  auto page = client().Get(path);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Graph reading &lt;list&gt;"), std::string::npos);
  EXPECT_NE(page->body.find("Diffusion models"), std::string::npos);
  auto bib = client().Get(path + ".bib");
  ASSERT_EQ(bib->status, 200);
  EXPECT_EQ(bib->get_header_value("Content-Type"), "application/x-bibtex; charset=utf-8");
  EXPECT_NE(bib->body.find("eprint = {2401.00010}"), std::string::npos) << bib->body;
  EXPECT_NE(bib->body.find("eprint = {2401.00020}"), std::string::npos);
  auto atom = client().Get("/feeds/collection/" + std::to_string(id) + ".atom");
  ASSERT_EQ(atom->status, 200);
  EXPECT_NE(atom->body.find("<feed"), std::string::npos);
  EXPECT_NE(atom->body.find("2401.00020"), std::string::npos);
  auto rss = client().Get("/feeds/collection/" + std::to_string(id) + ".rss");
  ASSERT_EQ(rss->status, 200);
  EXPECT_NE(rss->body.find("<rss"), std::string::npos);
}

TEST_F(LibraryServerTest, NobodyChangesAnotherAccountsCollection) {
  auto ada = token_for("ada@example.org");
  auto bob = token_for("bob@example.org");
  std::int64_t pub = new_collection(ada, "Public", true);
  std::int64_t priv = new_collection(ada, "Private", false);
  int status = 0;
  post_json("/api/collections/" + std::to_string(pub) + "/papers", bob, {{"id", "2401.00010"}}, &status);
  EXPECT_EQ(status, 403);
  post_json("/api/collections/" + std::to_string(priv) + "/papers", bob, {{"id", "2401.00010"}}, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(client().Delete("/api/collections/" + std::to_string(pub), bob)->status, 403);
  EXPECT_EQ(client().Delete("/api/collections/" + std::to_string(priv), bob)->status, 404);
  EXPECT_EQ(client().Delete("/api/collections/" + std::to_string(pub) + "/papers/2401.00010", bob)->status, 403);
  auto bob_cookie = browser_login("bob@example.org");
  std::string token = page_csrf(bob_cookie);
  auto form =
      client().Post("/collections/" + std::to_string(pub) + "/delete", bob_cookie, httplib::Params{{"csrf", token}});
  EXPECT_EQ(form->status, 403);
  EXPECT_TRUE(library_->get_collection(pub)->has_value());
  EXPECT_TRUE(library_->get_collection(priv)->has_value());
  // The owner can.
  EXPECT_EQ(client().Delete("/api/collections/" + std::to_string(priv), ada)->status, 200);
  EXPECT_FALSE(library_->get_collection(priv)->has_value());
}

// A quota hit is LibraryService's quota_exceeded, which http_status.cc answers with 409 Conflict
// (the account's state refuses it), the limit in the message; nothing beyond the quota is made.
TEST_F(LibraryServerTest, CollectionsAndFollowsBeyondTheQuotaAre409WithTheLimit) {
  auto ada = token_for("ada@example.org");
  const LibraryOptions limits;
  for (int i = 0; i < limits.max_collections; ++i) new_collection(ada, "List " + std::to_string(i), false);
  int status = 0;
  json refused = post_json("/api/collections", ada, {{"name", "One too many"}}, &status);
  EXPECT_EQ(status, 409) << refused.dump();
  EXPECT_NE(refused.value("error", "").find("at most 100 collections"), std::string::npos) << refused.dump();
  EXPECT_EQ(library_->collections_of(account_id("ada@example.org"))->size(), size_t(limits.max_collections));
  for (int i = 0; i < limits.max_follows; ++i) {
    post_json("/api/follows", ada, {{"kind", "search"}, {"value", "topic " + std::to_string(i)}}, &status);
    ASSERT_EQ(status, 201);
  }
  refused = post_json("/api/follows", ada, {{"kind", "search"}, {"value", "one more"}}, &status);
  EXPECT_EQ(status, 409) << refused.dump();
  EXPECT_NE(refused.value("error", "").find("at most 100 follows"), std::string::npos) << refused.dump();
}

TEST_F(LibraryServerTest, CookieRequestsNeedTheCsrfTokenAndBearerTokensDoNot) {
  token_for("ada@example.org");
  auto cookie = browser_login("ada@example.org");
  std::string token = page_csrf(cookie);
  ASSERT_FALSE(token.empty());
  int status = 0;
  post_json("/api/collections", cookie, {{"name", "No token"}}, &status);
  EXPECT_EQ(status, 403);
  post_json("/api/papers/2401.00010/comments", cookie, {{"body", "hi"}}, &status);
  EXPECT_EQ(status, 403);
  for (const char* path :
       {"/collections", "/collections/save", "/follow", "/unfollow", "/papers/2401.00010/comments"}) {
    auto r = client().Post(
        path, cookie,
        httplib::Params{
            {"name", "x"}, {"paper", "2401.00010"}, {"kind", "category"}, {"value", "cs.LG"}, {"body", "hi"}});
    EXPECT_EQ(r->status, 403) << path;
  }
  EXPECT_TRUE(library_->collections_of(account_id("ada@example.org"))->empty());
  EXPECT_TRUE(library_->follows_of(account_id("ada@example.org"))->empty());
  EXPECT_TRUE(library_->comments_on("2401.00010", 10)->empty());

  httplib::Headers with_token = cookie;
  with_token.emplace("X-CSRF-Token", token);
  post_json("/api/collections", with_token, {{"name", "With token"}}, &status);
  EXPECT_EQ(status, 201);
  // The card save toggle: the default collection through the API with the page's token.
  post_json("/api/collections/saved/papers", with_token, {{"id", "2401.00020"}}, &status);
  EXPECT_EQ(status, 201);
  auto bearer = token_for("bob@example.org");
  post_json("/api/collections", bearer, {{"name", "Bearer"}}, &status);
  EXPECT_EQ(status, 201);
  post_json("/api/collections", {{"Authorization", "Bearer pb_forged"}}, {{"name", "x"}}, &status);
  EXPECT_EQ(status, 401);
  post_json("/api/collections", {}, {{"name", "x"}}, &status);
  EXPECT_EQ(status, 401);
}

TEST_F(LibraryServerTest, SaveFormCreatesACollectionAndCardsShowTheSavedState) {
  token_for("ada@example.org");
  auto cookie = browser_login("ada@example.org");
  auto paper = client().Get("/papers/2401.00010", cookie);
  ASSERT_EQ(paper->status, 200);
  EXPECT_NE(paper->body.find("action=\"/collections/save\""), std::string::npos);
  auto r = client().Post("/collections/save", cookie,
                         httplib::Params{{"csrf", csrf_from(paper->body)},
                                         {"paper", "2401.00010"},
                                         {"collection", "new"},
                                         {"name", "Reading group"},
                                         {"back", "/papers/2401.00010"}});
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(r->get_header_value("Location"), "/papers/2401.00010");
  auto mine = library_->collections_of(account_id("ada@example.org"));
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).name, "Reading group");
  EXPECT_EQ(mine->at(0).paper_count, 1);
  auto saved_page = client().Get("/papers/2401.00010", cookie);
  EXPECT_NE(saved_page->body.find("Saved in"), std::string::npos);
  EXPECT_NE(saved_page->body.find("Remove from Reading group"), std::string::npos);
  auto unsave = client().Post(
      "/collections/" + std::to_string(mine->at(0).id) + "/remove", cookie,
      httplib::Params{{"csrf", csrf_from(paper->body)}, {"paper", "2401.00010"}, {"back", "/papers/2401.00010"}});
  ASSERT_EQ(unsave->status, 303) << unsave->body;
  EXPECT_EQ(library_->get_collection(mine->at(0).id)->value().paper_count, 0);
  // An open redirect through `back` is refused: the collection page instead.
  auto evil = client().Post("/collections/save", cookie,
                            httplib::Params{{"csrf", csrf_from(paper->body)},
                                            {"paper", "2401.00020"},
                                            {"collection", "saved"},
                                            {"back", "//evil.example/"}});
  ASSERT_EQ(evil->status, 303);
  EXPECT_TRUE(evil->get_header_value("Location").starts_with("/collections/"));
  auto day = client().Get("/papers/date/2024-01-06", cookie);
  EXPECT_NE(day->body.find("class=\"save-toggle saved\" data-paper=\"2401.00020\""), std::string::npos);
}

TEST_F(LibraryServerTest, FollowingACategoryFillsMyFeedWithReasonsNewestFirst) {
  token_for("ada@example.org");
  auto cookie = browser_login("ada@example.org");
  auto cat_page = client().Get("/categories/cs.LG", cookie);
  ASSERT_EQ(cat_page->status, 200);
  EXPECT_NE(cat_page->body.find("Follow cs.LG"), std::string::npos);
  auto r = client().Post("/follow", cookie,
                         httplib::Params{{"csrf", csrf_from(cat_page->body)},
                                         {"kind", "category"},
                                         {"value", "cs.LG"},
                                         {"back", "/categories/cs.LG"}});
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_NE(client().Get("/categories/cs.LG", cookie)->body.find("Following cs.LG"), std::string::npos);
  auto feed = client().Get("/feed", cookie);
  ASSERT_EQ(feed->status, 200);
  size_t newer = feed->body.find("Diffusion models"), older = feed->body.find("Graph networks");
  ASSERT_NE(newer, std::string::npos);
  ASSERT_NE(older, std::string::npos) << feed->body;
  EXPECT_LT(newer, older);
  EXPECT_NE(feed->body.find("you follow cs.LG"), std::string::npos);
  EXPECT_EQ(feed->body.find("Galaxy survey"), std::string::npos);
  EXPECT_EQ(client().Get("/feed")->status, 303);  // anonymous: to the login page

  auto bob = token_for("bob@example.org");
  int status = 0;
  post_json("/api/follows", bob, {{"kind", "author"}, {"value", "Lovelace|Ada"}}, &status);
  EXPECT_EQ(status, 201);
  post_json("/api/follows", bob, {{"kind", "category"}, {"value", "cs.LG<script>"}}, &status);
  EXPECT_EQ(status, 400);
  auto api = client().Get("/api/feed", bob);
  ASSERT_EQ(api->status, 200);
  json items = json::parse(api->body);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["id"], "2401.00020");
  EXPECT_EQ(items[2]["id"], "2401.00030");
  EXPECT_EQ(items[0]["reasons"][0], "you follow Ada Lovelace");
  EXPECT_EQ(client().Get("/api/feed")->status, 401);
}

TEST_F(LibraryServerTest, MarkdownCommentsRenderHarmless) {
  auto ada = token_for("ada@example.org");
  std::string evil =
      "Nice *work* <script>alert(1)</script>\n\n"
      "[click](javascript:alert(2)) [ok](https://example.org/x) ![img](https://tracker.example/p.png)\n\n"
      "<img src=x onerror=alert(3)>\n\n<iframe src=\"https://evil.example\"></iframe>";
  int status = 0;
  json c = post_json("/api/papers/2401.00010/comments", ada, {{"body", evil}}, &status);
  ASSERT_EQ(status, 201) << c.dump();
  EXPECT_EQ(c["body"], evil);  // the source is kept as written
  for (const std::string& html : {c["html"].get<std::string>(), client().Get("/papers/2401.00010")->body}) {
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_EQ(html.find("javascript:"), std::string::npos);
    EXPECT_EQ(html.find("onerror"), std::string::npos);
    EXPECT_EQ(html.find("<iframe"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("<em>work</em>"), std::string::npos);
    EXPECT_NE(html.find("<a rel=\"nofollow ugc noopener\" href=\"https://example.org/x\">ok</a>"), std::string::npos);
  }
  auto listed = client().Get("/api/papers/2401.00010/comments");
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(json::parse(listed->body).size(), 1u);
  // Counts on cards and in the daily-papers API.
  EXPECT_NE(client().Get("/papers/date/2024-01-05")->body.find(">1 comment</a>"), std::string::npos);
  json daily = json::parse(client().Get("/api/daily_papers?date=2024-01-05")->body);
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_EQ(daily[0]["numComments"], 1);
}

TEST_F(LibraryServerTest, OnlyTheAuthorEditsAndAuthorOrModeratorDeletes) {
  auto ada = token_for("ada@example.org");
  auto bob = token_for("bob@example.org");
  int status = 0;
  json c = post_json("/api/papers/2401.00010/comments", ada, {{"body", "first"}}, &status);
  ASSERT_EQ(status, 201);
  std::string path = "/api/comments/" + std::to_string(c["id"].get<std::int64_t>());
  EXPECT_EQ(client().Put(path, bob, json{{"body", "hijacked"}}.dump(), "application/json")->status, 403);
  EXPECT_EQ(client().Delete(path, bob)->status, 403);
  auto bob_cookie = browser_login("bob@example.org");
  auto form = client().Post("/comments/" + std::to_string(c["id"].get<std::int64_t>()) + "/edit", bob_cookie,
                            httplib::Params{{"csrf", page_csrf(bob_cookie)}, {"body", "hijacked"}});
  EXPECT_EQ(form->status, 403);
  EXPECT_EQ(library_->get_comment(c["id"])->value().body, "first");
  auto edited = client().Put(path, ada, json{{"body", "first, edited"}}.dump(), "application/json");
  ASSERT_EQ(edited->status, 200) << edited->body;
  EXPECT_FALSE(json::parse(edited->body)["editedAt"].is_null());
  EXPECT_EQ(client().Put("/api/comments/999999", ada, json{{"body", "x"}}.dump(), "application/json")->status, 404);
  // A curator removes any comment.
  ASSERT_TRUE(community_->set_role(account_id("bob@example.org"), store::Role::kCurator).is_ok());
  EXPECT_EQ(client().Put(path, bob, json{{"body", "curator edit"}}.dump(), "application/json")->status, 403);
  EXPECT_EQ(client().Delete(path, bob)->status, 200);
  EXPECT_FALSE(library_->get_comment(c["id"])->has_value());
}

TEST_F(LibraryServerTest, CommentsAreRateLimitedAndSizeLimited) {
  auto ada = token_for("ada@example.org");
  int status = 0;
  post_json("/api/papers/2401.00010/comments", ada, {{"body", std::string(2001, 'x')}}, &status);
  EXPECT_EQ(status, 400);
  post_json("/api/papers/2401.00010/comments", ada, {{"body", "   "}}, &status);
  EXPECT_EQ(status, 400);
  for (int i = 0; i < 3; ++i) {
    post_json("/api/papers/2401.00010/comments", ada, {{"body", "comment " + std::to_string(i)}}, &status);
    EXPECT_EQ(status, 201) << i;
  }
  json refused = post_json("/api/papers/2401.00010/comments", ada, {{"body", "one too many"}}, &status);
  EXPECT_EQ(status, 429) << refused.dump();
  EXPECT_EQ(library_->comments_on("2401.00010", 10)->size(), 3u);
  // The limit is per account.
  post_json("/api/papers/2401.00010/comments", token_for("bob@example.org"), {{"body", "mine"}}, &status);
  EXPECT_EQ(status, 201);
}

TEST_F(LibraryServerTest, DeletingAnAccountRemovesItsCollectionsFollowsAndComments) {
  auto ada = token_for("ada@example.org");
  std::int64_t id = account_id("ada@example.org");
  std::int64_t coll = new_collection(ada, "Mine", true);
  int status = 0;
  post_json("/api/follows", ada, {{"kind", "category"}, {"value", "cs.LG"}}, &status);
  post_json("/api/papers/2401.00010/comments", ada, {{"body", "bye"}}, &status);
  ASSERT_EQ(status, 201);
  auto cookie = browser_login("ada@example.org");
  auto r =
      client().Post("/account/delete", cookie, httplib::Params{{"csrf", page_csrf(cookie)}, {"password", kPassword}});
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_FALSE(community_->get_account(id)->has_value());
  EXPECT_TRUE(library_->collections_of(id)->empty());
  EXPECT_FALSE(library_->get_collection(coll)->has_value());
  EXPECT_TRUE(library_->follows_of(id)->empty());
  EXPECT_TRUE(library_->comments_on("2401.00010", 10)->empty());
  EXPECT_EQ(client().Get("/collections/" + std::to_string(coll))->status, 404);
}

}  // namespace
}  // namespace paperboy::web
