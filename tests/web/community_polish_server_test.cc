// Issue 16 item 8 through the real WebServer on 127.0.0.1 with a real SQLite database: one level
// of replies (plain HTML forms, no script), a refused reply back in its form with the text, a
// deleted comment's replies kept under "[deleted]", math in comments marked for KaTeX, members'
// profile pages (public things only, 404 for unknown members) and author pages with co-authors,
// top categories and papers per year.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "store/community_store.h"
#include "store/curation_store.h"
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

core::Paper with_authors(core::Paper p, std::vector<core::Author> authors) {
  p.authors = std::move(authors);
  return p;
}

class CommunityPolishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const core::Author ada{"Lovelace", "Ada", ""}, charles{"Babbage", "Charles", ""}, mary{"Somerville", "Mary", ""};
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(
        dir_.path(),
        {with_authors(testing::listed_paper("2401.00010", "2024-01-05", "Graph networks", {"cs.LG", "stat.ML"}),
                      {ada, charles}),
         with_authors(testing::listed_paper("2401.00020", "2024-01-06", "Diffusion models", {"cs.LG"}),
                      {ada, charles, mary}),
         with_authors(testing::listed_paper("2301.00030", "2023-01-04", "Galaxy survey", {"astro-ph.GA"}),
                      {ada, mary})},
        db_));
    community_ = &db_->community();
    library_ = &db_->library();
    ServerOptions o;
    o.threads = 8;
    o.access_log = false;
    o.community = community_;
    o.library = library_;
    o.curation = &db_->curation();
    o.account_options.hash_cost = community::HashCost::kMinimum;
    server_ = std::make_unique<testing::RunningServer>(db_->papers(), o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  httplib::Client client() { return server_->client(); }
  httplib::Headers token_for(const std::string& email, const std::string& name) {
    auto r = client().Post("/api/auth/signup", json{{"email", email}, {"password", kPassword}, {"name", name}}.dump(),
                           "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
    auto t =
        client().Post("/api/auth/token", json{{"email", email}, {"password", kPassword}}.dump(), "application/json");
    return {{"Authorization", "Bearer " + json::parse(t->body).at("token").get<std::string>()}};
  }
  httplib::Headers browser_login(const std::string& email) {
    auto c = client();
    auto page = c.Get("/login");
    httplib::Params form = {{"email", email}, {"password", kPassword}, {"csrf", csrf_from(page->body)}};
    auto r = c.Post("/login", {{"Cookie", "pb_csrf=" + set_cookie(page, "pb_csrf")}}, form);
    EXPECT_EQ(r->status, 303) << r->body;
    return {{"Cookie", "pb_session=" + set_cookie(r, "pb_session")}};
  }
  // Posts the paper page's comment form (a reply when parent_id is set), as a browser without script.
  httplib::Result post_form(const httplib::Headers& cookie, const std::string& paper, const std::string& body,
                            const std::string& parent_id = "") {
    std::string csrf = csrf_from(client().Get("/papers/" + paper, cookie)->body);
    httplib::Params form = {{"csrf", csrf}, {"body", body}};
    if (!parent_id.empty()) form.emplace("parent_id", parent_id);
    return client().Post("/papers/" + paper + "/comments", cookie, form);
  }
  std::int64_t account_id(const std::string& email) {
    auto a = community_->find_account_by_email(email);
    return (a && *a) ? (*a)->account.id : 0;
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::CommunityStore* community_ = nullptr;
  store::LibraryStore* library_ = nullptr;
  std::unique_ptr<testing::RunningServer> server_;
};

TEST_F(CommunityPolishTest, RepliesNestUnderTheirCommentThroughPlainForms) {
  token_for("ada@example.org", "Ada");
  token_for("bob@example.org", "Bob");
  auto ada = browser_login("ada@example.org");
  auto bob = browser_login("bob@example.org");
  auto top = post_form(ada, "2401.00010", "The top comment");
  ASSERT_EQ(top->status, 303) << top->body;
  auto comments = library_->comments_on("2401.00010", 10);
  ASSERT_EQ(comments->size(), 1u);
  std::string top_id = std::to_string(comments->at(0).id);
  // The page offers a reply form per top-level comment, with the parent and the CSRF token.
  std::string page = client().Get("/papers/2401.00010", bob)->body;
  EXPECT_NE(page.find("<summary>Reply</summary>"), std::string::npos);
  EXPECT_NE(page.find("name=\"parent_id\" value=\"" + top_id + "\""), std::string::npos);
  auto reply = post_form(bob, "2401.00010", "A reply from Bob", top_id);
  ASSERT_EQ(reply->status, 303) << reply->body;
  comments = library_->comments_on("2401.00010", 10);
  ASSERT_EQ(comments->size(), 2u);
  EXPECT_EQ(std::to_string(comments->at(1).parent_id), top_id);
  // A reply to the reply joins the same thread (one level).
  auto deeper = post_form(ada, "2401.00010", "Ada answers Bob", std::to_string(comments->at(1).id));
  ASSERT_EQ(deeper->status, 303) << deeper->body;
  EXPECT_EQ(std::to_string(library_->comments_on("2401.00010", 10)->at(2).parent_id), top_id);

  page = client().Get("/papers/2401.00010")->body;
  size_t thread = page.find("id=\"comment-" + top_id + "\"");
  size_t replies = page.find("<ol class=\"replies\"", thread);
  size_t bobs = page.find("A reply from Bob", replies);
  size_t adas = page.find("Ada answers Bob", bobs);
  ASSERT_NE(thread, std::string::npos);
  ASSERT_NE(replies, std::string::npos);
  EXPECT_NE(bobs, std::string::npos);
  EXPECT_NE(adas, std::string::npos);
  EXPECT_LT(page.find("The top comment", thread), replies);
  // Authors link to their profiles.
  EXPECT_NE(page.find("href=\"/users/" + std::to_string(account_id("bob@example.org")) + "\">Bob</a>"),
            std::string::npos);
  // The API says who replies to whom.
  auto listed = json::parse(client().Get("/api/papers/2401.00010/comments")->body);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_TRUE(listed[0]["parentId"].is_null());
  EXPECT_EQ(std::to_string(listed[1]["parentId"].get<std::int64_t>()), top_id);
}

TEST_F(CommunityPolishTest, ARefusedReplyComesBackInItsFormWithTheTextAndTheReason) {
  token_for("ada@example.org", "Ada");
  auto ada = browser_login("ada@example.org");
  ASSERT_EQ(post_form(ada, "2401.00010", "On graphs")->status, 303);
  ASSERT_EQ(post_form(ada, "2401.00020", "On diffusion")->status, 303);
  std::string graphs_id = std::to_string(library_->comments_on("2401.00010", 10)->at(0).id);
  std::string diffusion_id = std::to_string(library_->comments_on("2401.00020", 10)->at(0).id);
  // A reply naming a comment on another paper is refused; the text comes back in the new-comment
  // form (the named thread is not on this page).
  auto refused = post_form(ada, "2401.00020", "My <careful> reply", graphs_id);
  ASSERT_EQ(refused->status, 422) << refused->body;
  EXPECT_NE(refused->body.find("is on another paper"), std::string::npos);
  EXPECT_NE(refused->body.find("aria-describedby=\"comment-error\">My &lt;careful&gt; reply</textarea>"),
            std::string::npos);
  EXPECT_EQ(library_->comments_on("2401.00020", 10)->size(), 1u);
  // A refused reply in a thread: that thread's reply form opens with the reason and the text.
  std::string long_reply(10001, 'x');
  auto too_long = post_form(ada, "2401.00020", long_reply, diffusion_id);
  ASSERT_EQ(too_long->status, 422);
  EXPECT_NE(too_long->body.find("<details class=\"reply\" open>"), std::string::npos);
  EXPECT_NE(too_long->body.find("id=\"reply-error-" + diffusion_id + "\" role=\"alert\">body: a comment is at most"),
            std::string::npos);
  EXPECT_NE(too_long->body.find(long_reply + "</textarea>"), std::string::npos);
  // An empty top-level comment: the reason beside the main form.
  auto empty = post_form(ada, "2401.00020", "   ");
  ASSERT_EQ(empty->status, 422);
  EXPECT_NE(empty->body.find("id=\"comment-error\" role=\"alert\""), std::string::npos);
  // Not a number: refused like a missing parent.
  EXPECT_EQ(post_form(ada, "2401.00020", "x", "abc")->status, 422);
}

TEST_F(CommunityPolishTest, ADeletedCommentLeavesAPlaceholderAboveItsReplies) {
  auto ada_token = token_for("ada@example.org", "Ada");
  auto bob_token = token_for("bob@example.org", "Bob");
  auto top = client().Post("/api/papers/2401.00010/comments", ada_token, json{{"body", "Soon gone"}}.dump(),
                           "application/json");
  ASSERT_EQ(top->status, 201) << top->body;
  std::int64_t top_id = json::parse(top->body)["id"];
  auto reply = client().Post("/api/papers/2401.00010/comments", bob_token,
                             json{{"body", "Still here"}, {"parentId", top_id}}.dump(), "application/json");
  ASSERT_EQ(reply->status, 201) << reply->body;
  EXPECT_EQ(json::parse(reply->body)["parentId"], top_id);
  auto bad = client().Post("/api/papers/2401.00010/comments", bob_token,
                           json{{"body", "x"}, {"parentId", "seven"}}.dump(), "application/json");
  EXPECT_EQ(bad->status, 400);
  ASSERT_EQ(client().Delete("/api/comments/" + std::to_string(top_id), ada_token)->status, 200);
  std::string page = client().Get("/papers/2401.00010", browser_login("bob@example.org"))->body;
  size_t placeholder = page.find("<p class=\"comment-meta\">[deleted]</p>");
  ASSERT_NE(placeholder, std::string::npos);
  EXPECT_EQ(page.find("Soon gone"), std::string::npos);
  EXPECT_GT(page.find("Still here"), placeholder);
  // Nobody replies to a deleted comment: it has no reply form, and the API refuses.
  EXPECT_EQ(page.find("name=\"parent_id\" value=\"" + std::to_string(top_id) + "\""), std::string::npos);
  auto late = client().Post("/api/papers/2401.00010/comments", bob_token,
                            json{{"body", "late"}, {"parentId", top_id}}.dump(), "application/json");
  EXPECT_EQ(late->status, 400) << late->body;
}

TEST_F(CommunityPolishTest, MathInCommentsIsMarkedForKatexAndNotEmphasised) {
  auto ada = token_for("ada@example.org", "Ada");
  auto r = client().Post("/api/papers/2401.00010/comments", ada,
                         json{{"body", "Take $a_1 * b_2 * c_3$ and $$\\sum_i x_i^*$$"}}.dump(), "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  std::string page = client().Get("/papers/2401.00010")->body;
  EXPECT_NE(page.find("<span class=\"math\">\\(a_1 * b_2 * c_3\\)</span>"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"math display\">\\[\\sum_i x_i^*\\]</span>"), std::string::npos);
  EXPECT_EQ(page.find("<em>"), std::string::npos);
}

TEST_F(CommunityPolishTest, ProfilesShowPublicThingsOnlyAndUnknownMembersAre404) {
  auto ada = token_for("ada@example.org", "Ada Lovelace");
  std::int64_t id = account_id("ada@example.org");
  auto created = [&](const std::string& name, bool is_public) {
    auto r =
        client().Post("/api/collections", ada, json{{"name", name}, {"public", is_public}}.dump(), "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
  };
  created("Graph reading", true);
  created("Secret plans", false);
  ASSERT_EQ(
      client()
          .Post("/api/papers/2401.00020/comments", ada, json{{"body", "Lovely *proof*"}}.dump(), "application/json")
          ->status,
      201);
  ASSERT_TRUE(db_->curation().record_submission({"2401.00010", id, "2024-01-05", 1704456000}));
  auto page = client().Get("/users/" + std::to_string(id));
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find("<h1 id=\"profile-h\">Ada Lovelace</h1>"), std::string::npos);
  EXPECT_NE(page->body.find("Graph reading"), std::string::npos);
  EXPECT_EQ(page->body.find("Secret plans"), std::string::npos);
  EXPECT_EQ(page->body.find("ada@example.org"), std::string::npos);
  EXPECT_NE(page->body.find("Lovely <em>proof</em>"), std::string::npos);
  EXPECT_NE(page->body.find("href=\"/papers/2401.00020#comment-"), std::string::npos);
  EXPECT_NE(page->body.find(">Graph networks</a>"), std::string::npos);  // the submission
  // The paper page's "Submitted by" leads to the profile.
  EXPECT_NE(client()
                .Get("/papers/2401.00010")
                ->body.find("Submitted by <a href=\"/users/" + std::to_string(id) + "\">Ada Lovelace</a>"),
            std::string::npos);
  auto by_name = client().Get("/users/Ada%20Lovelace");
  ASSERT_EQ(by_name->status, 200);
  EXPECT_NE(by_name->body.find("Graph reading"), std::string::npos);
  EXPECT_EQ(client().Get("/users/nobody")->status, 404);
  EXPECT_EQ(client().Get("/users/" + std::to_string(id + 100))->status, 404);
}

TEST_F(CommunityPolishTest, AuthorPagesShowCoAuthorsTopCategoriesAndPapersPerYear) {
  auto r = client().Get("/authors/Lovelace?f=Ada");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string& page = r->body;
  size_t co = page.find("Frequent co-authors");
  ASSERT_NE(co, std::string::npos);
  size_t charles = page.find("href=\"/authors/Babbage?f=Charles\">Charles Babbage</a> <span class=\"n\">2 papers", co);
  size_t mary = page.find("href=\"/authors/Somerville?f=Mary\">Mary Somerville</a>", co);
  EXPECT_NE(charles, std::string::npos);
  EXPECT_NE(mary, std::string::npos);
  EXPECT_LT(charles, mary);
  EXPECT_NE(page.find(">Machine Learning</a> <span class=\"n\">2 papers"), std::string::npos);
  EXPECT_NE(page.find("<th scope=\"row\">2024</th>"), std::string::npos);
  EXPECT_NE(page.find("value=\"2\" aria-hidden=\"true\"></meter> 2"), std::string::npos);
  EXPECT_NE(page.find("<th scope=\"row\">2023</th>"), std::string::npos);
  EXPECT_LT(page.find("<th scope=\"row\">2024</th>"), page.find("<th scope=\"row\">2023</th>"));
}

}  // namespace
}  // namespace paperboy::web
