// Submitting papers and curating listings through the real WebServer on 127.0.0.1, with a real
// SQLite database and a fake arXiv API on loopback serving the real Atom fixture
// (support/arxiv_api_server.h): submit via Bearer token, via cookie with and without CSRF token,
// anonymous, unknown and malformed ids, a paper older than the window, duplicates, the per-account
// rate limit; featuring and hiding (curators only) as listings, trending, feeds and the paper page
// show them.
#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "ingest/arxiv_api.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/database.h"
#include "support/arxiv_api_server.h"
#include "support/temp_dir.h"
#include "support/web_forms.h"
#include "support/web_server.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";
constexpr const char* kFixtureTitle = "Generative Reasoning Re-ranker";

std::string first_match(const std::string& html, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(html, m, std::regex(pattern)) ? std::string(m[1]) : std::string();
}

class CurationServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "test.db").string();
    auto opened = store::open_database({.url = db_, .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
    store::WriteBatch batch;
    batch.papers = {testing::listed_paper("2401.00010", "2024-01-05", "Graph networks"),
                    testing::listed_paper("2401.00020", "2024-01-05", "Diffusion models")};
    ASSERT_TRUE(store_->apply(batch));
    community_ = &database_->community();
    curation_ = &database_->curation();
    ingest::HttpClientOptions http_options;
    http_options.min_interval_s = 0;
    http_options.timeout_s = 10;
    http_ = std::make_unique<ingest::HttpClient>(http_options);
    ingest::ArxivApiOptions api_options;
    api_options.api_url = arxiv_.url();
    api_options.retry.max_attempts = 1;
    api_ = std::make_unique<ingest::ArxivApiClient>(*http_, api_options);
    // The fixture paper is from February 2026: a window of 100 years accepts it whatever today is.
    start({.max_age_days = 36500, .per_account = 10, .window_s = 3600});
  }
  void TearDown() override { stop(); }

  void start(community::SubmissionOptions submission) {
    ServerOptions o;
    o.threads = 8;
    o.access_log = false;
    o.community = community_;
    o.curation = curation_;
    o.paper_lookup = [this](std::string_view id) { return api_->fetch_paper(id); };
    o.submission_options = submission;
    o.account_options.hash_cost = community::HashCost::kMinimum;
    server_ = std::make_unique<testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }
  void stop() { server_.reset(); }

  httplib::Client client() { return server_->client(); }

  // Signs up through the API and returns a Bearer token; `role` is set directly in the store, as
  // `paperboy user role` does.
  std::string token_for(const std::string& email, const std::string& name, store::Role role = store::Role::kUser) {
    auto r = client().Post("/api/auth/signup", json{{"email", email}, {"password", kPassword}, {"name", name}}.dump(),
                           "application/json");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
    if (role != store::Role::kUser) {
      auto account = community_->find_account_by_email(email);
      EXPECT_TRUE(account && *account);
      EXPECT_TRUE(community_->set_role((*account)->account.id, role).is_ok());
    }
    auto t =
        client().Post("/api/auth/token", json{{"email", email}, {"password", kPassword}}.dump(), "application/json");
    if (!t || t->status != 200) return "";
    return json::parse(t->body).at("token").get<std::string>();
  }
  // Logs in through the HTML form; returns the session cookie.
  std::string browser_login(const std::string& email) {
    auto c = client();
    auto page = c.Get("/login");
    std::string csrf = first_match(page->body, R"re(name="csrf" value="([^"]+)")re");
    httplib::Params form = {{"email", email}, {"password", kPassword}, {"csrf", csrf}};
    auto r = c.Post("/login", {{"Cookie", "pb_csrf=" + testing::set_cookie(page, "pb_csrf")}}, form);
    EXPECT_EQ(r->status, 303) << r->body;
    return testing::set_cookie(r, "pb_session");
  }
  // The session's CSRF token, as pages carry it in <meta name="csrf-token">.
  std::string session_csrf(const std::string& session) {
    auto page = client().Get("/papers/date/2024-01-05", {{"Cookie", "pb_session=" + session}});
    return first_match(page->body, R"re(name="csrf-token" content="([^"]+)")re");
  }
  httplib::Result submit(const std::string& id, const httplib::Headers& headers) {
    return client().Post("/api/papers/submit", headers, json{{"id", id}}.dump(), "application/json");
  }
  static httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  std::string get(const std::string& path, const httplib::Headers& headers = {}) {
    auto r = client().Get(path, headers);
    EXPECT_TRUE(r && r->status == 200) << path << ": " << (r ? r->body : "no answer");
    return r ? r->body : "";
  }
  static std::string today() { return core::format_iso_date(core::unix_now()); }

  paperboy::testing::TempDir dir_;
  paperboy::testing::ArxivApiServer arxiv_;
  std::string db_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  store::CurationStore* curation_ = nullptr;
  std::unique_ptr<ingest::HttpClient> http_;
  std::unique_ptr<ingest::ArxivApiClient> api_;
  std::unique_ptr<testing::RunningServer> server_;
};

TEST_F(CurationServerTest, BearerSubmitAddsThePaperToTodaysListing) {
  std::string token = token_for("ada@example.org", "Ada Lovelace");
  auto r = submit("https://arxiv.org/abs/2602.07774v3", bearer(token));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json body = json::parse(r->body);
  EXPECT_EQ(body["id"], "2602.07774");
  EXPECT_EQ(body["title"], kFixtureTitle);
  EXPECT_EQ(body["listing_day"], today());
  EXPECT_EQ(body["submitted_by"], "Ada Lovelace");
  EXPECT_EQ(arxiv_.requests(), 1);

  // Today's listing shows it (and the home page is today's listing now), the paper is stored, and
  // its page names the submitter.
  EXPECT_NE(get("/papers/date/" + today()).find(kFixtureTitle), std::string::npos);
  EXPECT_NE(get("/").find(kFixtureTitle), std::string::npos);
  auto stored = store_->get_paper("2602.07774");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->paper.title, kFixtureTitle);
  EXPECT_NE(get("/papers/2602.07774").find("Submitted by Ada Lovelace"), std::string::npos);
  auto api = json::parse(get("/api/daily_papers?date=" + today()));
  ASSERT_EQ(api.size(), 1U);
  EXPECT_EQ(api[0]["paper"]["id"], "2602.07774");
}

TEST_F(CurationServerTest, SubmittingTwiceSaysSoAndKeepsTheFirstSubmitter) {
  std::string ada = token_for("ada@example.org", "Ada");
  std::string bob = token_for("bob@example.org", "Bob");
  ASSERT_EQ(submit("2602.07774", bearer(ada))->status, 201);
  auto again = submit("arXiv:2602.07774", bearer(bob));
  ASSERT_EQ(again->status, 200) << again->body;
  json body = json::parse(again->body);
  EXPECT_EQ(body["submitted_by"], "Ada");
  EXPECT_EQ(body["is_new"], false);
  EXPECT_NE(body["message"].get<std::string>().find("already submitted"), std::string::npos);
  EXPECT_EQ(arxiv_.requests(), 1);  // the stored paper answered; arXiv was not asked again
  EXPECT_EQ(curation_->submissions_between(today(), today())->size(), 1U);
}

TEST_F(CurationServerTest, CookieSubmitNeedsTheCsrfToken) {
  token_for("ada@example.org", "Ada");
  std::string session = browser_login("ada@example.org");
  ASSERT_FALSE(session.empty());
  httplib::Headers cookie = {{"Cookie", "pb_session=" + session}};
  auto refused = submit("2602.07774", cookie);
  EXPECT_EQ(refused->status, 403) << refused->body;
  EXPECT_EQ(arxiv_.requests(), 0);
  std::string csrf = session_csrf(session);
  ASSERT_FALSE(csrf.empty());
  auto wrong = submit("2602.07774", {{"Cookie", "pb_session=" + session}, {"X-CSRF-Token", csrf + "x"}});
  EXPECT_EQ(wrong->status, 403);
  auto ok = submit("2602.07774", {{"Cookie", "pb_session=" + session}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(ok->status, 201) << ok->body;
}

TEST_F(CurationServerTest, SubmitFormShowsForSignedInReadersAndRedirectsToTheListing) {
  EXPECT_EQ(get("/papers/date/2024-01-05").find("action=\"/submit\""), std::string::npos);
  token_for("ada@example.org", "Ada");
  std::string session = browser_login("ada@example.org");
  std::string page = get("/papers/date/2024-01-05", {{"Cookie", "pb_session=" + session}});
  EXPECT_NE(page.find("action=\"/submit\""), std::string::npos);
  std::string csrf = first_match(page, R"re(action="/submit">\s*<input type="hidden" name="csrf" value="([^"]+)")re");
  ASSERT_FALSE(csrf.empty());
  auto no_token =
      client().Post("/submit", {{"Cookie", "pb_session=" + session}}, httplib::Params{{"id", "2602.07774"}});
  EXPECT_EQ(no_token->status, 403);
  auto r = client().Post("/submit", {{"Cookie", "pb_session=" + session}},
                         httplib::Params{{"id", "2602.07774"}, {"csrf", csrf}});
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(r->get_header_value("Location"), "/papers/date/" + today() + "#p-2602-07774");
}

TEST_F(CurationServerTest, ASearchedIdNotHereOffersToFetchItFromArxiv) {
  const std::string search = "/search?q=https%3A%2F%2Farxiv.org%2Fabs%2F2602.07774v1";
  auto anonymous = client().Get(search);
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 404);
  EXPECT_NE(anonymous->body.find("arXiv:2602.07774 is not on this server"), std::string::npos);
  EXPECT_NE(anonymous->body.find("to fetch it from arXiv"), std::string::npos);
  EXPECT_NE(anonymous->body.find("href=\"https://arxiv.org/abs/2602.07774\""), std::string::npos);
  token_for("ada@example.org", "Ada");
  std::string session = browser_login("ada@example.org");
  auto signed_in = client().Get(search, {{"Cookie", "pb_session=" + session}});
  ASSERT_EQ(signed_in->status, 404);
  EXPECT_NE(signed_in->body.find("viewer-name"), std::string::npos) << "the 404 keeps the account navigation";
  std::string csrf = first_match(
      signed_in->body, R"re(action="/submit" class="inline"><input type="hidden" name="csrf" value="([^"]+)")re");
  ASSERT_FALSE(csrf.empty()) << signed_in->body;
  EXPECT_NE(signed_in->body.find("name=\"id\" value=\"2602.07774\""), std::string::npos);
  auto fetched = client().Post("/submit", {{"Cookie", "pb_session=" + session}},
                               httplib::Params{{"id", "2602.07774"}, {"csrf", csrf}});
  ASSERT_EQ(fetched->status, 303) << fetched->body;
  auto found = client().Get(search);
  ASSERT_EQ(found->status, 303);
  EXPECT_EQ(found->get_header_value("Location"), "/papers/2602.07774");
}

TEST_F(CurationServerTest, AnonymousUnknownAndMalformedSubmissionsAreRefused) {
  auto anonymous = submit("2602.07774", {});
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;
  std::string token = token_for("ada@example.org", "Ada");
  auto unknown = submit("2611.99999", bearer(token));
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_NE(unknown->body.find("2611.99999"), std::string::npos);
  auto malformed = submit("not a paper", bearer(token));
  EXPECT_EQ(malformed->status, 400) << malformed->body;
  EXPECT_NE(malformed->body.find("is not an arXiv id"), std::string::npos);
  auto missing = client().Post("/api/papers/submit", bearer(token), "{}", "application/json");
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(arxiv_.requests(), 1);  // only the well-formed unknown id reached arXiv
  EXPECT_TRUE(curation_->submissions_between("0000-00-00", "9999-99-99")->empty());
}

TEST_F(CurationServerTest, PapersOlderThanTheWindowAreRefusedWithTheReason) {
  stop();
  start({.max_age_days = 14, .per_account = 10, .window_s = 3600});
  std::string token = token_for("ada@example.org", "Ada");
  auto r = submit("2602.07774", bearer(token));
  ASSERT_EQ(r->status, 400) << r->body;
  std::string error = json::parse(r->body)["error"];
  EXPECT_NE(error.find("first published on 2026-02-08"), std::string::npos) << error;
  EXPECT_NE(error.find("at most 14 days old"), std::string::npos) << error;
  EXPECT_FALSE(*store_->get_paper("2602.07774"));  // neither stored nor listed
  EXPECT_TRUE(curation_->submissions_between("0000-00-00", "9999-99-99")->empty());
}

// A refused form submission is shown on the submit form (issue 16 item 7): what was typed stays,
// the age rule is explained, the paper is linked when Paperboy has it, and the header keeps the
// account.
TEST_F(CurationServerTest, RefusedFormSubmissionIsExplainedOnTheFormWithTheInputKept) {
  stop();
  start({.max_age_days = 14, .per_account = 10, .window_s = 3600});
  token_for("ada@example.org", "Ada");
  std::string session = browser_login("ada@example.org");
  std::string typed = "https://arxiv.org/abs/2401.00010";
  auto r = client().Post("/submit", {{"Cookie", "pb_session=" + session}},
                         httplib::Params{{"id", typed}, {"csrf", session_csrf(session)}});
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("action=\"/submit\""), std::string::npos);
  EXPECT_NE(r->body.find("value=\"" + typed + "\""), std::string::npos);
  EXPECT_NE(r->body.find("only papers at most 14 days old can be submitted"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("at most 14 days old can be submitted; older papers arrive"), std::string::npos);
  EXPECT_NE(r->body.find("<a href=\"/papers/2401.00010\">Graph networks</a>"), std::string::npos);
  EXPECT_NE(r->body.find("class=\"viewer-name\""), std::string::npos);
  auto malformed = client().Post("/submit", {{"Cookie", "pb_session=" + session}},
                                 httplib::Params{{"id", "not a paper"}, {"csrf", session_csrf(session)}});
  ASSERT_EQ(malformed->status, 400);
  EXPECT_NE(malformed->body.find("value=\"not a paper\""), std::string::npos);
  EXPECT_NE(malformed->body.find("is not an arXiv id"), std::string::npos);
}

TEST_F(CurationServerTest, SubmissionsAreRateLimitedPerAccount) {
  stop();
  start({.max_age_days = 36500, .per_account = 2, .window_s = 3600});
  std::string ada = token_for("ada@example.org", "Ada");
  std::string bob = token_for("bob@example.org", "Bob");
  EXPECT_EQ(submit("2611.99998", bearer(ada))->status, 404);
  EXPECT_EQ(submit("2611.99997", bearer(ada))->status, 404);
  auto limited = submit("2602.07774", bearer(ada));
  EXPECT_EQ(limited->status, 429) << limited->body;
  EXPECT_EQ(submit("2602.07774", bearer(bob))->status, 201);  // another account is not limited
}

TEST_F(CurationServerTest, OnlyCuratorsHideAndHiddenPapersLeaveListingsNotTheirPage) {
  std::string user = token_for("ada@example.org", "Ada");
  std::string curator = token_for("cora@example.org", "Cora", store::Role::kCurator);
  // Cached copies of the pages first: hiding must invalidate them.
  ASSERT_NE(get("/papers/date/2024-01-05").find("Graph networks"), std::string::npos);
  ASSERT_NE(get("/feeds/daily.atom").find("Graph networks"), std::string::npos);

  auto denied = client().Post("/api/papers/2401.00010/hide", bearer(user), "", "application/json");
  EXPECT_EQ(denied->status, 403) << denied->body;
  auto anonymous = client().Post("/api/papers/2401.00010/hide", "", "application/json");
  EXPECT_EQ(anonymous->status, 401);
  auto hidden = client().Post("/api/papers/2401.00010/hide", bearer(curator), "", "application/json");
  ASSERT_EQ(hidden->status, 200) << hidden->body;
  EXPECT_EQ(json::parse(hidden->body)["is_hidden"], true);

  std::string listing = get("/papers/date/2024-01-05");
  EXPECT_EQ(listing.find("Graph networks"), std::string::npos);
  EXPECT_NE(listing.find("Diffusion models"), std::string::npos);
  EXPECT_NE(listing.find("1 paper"), std::string::npos);
  EXPECT_EQ(get("/feeds/daily.atom").find("Graph networks"), std::string::npos);
  EXPECT_EQ(get("/trending").find("Graph networks"), std::string::npos);
  EXPECT_EQ(get("/categories/cs.LG").find("Graph networks"), std::string::npos);
  EXPECT_EQ(get("/api/daily_papers?date=2024-01-05").find("Graph networks"), std::string::npos);
  // The page by id stays; curators are told it is hidden, readers are not.
  std::string page = get("/papers/2401.00010");
  EXPECT_NE(page.find("Graph networks"), std::string::npos);
  EXPECT_EQ(page.find("Hidden by curators"), std::string::npos);
  std::string session = browser_login("cora@example.org");
  EXPECT_NE(get("/papers/2401.00010", {{"Cookie", "pb_session=" + session}}).find("Hidden by curators"),
            std::string::npos);

  auto unhidden = client().Post("/api/papers/2401.00010/unhide", bearer(curator), "", "application/json");
  ASSERT_EQ(unhidden->status, 200);
  EXPECT_NE(get("/papers/date/2024-01-05").find("Graph networks"), std::string::npos);
}

TEST_F(CurationServerTest, FeaturedPapersAreMarkedAndListedFirst) {
  std::string curator = token_for("cora@example.org", "Cora", store::Role::kAdmin);
  std::string before = get("/papers/date/2024-01-05");
  ASSERT_LT(before.find("Diffusion models"), before.find("Graph networks"));  // newest first
  EXPECT_EQ(before.find("badge featured"), std::string::npos);
  auto r = client().Post("/api/papers/2401.00010/feature", bearer(curator), "", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["is_featured"], true);
  std::string after = get("/papers/date/2024-01-05");
  EXPECT_LT(after.find("Graph networks"), after.find("Diffusion models"));
  EXPECT_LT(after.find("badge featured"), after.find("Graph networks"));
  EXPECT_NE(after.find("2 papers"), std::string::npos);  // listed once, not twice
  auto unknown = client().Post("/api/papers/2412.99999/feature", bearer(curator), "", "application/json");
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(CurationServerTest, CuratorButtonsPostWithCsrfAndRedirectToThePaper) {
  token_for("cora@example.org", "Cora", store::Role::kCurator);
  token_for("ada@example.org", "Ada");
  std::string ada = browser_login("ada@example.org");
  EXPECT_EQ(get("/papers/2401.00020", {{"Cookie", "pb_session=" + ada}}).find("/curation"), std::string::npos);
  std::string cora = browser_login("cora@example.org");
  std::string page = get("/papers/2401.00020", {{"Cookie", "pb_session=" + cora}});
  std::string csrf = first_match(
      page, R"re(action="/papers/2401.00020/curation"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)")re");
  ASSERT_FALSE(csrf.empty()) << page;
  auto forged = client().Post("/papers/2401.00020/curation", {{"Cookie", "pb_session=" + cora}},
                              httplib::Params{{"action", "hide"}});
  EXPECT_EQ(forged->status, 403);
  auto r = client().Post("/papers/2401.00020/curation", {{"Cookie", "pb_session=" + cora}},
                         httplib::Params{{"action", "hide"}, {"csrf", csrf}});
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(r->get_header_value("Location"), "/papers/2401.00020");
  EXPECT_EQ(*curation_->flagged(store::CurationFlag::kHidden), (std::vector<std::string>{"2401.00020"}));
  // A user with a valid token of their own is still not a curator.
  std::string ada_csrf = session_csrf(ada);
  auto user = client().Post("/papers/2401.00020/curation", {{"Cookie", "pb_session=" + ada}},
                            httplib::Params{{"action", "unhide"}, {"csrf", ada_csrf}});
  EXPECT_EQ(user->status, 403);
}

}  // namespace
}  // namespace paperboy::web
