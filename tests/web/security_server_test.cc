// Hardening of the application layer (issue 13) against the real WebServer on 127.0.0.1 with a
// real SQLite database and search index: bounded dates, login/sign-up/reset limits (OWASP: count
// failures, growing delays), absolute URLs never from the Host header, feeds that stay
// well-formed XML, CSRF tokens only from a header or the body and never anonymous beside a
// session, tokens revoked by a password reset, the redirect filter, comment edits rate-limited,
// reads that create nothing, and search errors without internals.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "community/secrets.h"
#include "core/time.h"
#include "search/search_service.h"
#include "store/community_store.h"
#include "store/database.h"
#include "store/library_store.h"
#include "support/temp_dir.h"
#include "support/web_forms.h"
#include "support/web_server.h"
#include "support/well_formed_xml.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using nlohmann::json;
using testing::csrf_from;
using testing::set_cookie;

constexpr const char* kPassword = "correct horse battery";

class SecurityServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A title with control characters (legal in the store, illegal in XML 1.0).
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(
        dir_.path(),
        {testing::listed_paper("2401.00010", "2024-01-05", "Graph \x01networks\x0b with\x1f noise"),
         testing::listed_paper("2401.00020", "2024-01-05", "Diffusion models")},
        db_));
    store_ = &db_->papers();
    community_ = &db_->community();
    library_ = &db_->library();
    search::SearchOptions search_options;
    search_options.index_dir = (dir_.path() / "index").string();
    search_options.ranking_index = search::SearchOptions::RankingIndex::kOff;
    auto search = search::open_search_service(*store_, search_options);
    ASSERT_TRUE(search) << search.error().to_string();
    search_ = std::move(*search);
    ServerOptions o;
    o.threads = 8;
    o.access_log = false;
    o.search = search_.get();
    o.community = community_;
    o.library = library_;
    o.library_options.comments_per_window = 3;
    o.library_options.comment_window_s = 3600;
    o.account_options.hash_cost = community::HashCost::kMinimum;
    o.account_options.limits.signups_per_client = 5;
    o.send_mail = [this](const std::string& email, const std::string&, const std::string& body) {
      std::lock_guard lock(mail_mu_);
      mails_.push_back(email + "\n" + body);
    };
    server_ = std::make_unique<testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  httplib::Client client() {
    auto c = server_->client();
    c.set_read_timeout(20, 0);  // a hang fails the test instead of blocking it
    return c;
  }
  // An account made directly in the store (sign-ups through the web are limited per address).
  std::int64_t make_account(const std::string& email) {
    auto hash = community::hash_password(kPassword, community::HashCost::kMinimum);
    EXPECT_TRUE(hash);
    auto id = community_->create_account(email, email, *hash, store::Role::kUser, core::unix_now());
    EXPECT_TRUE(id) << id.error().to_string();
    return id.value_or(0);
  }
  httplib::Result token_login(const std::string& email, const std::string& password) {
    return client().Post("/api/auth/token", json{{"email", email}, {"password", password}}.dump(), "application/json");
  }
  std::string api_token(const std::string& email) {
    auto r = token_login(email, kPassword);
    if (!r || r->status != 200) return "";
    return json::parse(r->body).at("token").get<std::string>();
  }
  // Logs in through the HTML form; returns the session cookie.
  std::string browser_login(const std::string& email) {
    auto c = client();
    auto page = c.Get("/login");
    httplib::Params form = {{"email", email}, {"password", kPassword}, {"csrf", csrf_from(page->body)}};
    auto r = c.Post("/login", {{"Cookie", "pb_csrf=" + set_cookie(page, "pb_csrf")}}, form);
    EXPECT_EQ(r->status, 303) << r->body;
    return set_cookie(r, "pb_session");
  }
  // The session-bound CSRF token a logged-in page carries.
  std::string session_csrf(const std::string& session) {
    auto page = client().Get("/account", {{"Cookie", "pb_session=" + session}});
    return csrf_from(page->body);
  }
  std::vector<std::string> mails() {
    std::lock_guard lock(mail_mu_);
    return mails_;
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::Store* store_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  store::LibraryStore* library_ = nullptr;
  std::unique_ptr<search::SearchService> search_;
  std::unique_ptr<testing::RunningServer> server_;
  std::mutex mail_mu_;
  std::vector<std::string> mails_;
};

// Rows 2 and 3: these hung a render thread forever or read out of bounds.
TEST_F(SecurityServerTest, DatesOutsideTheSupportedYearsAreAClear400AndNothingHangs) {
  auto c = client();
  for (const char* path : {"/papers/date/0000-01-01", "/papers/week/9999-W52", "/papers/month/0000-01",
                           "/papers/week/0999-W01", "/papers/date/0999-12-31.bib", "/api/daily_papers?date=0000-01-01",
                           "/api/daily_papers?week=9999-W52", "/api/daily_papers?month=0000-01"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path << ": no answer";
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_NE(r->body.find("supported dates"), std::string::npos) << path << ": " << r->body.substr(0, 300);
  }
  // The last days, weeks and months inside the bounds render (empty), with no link beyond them.
  for (const char* path : {"/papers/date/9999-12-31", "/papers/date/1000-01-01", "/papers/month/9999-12",
                           "/papers/month/1000-01", "/papers/week/9999-W51", "/papers/week/1000-W02"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path << ": no answer";
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body.find("10000-"), std::string::npos) << path;
  }
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// Row 7: one address (a balancer, a NAT) with many users; one account under attack.
TEST_F(SecurityServerTest, LoginLimitsCountFailuresPerAccountAndLetTheOwnerBackIn) {
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) make_account("user" + std::to_string(i) + "@example.org");
  // 100 distinct accounts from one address: successes are not counted, all get in.
  for (int i = 0; i < 100; ++i) {
    auto r = token_login("user" + std::to_string(i) + "@example.org", kPassword);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << "login " << i << ": " << r->body;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::minutes(1));
  // 20 wrong passwords for one account: the first 5 are checked, then each attempt must wait.
  int checked = 0, slowed = 0;
  std::int64_t retry_after = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = token_login("user7@example.org", "wrong password!");
    ASSERT_TRUE(r);
    if (r->status == 401) ++checked;
    if (r->status == 429) {
      ++slowed;
      ASSERT_TRUE(r->has_header("Retry-After"));
      retry_after = std::stoll(r->get_header_value("Retry-After"));
      EXPECT_NE(r->body.find("try again in"), std::string::npos) << r->body;
    }
  }
  EXPECT_EQ(checked, 5);
  EXPECT_EQ(slowed, 15);
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 2);  // the first delay: 2 s
  // Even the right password waits out the delay (otherwise guessing would not be slowed)...
  auto early = token_login("user7@example.org", kPassword);
  EXPECT_EQ(early->status, 429);
  // ...while other accounts behind the same address are not affected.
  EXPECT_EQ(token_login("user8@example.org", kPassword)->status, 200);
  // The owner gets in once the documented delay (Retry-After) has passed.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after));
  int owner = 0;
  for (int i = 0; i < 20; ++i) {  // the second boundary: at most one more second
    owner = token_login("user7@example.org", kPassword)->status;
    if (owner != 429) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(owner, 200);
  // A success forgets the account's failures: the next wrong password is checked, not delayed.
  EXPECT_EQ(token_login("user7@example.org", "wrong password!")->status, 401);
}

// Row 16: each sign-up costs an argon2id hash.
TEST_F(SecurityServerTest, SignUpsArePerAddressLimited) {
  make_account("taken@example.org");
  int conflicts = 0, limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = client().Post("/api/auth/signup",
                           json{{"email", "taken@example.org"}, {"password", kPassword}, {"name", "x"}}.dump(),
                           "application/json");
    ASSERT_TRUE(r);
    if (r->status == 409) ++conflicts;
    if (r->status == 429) {
      ++limited;
      EXPECT_TRUE(r->has_header("Retry-After"));
    }
  }
  EXPECT_EQ(conflicts, 5);  // this test's limit
  EXPECT_EQ(limited, 3);
}

// Row 16 and item 5: reset requests are limited too (each sends a mail).
TEST_F(SecurityServerTest, PasswordResetRequestsAreLimitedPerEmail) {
  make_account("ada@example.org");
  auto c = client();
  auto page = c.Get("/password/forgot");
  httplib::Headers h = {{"Cookie", "pb_csrf=" + set_cookie(page, "pb_csrf")}};
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    auto r =
        c.Post("/password/forgot", h, httplib::Params{{"email", "ada@example.org"}, {"csrf", csrf_from(page->body)}});
    statuses.push_back(r->status);
    if (r->status == 429) {
      EXPECT_TRUE(r->has_header("Retry-After"));
    }
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 429}));
  EXPECT_EQ(mails().size(), 3u);
}

// Rows 8 and 9: the Host header is the client's to choose.
TEST_F(SecurityServerTest, AbsoluteUrlsNeverComeFromTheHostHeader) {
  make_account("ada@example.org");
  std::string own = "http://127.0.0.1:" + std::to_string(server_->port());
  auto c = client();
  auto page = c.Get("/password/forgot");
  httplib::Headers h = {{"Cookie", "pb_csrf=" + set_cookie(page, "pb_csrf")}, {"Host", "evil.example"}};
  auto r =
      c.Post("/password/forgot", h, httplib::Params{{"email", "ada@example.org"}, {"csrf", csrf_from(page->body)}});
  ASSERT_EQ(r->status, 200) << r->body;
  auto sent = mails();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].find("evil.example"), std::string::npos) << sent[0];
  EXPECT_NE(sent[0].find(own + "/password/reset?token="), std::string::npos) << sent[0];
  // A feed fetched with a forged Host first, then without: neither names the forged host.
  auto poisoned = c.Get("/feeds/category/cs.LG.atom", {{"Host", "evil.example"}});
  auto clean = c.Get("/feeds/category/cs.LG.atom");
  ASSERT_EQ(poisoned->status, 200);
  ASSERT_EQ(clean->status, 200);
  EXPECT_EQ(poisoned->body.find("evil.example"), std::string::npos);
  EXPECT_EQ(clean->body.find("evil.example"), std::string::npos);
  EXPECT_NE(clean->body.find(own + "/feeds/category/cs.LG.atom"), std::string::npos);
}

// Row 11.
TEST_F(SecurityServerTest, FeedsAreWellFormedXmlWhateverTheInput) {
  auto c = client();
  for (const char* path :
       {"/feeds/category/cs.LG.atom", "/feeds/category/cs.LG.rss", "/feeds/daily.atom", "/feeds/search.atom?q=%ff",
        "/feeds/search.rss?q=graph%ff%fe", "/feeds/search.atom?q=a%01b", "/feeds/search.atom?q=%ef%bf%bf%c0%af"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path;
    if (r->status == 400) continue;  // refusing invalid input is fine too; a broken feed is not
    ASSERT_EQ(r->status, 200) << path << ": " << r->body;
    std::string error;
    EXPECT_TRUE(testing::is_well_formed_xml(r->body, &error)) << path << ": " << error;
  }
  auto feed = c.Get("/feeds/category/cs.LG.atom");
  EXPECT_NE(feed->body.find("Graph networks with noise"), std::string::npos) << feed->body;
}

// Rows 12 and 13.
TEST_F(SecurityServerTest, CsrfTokensComeOnlyFromTheBodyOrHeaderAndMatchTheSession) {
  make_account("ada@example.org");
  std::string session = browser_login("ada@example.org");
  std::string token = session_csrf(session);
  ASSERT_FALSE(token.empty());
  auto c = client();
  httplib::Headers cookie = {{"Cookie", "pb_session=" + session}};
  auto in_query = c.Post("/collections?csrf=" + token, cookie, httplib::Params{{"name", "Query"}});
  EXPECT_EQ(in_query->status, 403) << in_query->body;
  auto in_body = c.Post("/collections", cookie, httplib::Params{{"name", "Body"}, {"csrf", token}});
  EXPECT_EQ(in_body->status, 303) << in_body->body;
  httplib::Headers with_header = {{"Cookie", "pb_session=" + session}, {"X-CSRF-Token", token}};
  auto in_header = c.Post("/collections", with_header, httplib::Params{{"name", "Header"}});
  EXPECT_EQ(in_header->status, 303) << in_header->body;
  // An attacker's own anonymous cookie and token, beside the victim's session cookie.
  auto page = c.Get("/login");
  std::string anon = set_cookie(page, "pb_csrf");
  httplib::Headers mixed = {{"Cookie", "pb_session=" + session + "; pb_csrf=" + anon}};
  auto forged = c.Post("/collections", mixed, httplib::Params{{"name", "Forged"}, {"csrf", csrf_from(page->body)}});
  EXPECT_EQ(forged->status, 403) << forged->body;
}

// Row 14.
TEST_F(SecurityServerTest, APasswordResetRevokesApiTokensAndSessions) {
  make_account("ada@example.org");
  std::string token = api_token("ada@example.org");
  ASSERT_FALSE(token.empty());
  std::string session = browser_login("ada@example.org");
  httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  ASSERT_EQ(client().Get("/api/collections", bearer)->status, 200);
  auto c = client();
  auto page = c.Get("/password/forgot");
  std::string anon = "pb_csrf=" + set_cookie(page, "pb_csrf");
  auto r = c.Post("/password/forgot", {{"Cookie", anon}},
                  httplib::Params{{"email", "ada@example.org"}, {"csrf", csrf_from(page->body)}});
  ASSERT_EQ(r->status, 200);
  std::smatch m;
  auto sent = mails();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_TRUE(std::regex_search(sent[0], m, std::regex(R"(token=([^\s]+))")));
  auto reset = c.Post(
      "/password/reset", {{"Cookie", anon}},
      httplib::Params{{"token", m[1].str()}, {"password", "a new long password"}, {"csrf", csrf_from(page->body)}});
  ASSERT_EQ(reset->status, 303) << reset->body;
  EXPECT_EQ(client().Get("/api/collections", bearer)->status, 401);
  auto account = client().Get("/account", {{"Cookie", "pb_session=" + session}});
  EXPECT_EQ(account->status, 303);  // the old session is gone: back to the login page
}

// Row 15.
TEST_F(SecurityServerTest, TheRedirectFilterKeepsRedirectsOnThisSite) {
  make_account("ada@example.org");
  httplib::Headers bearer = {{"Authorization", "Bearer " + api_token("ada@example.org")}};
  for (const char* back : {"/\t/evil.example", "/\\evil.example", "//evil.example", "https://evil.example",
                           "/\n/evil.example", "/ /evil.example", "evil.example", "/\x7f/evil.example", "/a\\b"}) {
    auto r =
        client().Post("/follow", bearer, httplib::Params{{"kind", "category"}, {"value", "cs.LG"}, {"back", back}});
    ASSERT_EQ(r->status, 303) << r->body;
    EXPECT_EQ(r->get_header_value("Location"), "/feed") << "back=" << back;
  }
  auto ok = client().Post(
      "/follow", bearer, httplib::Params{{"kind", "category"}, {"value", "cs.LG"}, {"back", "/papers/2401.00020?x=1"}});
  EXPECT_EQ(ok->get_header_value("Location"), "/papers/2401.00020?x=1");
}

// Row 17: three actions per window in this test's configuration.
TEST_F(SecurityServerTest, CommentEditsShareTheCommentRateLimit) {
  make_account("ada@example.org");
  httplib::Headers bearer = {{"Authorization", "Bearer " + api_token("ada@example.org")}};
  auto posted =
      client().Post("/api/papers/2401.00020/comments", bearer, json{{"body", "First"}}.dump(), "application/json");
  ASSERT_EQ(posted->status, 201) << posted->body;
  std::string id = std::to_string(json::parse(posted->body).at("id").get<std::int64_t>());
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    auto r =
        client().Put("/api/comments/" + id, bearer, json{{"body", std::string(9000, 'x')}}.dump(), "application/json");
    statuses.push_back(r->status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 429, 429}));
}

// Row 18.
TEST_F(SecurityServerTest, ReadingTheSavedCollectionCreatesNothing) {
  std::int64_t id = make_account("ada@example.org");
  httplib::Headers bearer = {{"Authorization", "Bearer " + api_token("ada@example.org")}};
  auto r = client().Get("/api/collections/saved", bearer);
  ASSERT_EQ(r->status, 200) << r->body;
  auto body = json::parse(r->body);
  EXPECT_TRUE(body.at("papers").empty());
  auto mine = library_->collections_of(id);
  ASSERT_TRUE(mine);
  EXPECT_TRUE(mine->empty());
}

// Row 19.
TEST_F(SecurityServerTest, SearchErrorsShowNoInternals) {
  for (const char* q : {"*", "\"", "title:", "NEAR(", "a AND", "(((", "^"}) {
    for (std::string path : {"/api/papers/search?q=", "/search?q="}) {
      auto r = client().Get(path + httplib::detail::encode_query_param(q));
      ASSERT_TRUE(r);
      EXPECT_NE(r->status, 500) << path << q;
      for (const char* internal : {"sqlite", "fts5", "syntax error"}) {
        EXPECT_EQ(r->body.find(internal), std::string::npos) << path << q << ": " << r->body.substr(0, 400);
      }
    }
  }
}

TEST_F(SecurityServerTest, OversizedIngestedFieldsAreRefusedWithTheReason) {
  store::WriteBatch batch;
  batch.papers = {testing::listed_paper("2401.00030", "2024-01-05", std::string(10 * 1024 * 1024, 't'))};
  auto applied = store_->apply(batch);
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message().find("field 'title' is 10485760 bytes, more than the 2000 allowed"),
            std::string::npos)
      << applied.error().to_string();
  EXPECT_EQ(client().Get("/papers/2401.00030")->status, 404);
}

}  // namespace
}  // namespace paperboy::web
