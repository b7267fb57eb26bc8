// The paper page and the flows around it (issue 16 items 6 and 7) through the real WebServer on
// 127.0.0.1 with a real SQLite database: link-preview tags (og:, twitter:) escaped, plain-text tab
// titles, plain version dates, linked URLs in arXiv's free-text fields, the favicon, one save
// control that creates a collection from a typed name, login that returns to a validated `next`,
// and error pages that keep the reader's account in the header.
#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "store/community_store.h"
#include "store/database.h"
#include "store/library_store.h"
#include "support/temp_dir.h"
#include "support/web_forms.h"
#include "support/web_server.h"
#include "web/page_text.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

using nlohmann::json;
using testing::csrf_from;
using testing::set_cookie;

constexpr const char* kPassword = "correct horse battery";

core::Paper tex_paper() {
  core::Paper p = testing::listed_paper("2401.00010", "2024-01-05", R"(Sorting in $\mathcal{O}(n)$ "fast" <time>)");
  p.abstract = R"(We sort for \$5 in $\mathcal{O}(n \log n)$ steps & more.)";
  p.comments = "12 pages; code at https://example.org/code?a=1&b=2. See also (https://example.org/x).";
  p.journal_ref = "J. Sorting 1 (2024), https://journal.example/\"onmouseover=alert(1)";
  p.versions = {{1, *core::parse_iso8601("2024-01-05")}, {2, *core::parse_iso8601("2024-06-30T12:00:00Z")}};
  return p;
}

class PaperPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(
        dir_.path(), {tex_paper(), testing::listed_paper("2401.00020", "2024-01-06", "Diffusion models")}, db_));
    library_ = &db_->library();
    community_ = &db_->community();
    ServerOptions o;
    o.threads = 4;
    o.access_log = false;
    o.public_url = "https://papers.example.org";
    o.community = community_;
    o.library = library_;
    o.account_options.hash_cost = community::HashCost::kMinimum;
    server_ = std::make_unique<testing::RunningServer>(db_->papers(), o);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  httplib::Client client() { return server_->client(); }
  void sign_up(const std::string& email, const std::string& name) {
    auto r = client().Post("/api/auth/signup", json{{"email", email}, {"password", kPassword}, {"name", name}}.dump(),
                           "application/json");
    ASSERT_EQ(r->status, 201) << r->body;
  }
  // Logs in through the form with `next` (as the login page carries it); returns the reply.
  httplib::Result form_login(const std::string& email, const std::string& next) {
    auto c = client();
    auto page = c.Get(next.empty() ? "/login" : "/login?next=" + url_encode(next));
    httplib::Params form = {{"email", email}, {"password", kPassword}, {"csrf", csrf_from(page->body)}};
    if (!next.empty()) form.emplace("next", next);
    return c.Post("/login", {{"Cookie", "pb_csrf=" + set_cookie(page, "pb_csrf")}}, form);
  }
  httplib::Headers session(const std::string& email) {
    auto r = form_login(email, "");
    EXPECT_EQ(r->status, 303);
    return {{"Cookie", "pb_session=" + set_cookie(r, "pb_session")}};
  }
  static std::string url_encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
        out += static_cast<char>(c);
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::LibraryStore* library_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  std::unique_ptr<testing::RunningServer> server_;
};

TEST(PageText, StripsTexFromTitlesAndKeepsTheWords) {
  EXPECT_EQ(plain_text_from_tex(R"($\mathcal{O}(n)$ sorting)"), "O(n) sorting");
  EXPECT_EQ(plain_text_from_tex(R"(Costs \$5 \& more with $\alpha_{i}^2$)"), "Costs $5 & more with αi2");
  EXPECT_EQ(plain_text_from_tex(R"(\textbf{Bold} {\em claims})"), "Bold claims");
  EXPECT_EQ(plain_text_from_tex("no  tex\nat all"), "no tex at all");
}

TEST(PageText, DatesCountsAndRelativeTimesReadPlainly) {
  EXPECT_EQ(plain_date(*core::parse_iso8601("2026-06-30T23:59:59Z")), "30 Jun 2026");
  EXPECT_EQ(count_noun(1, "paper", "papers"), "1 paper");
  EXPECT_EQ(count_noun(0, "paper", "papers"), "0 papers");
  std::int64_t now = 1'800'000'000;
  EXPECT_EQ(relative_time(now - 10, now), "just now");
  EXPECT_EQ(relative_time(now - 3 * 3600 - 5, now), "3 hours ago");
  EXPECT_EQ(relative_time(now - 60, now), "1 minute ago");
  EXPECT_EQ(relative_time(now - 86400 - 10, now), "yesterday");
  EXPECT_EQ(relative_time(now - 90 * 86400, now), plain_date(now - 90 * 86400));
}

TEST(PageText, LinksUrlsInFreeTextAndEscapesTheRest) {
  EXPECT_EQ(linked_text_html("see https://a.example/x?y=1&z=2. <b>"),
            "see <a href=\"https://a.example/x?y=1&amp;z=2\" rel=\"nofollow noopener\">https://a.example/x?y=1&amp;z=2"
            "</a>. &lt;b&gt;");
  EXPECT_EQ(linked_text_html("javascript:alert(1) httpx://no"), "javascript:alert(1) httpx://no");
  EXPECT_EQ(abstract_html(R"(\$5 and $\$x$ <)"), R"(<span class="tex-dollar">$</span>5 and $\$x$ &lt;)");
}

TEST_F(PaperPageTest, LinkPreviewTagsArePresentAndEscaped) {
  auto r = client().Get("/papers/2401.00010");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string& html = r->body;
  std::string title = "Sorting in O(n) &quot;fast&quot; &lt;time&gt;";
  EXPECT_NE(html.find("<meta property=\"og:title\" content=\"" + title + "\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<meta property=\"og:description\" content=\"We sort for $5 in O(n log n) steps &amp; more.\">"),
            std::string::npos);
  EXPECT_NE(html.find("<meta property=\"og:url\" content=\"https://papers.example.org/papers/2401.00010\">"),
            std::string::npos);
  EXPECT_NE(html.find("<meta property=\"og:type\" content=\"article\">"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"twitter:card\" content=\"summary\">"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"description\" content=\"We sort for $5"), std::string::npos);
  // The tab title is plain text; the heading keeps the TeX for KaTeX.
  EXPECT_NE(html.find("<title>" + title + " · Paperboy</title>"), std::string::npos);
  EXPECT_NE(html.find(R"(Sorting in $\mathcal{O}(n)$)"), std::string::npos);
  EXPECT_EQ(html.find("<time>"), std::string::npos);
  // An escaped dollar in the abstract is shown as a dollar that KaTeX leaves alone.
  EXPECT_NE(html.find(R"(for <span class="tex-dollar">$</span>5 in $\mathcal{O}(n \log n)$)"), std::string::npos);
}

TEST_F(PaperPageTest, VersionsHavePlainDatesAndFreeTextUrlsAreLinkedSafely) {
  std::string html = client().Get("/papers/2401.00010")->body;
  EXPECT_NE(html.find("<time datetime=\"2024-01-05T00:00:00Z\">5 Jan 2024</time>"), std::string::npos) << html;
  EXPECT_NE(html.find("<time datetime=\"2024-06-30T12:00:00Z\">30 Jun 2024</time>"), std::string::npos);
  EXPECT_EQ(html.find("GMT"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://example.org/code?a=1&amp;b=2\" rel=\"nofollow noopener\">"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://example.org/x\" rel=\"nofollow noopener\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://journal.example/\" rel=\"nofollow noopener\">"), std::string::npos);
  EXPECT_EQ(html.find("\"onmouseover"), std::string::npos);
  // Comments come before similar papers; the actions sit in the side column.
  EXPECT_LT(html.find("id=\"comments\""), html.find("id=\"similar-h\""));
  EXPECT_LT(html.find("class=\"abstract\""), html.find("class=\"paper-side\""));
}

TEST_F(PaperPageTest, FaviconIsARealIconAndEveryPageNamesIt) {
  auto icon = client().Get("/favicon.ico");
  ASSERT_EQ(icon->status, 200);
  EXPECT_TRUE(icon->get_header_value("Content-Type").starts_with("image/")) << icon->get_header_value("Content-Type");
  EXPECT_NE(icon->body.find("<svg"), std::string::npos);
  for (const char* path : {"/", "/papers/2401.00010", "/login", "/no/such/page"}) {
    auto page = client().Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_NE(page->body.find("<link rel=\"icon\" href=\"/static/favicon."), std::string::npos) << path;
    EXPECT_NE(page->body.find("<meta name=\"description\" content=\""), std::string::npos) << path;
  }
}

TEST_F(PaperPageTest, ATypedCollectionNameCreatesTheCollectionAndSavesWhateverTheList) {
  sign_up("ada@example.org", "Ada");
  auto cookie = session("ada@example.org");
  auto page = client().Get("/papers/2401.00010", cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<option value=\"saved\">Saved</option>"), std::string::npos);
  // The list still on its first choice ("Saved"), a name typed and "Public" ticked.
  httplib::Params form = {{"csrf", csrf_from(page->body)}, {"paper", "2401.00010"}, {"collection", "saved"},
                          {"name", "Reading group"},       {"public", "on"},        {"back", "/papers/2401.00010"}};
  auto r = client().Post("/collections/save", cookie, form);
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(r->get_header_value("Location"), "/papers/2401.00010");
  auto account = community_->find_account_by_email("ada@example.org");
  auto mine = library_->collections_of((*account)->account.id);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).name, "Reading group");
  EXPECT_TRUE(mine->at(0).is_public);
  EXPECT_EQ(mine->at(0).paper_count, 1);
  // The same name again means the same collection, not an "already exists" error.
  form = {{"csrf", csrf_from(page->body)}, {"paper", "2401.00020"}, {"collection", "new"}, {"name", " Reading group "}};
  r = client().Post("/collections/save", cookie, form);
  ASSERT_EQ(r->status, 303) << r->body;
  mine = library_->collections_of((*account)->account.id);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).paper_count, 2);
  // A refused name comes back to the form with the reason beside the field and the input kept.
  form = {{"csrf", csrf_from(page->body)},
          {"paper", "2401.00020"},
          {"collection", "new"},
          {"name", std::string(101, 'x')},
          {"back", "/papers/2401.00020"}};
  r = client().Post("/collections/save", cookie, form);
  ASSERT_EQ(r->status, 303);
  std::string location = r->get_header_value("Location");  // httplib decodes it
  EXPECT_TRUE(location.starts_with("/papers/2401.00020?save_error=name&name=xxx")) << location;
  auto again = client().Get("/papers/2401.00020?save_error=name&name=" + std::string(100, 'x'), cookie);
  EXPECT_NE(again->body.find("role=\"alert\">Name the new collection"), std::string::npos);
  EXPECT_NE(again->body.find("value=\"" + std::string(100, 'x') + "\""), std::string::npos);
  EXPECT_NE(again->body.find("aria-invalid=\"true\""), std::string::npos);
  // "New collection" with no name and no way back to a form: an error page that keeps the account.
  form = {{"csrf", csrf_from(page->body)}, {"paper", "2401.00020"}, {"collection", "new"}, {"name", ""}};
  r = client().Post("/collections/save", cookie, form);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("class=\"viewer-name\""), std::string::npos);
}

TEST_F(PaperPageTest, LoginReturnsToASameSiteNextAndRefusesOthers) {
  sign_up("ada@example.org", "Ada");
  auto login_page = client().Get("/login?next=%2Fpapers%2F2401.00010&why=upvote");
  EXPECT_NE(login_page->body.find("Log in to upvote"), std::string::npos);
  EXPECT_NE(login_page->body.find("name=\"next\" value=\"/papers/2401.00010\""), std::string::npos);
  EXPECT_NE(login_page->body.find("href=\"/signup?next=%2Fpapers%2F2401.00010\""), std::string::npos);
  auto r = form_login("ada@example.org", "/papers/2401.00010?x=1#comments");
  ASSERT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/papers/2401.00010?x=1#comments");
  for (const char* evil : {"//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
                           "javascript:alert(1)", "/login"}) {
    auto refused = form_login("ada@example.org", evil);
    ASSERT_EQ(refused->status, 303) << evil;
    EXPECT_EQ(refused->get_header_value("Location"), "/") << evil;
  }
  // A page that needs an account sends the reader to log in and back.
  auto needs = client().Get("/collections?x=1");
  ASSERT_EQ(needs->status, 303);
  // (httplib percent-decodes Location headers: the server sent /login?next=%2Fcollections%3Fx%3D1.)
  EXPECT_EQ(needs->get_header_value("Location"), "/login?next=/collections?x=1");
  // Logged-out actions on the paper page say what logging in is for, and come back.
  std::string paper = client().Get("/papers/2401.00010")->body;
  EXPECT_NE(paper.find("title=\"Log in to upvote\""), std::string::npos);
  EXPECT_NE(paper.find("href=\"/login?next=%2Fpapers%2F2401.00010&amp;why=save\">Log in to save"), std::string::npos);
  EXPECT_NE(paper.find("href=\"/login?next=%2Fpapers%2F2401.00010%23comments&amp;why=comment\">Log in to comment"),
            std::string::npos);
  EXPECT_NE(paper.find("href=\"/login?next=%2Fpapers%2F2401.00010\">Log in</a>"), std::string::npos);
}

TEST_F(PaperPageTest, CommentsShowRelativeTimesWithTheExactTimeOnHover) {
  sign_up("ada@example.org", "Ada");
  auto cookie = session("ada@example.org");
  std::string csrf = csrf_from(client().Get("/papers/2401.00010", cookie)->body);
  auto posted = client().Post("/papers/2401.00010/comments", cookie, httplib::Params{{"csrf", csrf}, {"body", "Nice"}});
  ASSERT_EQ(posted->status, 303) << posted->body;
  std::string html = client().Get("/papers/2401.00010")->body;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(html, m, std::regex(R"re(<time datetime="([0-9T:Z-]+)" title="([^"]+)">([^<]+)</time>)re")))
      << html;
  EXPECT_EQ(m[3], "just now");
  EXPECT_TRUE(std::string(m[2]).ends_with(" UTC")) << m[2];
  EXPECT_EQ(html.find("GMT"), std::string::npos);
}

TEST_F(PaperPageTest, ErrorPagesKeepTheReadersAccountInTheHeader) {
  sign_up("ada@example.org", "Ada");
  auto cookie = session("ada@example.org");
  for (const char* path : {"/no/such/page", "/papers/2401.99999", "/papers/not-an-id", "/papers/month/2024-13"}) {
    auto r = client().Get(path, cookie);
    ASSERT_TRUE(r) << path;
    EXPECT_GE(r->status, 400) << path;
    EXPECT_NE(r->body.find("<a href=\"/account\" class=\"viewer-name\">Ada</a>"), std::string::npos) << path;
    EXPECT_EQ(r->body.find(">Log in</a>"), std::string::npos) << path;
    auto anonymous = client().Get(path);
    EXPECT_NE(anonymous->body.find(">Log in</a>"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace paperboy::web
