// Security and behaviour of the community routes against the real WebServer on 127.0.0.1 with a
// real SQLite database: CSRF on every cookie-authenticated change, session fixation, login that
// does not reveal accounts and is rate-limited, API tokens, one upvote per account (also under
// concurrent requests), fresh counts after a vote, no password hash in any response.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "store/community_store.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "support/web_forms.h"
#include "support/web_server.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using nlohmann::json;
using testing::csrf_from;
using testing::set_cookie;

class CommunityServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string db = (dir_.path() / "test.db").string();
    auto opened = store::open_database({.url = db, .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
    store::WriteBatch batch;
    batch.papers = {testing::listed_paper("2401.00010", "2024-01-05", "Graph networks"),
                    testing::listed_paper("2401.00020", "2024-01-05", "Diffusion models"),
                    testing::listed_paper("2401.00030", "2024-01-04", "Older paper")};
    ASSERT_TRUE(store_->apply(batch));
    community_ = &database_->community();
    ServerOptions o;
    o.threads = 16;
    o.access_log = false;
    o.community = community_;
    o.account_options.hash_cost = community::HashCost::kMinimum;
    o.account_options.limits.account_free_failures = 5;
    o.send_mail = [this](const std::string& email, const std::string&, const std::string& body) {
      std::lock_guard lock(mail_mu_);
      mails_.push_back(email + "\n" + body);
    };
    server_ = std::make_unique<testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
    port_ = server_->port();
  }

  httplib::Client client() { return server_->client(); }

  void api_signup(const std::string& email, const std::string& password = "correct horse battery") {
    auto r = client().Post("/api/auth/signup", json{{"email", email}, {"password", password}, {"name", "N"}}.dump(),
                           "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(r->body.find("argon2"), std::string::npos);
  }
  std::string api_token(const std::string& email, const std::string& password = "correct horse battery") {
    auto r =
        client().Post("/api/auth/token", json{{"email", email}, {"password", password}}.dump(), "application/json");
    if (!r || r->status != 200) return "";
    return json::parse(r->body).at("token").get<std::string>();
  }
  // Logs in through the HTML form (with its CSRF token); returns the session cookie.
  std::string browser_login(const std::string& email, const std::string& old_session = "") {
    auto c = client();
    // A browser sends the cookie it holds with the form page too (its token is then bound to it).
    auto page = old_session.empty() ? c.Get("/login") : c.Get("/login", {{"Cookie", "pb_session=" + old_session}});
    std::string anon = set_cookie(page, "pb_csrf");
    std::string cookie = "pb_csrf=" + anon + (old_session.empty() ? "" : "; pb_session=" + old_session);
    httplib::Params form = {{"email", email}, {"password", "correct horse battery"}, {"csrf", csrf_from(page->body)}};
    auto r = c.Post("/login", {{"Cookie", cookie}}, form);
    EXPECT_EQ(r->status, 303) << r->body;
    return set_cookie(r, "pb_session");
  }
  json upvote(const std::string& method, const std::string& id, const httplib::Headers& h, int* status = nullptr) {
    auto c = client();
    auto r = method == "POST" ? c.Post("/api/papers/" + id + "/upvote", h, "", "application/json")
                              : c.Delete("/api/papers/" + id + "/upvote", h);
    if (status != nullptr) *status = r->status;
    return json::parse(r->body, nullptr, false);
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  std::unique_ptr<testing::RunningServer> server_;
  int port_ = 0;
  std::mutex mail_mu_;
  std::vector<std::string> mails_;
};

TEST_F(CommunityServerTest, BearerTokenUpvoteTogglesAndCountsOnce) {
  api_signup("ada@example.org");
  std::string token = api_token("ada@example.org");
  ASSERT_TRUE(token.starts_with("pb_"));
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(upvote("POST", "2401.00010", auth)["upvotes"], 1);
  EXPECT_EQ(upvote("POST", "2401.00010", auth)["upvotes"], 1);
  EXPECT_EQ(upvote("DELETE", "2401.00010", auth)["upvotes"], 0);
  int status = 0;
  upvote("POST", "2401.00010", {{"Authorization", "Bearer pb_forged"}}, &status);
  EXPECT_EQ(status, 401);
  upvote("POST", "2401.00010", {}, &status);
  EXPECT_EQ(status, 401);
  upvote("POST", "2401.09999", auth, &status);
  EXPECT_EQ(status, 404);
}

// What `curl -X POST -H "Authorization: Bearer T" URL` sends: no body and no Content-Length.
TEST_F(CommunityServerTest, UpvoteWithoutAnyBodyOrContentLengthWorks) {
  api_signup("ada@example.org");
  std::string token = api_token("ada@example.org");
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string request = "POST /api/papers/2401.00010/upvote HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                        token + "\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, static_cast<size_t>(n));
  ::close(fd);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("\"upvotes\":1"), std::string::npos) << reply;
}

TEST_F(CommunityServerTest, VoteCountIsFreshInCachedPagesAndApi) {
  auto c = client();
  auto before = c.Get("/api/daily_papers?date=2024-01-05");
  ASSERT_EQ(before->status, 200);
  EXPECT_EQ(json::parse(before->body)[0]["upvotes"], 0);
  ASSERT_EQ(c.Get("/papers/2401.00020")->status, 200);  // now in the response cache
  api_signup("ada@example.org");
  httplib::Headers auth = {{"Authorization", "Bearer " + api_token("ada@example.org")}};
  ASSERT_EQ(upvote("POST", "2401.00020", auth)["upvotes"], 1);
  auto after = c.Get("/api/daily_papers?date=2024-01-05&sort=trending");
  json items = json::parse(after->body);
  EXPECT_EQ(items[0]["id"], "2401.00020");  // the voted paper ranks first
  EXPECT_EQ(items[0]["upvotes"], 1);
  EXPECT_EQ(json::parse(c.Get("/api/papers/2401.00020")->body)["upvotes"], 1);
  EXPECT_NE(c.Get("/papers/2401.00020")->body.find("<span class=\"votes\">1</span>"), std::string::npos);
  EXPECT_NE(c.Get("/trending")->body.find("upvotes / (age_hours + 2)^1.8"), std::string::npos);
}

TEST_F(CommunityServerTest, ConcurrentUpvotesFromOneAccountCountOnce) {
  api_signup("ada@example.org");
  api_signup("bob@example.org");
  std::vector<std::string> tokens = {api_token("ada@example.org"), api_token("bob@example.org")};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 24; ++t) {
    threads.emplace_back([&, t] {
      httplib::Headers auth = {{"Authorization", "Bearer " + tokens[t % 2]}};
      for (int i = 0; i < 10; ++i) {
        int status = 0;
        upvote("POST", "2401.00010", auth, &status);
        if (status != 200) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(json::parse(client().Get("/api/papers/2401.00010")->body)["upvotes"], 2);
}

TEST_F(CommunityServerTest, CookieAuthenticatedChangesNeedTheSessionsCsrfToken) {
  api_signup("ada@example.org");
  api_signup("bob@example.org");
  std::string ada = browser_login("ada@example.org");
  std::string bob = browser_login("bob@example.org");
  ASSERT_FALSE(ada.empty());
  httplib::Headers ada_cookie = {{"Cookie", "pb_session=" + ada}};
  int status = 0;
  upvote("POST", "2401.00010", ada_cookie, &status);
  EXPECT_EQ(status, 403);  // no token
  std::string bob_token = csrf_from(client().Get("/", {{"Cookie", "pb_session=" + bob}})->body);
  ASSERT_FALSE(bob_token.empty());
  httplib::Headers with_bobs = ada_cookie;
  with_bobs.emplace("X-CSRF-Token", bob_token);
  upvote("POST", "2401.00010", with_bobs, &status);
  EXPECT_EQ(status, 403);  // another session's token
  std::string ada_token = csrf_from(client().Get("/", ada_cookie)->body);
  httplib::Headers ok = ada_cookie;
  ok.emplace("X-CSRF-Token", ada_token);
  EXPECT_EQ(upvote("POST", "2401.00010", ok, &status)["upvotes"], 1);
  EXPECT_EQ(status, 200);
  // Forms: logout, token creation and account deletion refuse a request without the token.
  auto c = client();
  for (const char* path : {"/logout", "/account/tokens", "/account/delete"}) {
    auto r = c.Post(path, ada_cookie, httplib::Params{{"password", "correct horse battery"}});
    EXPECT_EQ(r->status, 403) << path;
  }
  // Bob's token cannot delete Ada's account either; her session still works afterwards.
  auto r = c.Post("/account/delete", ada_cookie,
                  httplib::Params{{"password", "correct horse battery"}, {"csrf", bob_token}});
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(c.Get("/account", ada_cookie)->body.find("ada@example.org"), std::string::npos);
  // Anonymous forms need the double-submit cookie's token too.
  EXPECT_EQ(
      c.Post("/login", httplib::Params{{"email", "ada@example.org"}, {"password", "correct horse battery"}})->status,
      403);
}

// Issue 14 item 3: one guard for pages and the API. What needs an account answers an anonymous
// caller or an unknown token with 401 JSON under /api/ and a redirect to the login page elsewhere,
// whichever route it is; the server, not the route, decides how a Status reads in HTTP.
TEST_F(CommunityServerTest, OneGuardAnswersAnonymousCallersTheSameWayEverywhere) {
  auto c = client();
  c.set_follow_location(false);
  auto page = c.Get("/account");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->get_header_value("Location"), "/login?next=/account");  // and back (httplib decodes Location)
  // A form post without an account goes to the login page too (it used to be a bare 403).
  auto login_page = c.Get("/login");
  std::string anon = "pb_csrf=" + set_cookie(login_page, "pb_csrf");
  auto post = c.Post("/account/tokens", {{"Cookie", anon}},
                     httplib::Params{{"label", "x"}, {"csrf", csrf_from(login_page->body)}});
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 303);
  EXPECT_EQ(post->get_header_value("Location"), "/login");
  // The API: 401 JSON, for no credentials and for a token that names nobody.
  for (const httplib::Headers& h : {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer not-a-token"}},
                                    httplib::Headers{{"Authorization", "Basic YTpi"}}}) {
    int status = 0;
    json body = upvote("POST", "2401.00010", h, &status);
    EXPECT_EQ(status, 401);
    EXPECT_EQ(body.value("status", 0), 401) << body.dump();
    EXPECT_FALSE(body.value("error", "").empty());
  }
  // A wrong password is a 401 too; once it turns into a wait, a 429 whose Retry-After the
  // status itself carried from the service.
  api_signup("eve@example.org");
  int wrong = 0, waited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = c.Post("/api/auth/token", json{{"email", "eve@example.org"}, {"password", "not her password"}}.dump(),
                    "application/json");
    ASSERT_TRUE(r);
    if (r->status == 401) ++wrong;
    if (r->status == 429) {
      ++waited;
      ASSERT_TRUE(r->has_header("Retry-After"));
      EXPECT_GE(std::stoll(r->get_header_value("Retry-After")), 1);
      EXPECT_EQ(json::parse(r->body).value("status", 0), 429);
    }
  }
  EXPECT_EQ(wrong, 5);  // account_free_failures
  EXPECT_EQ(waited, 3);
}

TEST_F(CommunityServerTest, LoginIssuesANewSessionIdAndEndsTheOldOne) {
  api_signup("ada@example.org");
  std::string first = browser_login("ada@example.org");
  std::string fixated = "attacker-chosen-session-id";
  std::string second = browser_login("ada@example.org", first);
  EXPECT_FALSE(second.empty());
  EXPECT_NE(second, first);
  EXPECT_NE(second, fixated);
  auto c = client();
  EXPECT_EQ(c.Get("/account", {{"Cookie", "pb_session=" + first}})->status, 303);  // old session ended
  auto account = c.Get("/account", {{"Cookie", "pb_session=" + second}});
  EXPECT_EQ(account->status, 200);
  EXPECT_EQ(account->body.find("argon2"), std::string::npos);
  EXPECT_EQ(account->get_header_value("Cache-Control"), "private, no-store");
  // Fixation: an attacker plants a session id the server really issued (their own) in the
  // victim's browser; the victim's login must not make that id the victim's.
  api_signup("mallory@example.org");
  std::string planted = browser_login("mallory@example.org");
  ASSERT_FALSE(planted.empty());
  auto mallory = c.Get("/account", {{"Cookie", "pb_session=" + planted}});
  ASSERT_EQ(mallory->status, 200);
  ASSERT_NE(mallory->body.find("mallory@example.org"), std::string::npos);
  std::string third = browser_login("ada@example.org", planted);
  EXPECT_FALSE(third.empty());
  EXPECT_NE(third, planted);
  auto after = c.Get("/account", {{"Cookie", "pb_session=" + planted}});
  EXPECT_EQ(after->body.find("ada@example.org"), std::string::npos) << "the planted session became ada's";
  auto own = c.Get("/account", {{"Cookie", "pb_session=" + third}});
  EXPECT_EQ(own->status, 200);
  EXPECT_NE(own->body.find("ada@example.org"), std::string::npos);
  // A made-up id is not a session at all.
  EXPECT_EQ(c.Get("/account", {{"Cookie", "pb_session=" + fixated}})->status, 303);
}

TEST_F(CommunityServerTest, LoginDoesNotRevealWhetherAnEmailExistsAndIsRateLimited) {
  api_signup("ada@example.org");
  auto c = client();
  auto wrong = c.Post("/api/auth/token", json{{"email", "ada@example.org"}, {"password", "wrong password!"}}.dump(),
                      "application/json");
  auto unknown = c.Post("/api/auth/token", json{{"email", "zed@example.org"}, {"password", "wrong password!"}}.dump(),
                        "application/json");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, wrong->status);
  EXPECT_EQ(unknown->body, wrong->body);
  // Five attempts per window in this test's configuration: the client address is now limited.
  // Every attempt is refused with 401 until the limit, then with 429 and only 429.
  int limited = 0;
  for (int i = 0; i < 5; ++i) {
    auto r = c.Post("/api/auth/token", json{{"email", "ada@example.org"}, {"password", "wrong password!"}}.dump(),
                    "application/json");
    ASSERT_TRUE(r);
    if (limited > 0) {
      EXPECT_EQ(r->status, 429) << "attempt " << i;
    }
    if (r->status == 429) {
      ++limited;
    } else {
      EXPECT_EQ(r->status, 401) << "attempt " << i;
    }
  }
  EXPECT_GE(limited, 1);
  // Even the right password waits, with a 429 (not some other refusal).
  auto right =
      c.Post("/api/auth/token", json{{"email", "ada@example.org"}, {"password", "correct horse battery"}}.dump(),
             "application/json");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 429) << right->body;
}

TEST_F(CommunityServerTest, PasswordResetLinkWorksOnceAndAnswersAlikeForUnknownEmails) {
  api_signup("ada@example.org");
  auto c = client();
  auto page = c.Get("/password/forgot");
  std::string cookie = "pb_csrf=" + set_cookie(page, "pb_csrf");
  std::string token = csrf_from(page->body);
  auto known =
      c.Post("/password/forgot", {{"Cookie", cookie}}, httplib::Params{{"email", "ada@example.org"}, {"csrf", token}});
  auto unknown =
      c.Post("/password/forgot", {{"Cookie", cookie}}, httplib::Params{{"email", "zed@example.org"}, {"csrf", token}});
  EXPECT_EQ(known->status, 200);
  EXPECT_EQ(unknown->status, 200);
  std::lock_guard lock(mail_mu_);
  ASSERT_EQ(mails_.size(), 1u);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(mails_[0], m, std::regex(R"(token=(\S+))")));
  std::string link = m[1];
  httplib::Params reset = {{"token", link}, {"password", "a brand new password"}, {"csrf", token}};
  EXPECT_EQ(c.Post("/password/reset", {{"Cookie", cookie}}, reset)->status, 303);
  EXPECT_EQ(c.Post("/password/reset", {{"Cookie", cookie}}, reset)->status, 403);  // used once
  EXPECT_NE(api_token("ada@example.org", "a brand new password"), "");
}

}  // namespace
}  // namespace paperboy::web
