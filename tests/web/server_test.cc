// Integration tests: the real WebServer on 127.0.0.1 over a real SQLite store filled through
// Store::apply, talked to with an HTTP client. Feeds are checked with Debian's python3-feedparser
// and BibTeX with python3-pybtex (real parsers, run as processes).
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "store/database.h"
#include "support/process.h"
#include "support/web_server.h"
#include "web/html.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

namespace fs = std::filesystem;

core::Paper make_paper(const std::string& id, const std::string& day, const std::vector<std::string>& cats,
                       const std::string& title) {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.abstract = "Abstract of " + title + " with $x^2$ math.";
  p.authors = {{"Lovelace", "Ada", ""}, {"Turing", "Alan", ""}};
  p.categories = cats;
  auto t = core::parse_iso8601(day);
  p.versions = {{1, *t}};
  p.update_date = day;
  return p;
}

// A tiny SearchService double: matches a query word against titles; "similar" returns the other
// papers in store order. Only the web layer's use of the interface is under test here.
class TitleSearch final : public search::SearchService {
 public:
  explicit TitleSearch(std::vector<store::StoredPaper> papers) : papers_(std::move(papers)) {}
  Result<search::SearchResponse> search(const search::SearchRequest& r) override {
    if (r.query == "((") return fail(Status::invalid_argument("unbalanced parenthesis at 1"));
    if (r.query == "sqlerror") return fail(Status::invalid_argument("sqlite: fts5: syntax error near \"\"\""));
    {
      std::lock_guard lock(mu_);
      last_request = r;
    }
    if (!suggestion.empty() && r.correct_typos && r.query != suggestion) {
      search::SearchRequest corrected = r;
      corrected.query = suggestion;
      auto out = search(corrected);
      if (out) {
        out->suggestion = suggestion;
        out->shows_suggestion = true;
      }
      return out;
    }
    ++calls;
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    search::SearchResponse out;
    for (const auto& sp : papers_) {
      std::string title = sp.paper.title;
      std::transform(title.begin(), title.end(), title.begin(), ::tolower);
      if (title.find(r.query) != std::string::npos) {
        out.hits.push_back({sp.doc_id, sp.paper.id, 1.0, 1, 0, 1.0, 0});
      }
    }
    out.total = fixed_total > 0 ? fixed_total : static_cast<std::int64_t>(out.hits.size());
    if (!suggestion.empty() && r.query != suggestion) out.suggestion = suggestion;
    out.highlight_terms = {r.query};
    out.explanation = "title contains '" + r.query + "' (" + std::to_string(static_cast<int>(r.mode)) + ")";
    last_mode = r.mode;
    return out;
  }
  Result<std::vector<search::SearchHit>> similar(std::string_view id, int limit) override {
    std::vector<search::SearchHit> out;
    for (const auto& sp : papers_) {
      if (sp.paper.id != id && static_cast<int>(out.size()) < limit) out.push_back({sp.doc_id, sp.paper.id, 0.5});
    }
    return out;
  }
  Result<std::vector<search::SearchHit>> more_like(std::span<const std::string>, int) override { return {}; }
  Status catch_up() override { return Status::ok(); }
  // No vectors: the double has no semantic model (as a service before training).
  Result<std::vector<std::vector<float>>> vectors_of(std::span<const std::int64_t> ids) override {
    return std::vector<std::vector<float>>(ids.size());
  }
  Result<std::vector<search::SearchHit>> nearest(const std::vector<float>&, int, std::int64_t, std::int64_t) override {
    return std::vector<search::SearchHit>{};
  }
  int vector_dimension() override { return 0; }
  search::Mode last_mode = search::Mode::kHybrid;
  search::SearchRequest last_request;
  std::int64_t fixed_total = 0;  // > 0: the total every search answers
  std::string suggestion;        // set: "did you mean" this, and its results when the query finds nothing
  std::atomic<int> calls{0};
  std::atomic<int> delay_ms{0};

 private:
  std::mutex mu_;
  std::vector<store::StoredPaper> papers_;
};

class WebServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("paperboy-web-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto opened = store::open_database({.url = (dir_ / "test.db").string(), .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
    store::WriteBatch batch;
    batch.papers = {
        make_paper("2401.00010", "2024-01-01", {"cs.LG"}, "Graph networks for weather"),
        make_paper("2401.00020", "2024-01-04", {"cs.CV", "cs.LG"}, "Diffusion models for images"),
        make_paper("2401.00030", "2024-01-05", {"cs.CV"}, "Vision transformers revisited"),
        make_paper("2401.00040", "2024-01-05", {"math.AG"}, "Curves over finite fields"),
        make_paper("2401.00050", "2024-01-08", {"cs.LG"}, "Scaling laws for diffusion"),
    };
    core::Paper evil =
        make_paper("2401.00060", "2024-01-05", {"cs.CR"}, "<script>alert(1)</script> & \"quotes\" $\\alpha<\\beta$");
    evil.abstract =
        "Abstract with <script>document.title='pwned'</script> & <b>bold</b> and $a < b$. Code: "
        "https://github.com/evil/repo";
    evil.comments = "12 pages";
    batch.papers.push_back(evil);
    batch.papers[1].doi = "10.1000/Diffusion.2024";
    auto applied = store_->apply(batch);
    ASSERT_TRUE(applied) << applied.error().to_string();
    auto all = store_->list_papers({"", "", {}, 100, 0});
    ASSERT_TRUE(all);
    search_ = std::make_unique<TitleSearch>(*all);
  }

  void start(bool with_search = true) {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 4;
    o.access_log = false;
    o.search = with_search ? search_.get() : nullptr;
    o.katex_dir = paperboy::testing::paperboy_source_dir() + "/node_modules/katex/dist";
    server_ = std::make_unique<paperboy::testing::RunningServer>(*store_, o);
    ASSERT_TRUE(server_->ok()) << server_->error();
    port_ = server_->port();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }

  void TearDown() override {
    server_.reset();
    store_ = nullptr;
    database_.reset();
    fs::remove_all(dir_);
  }

  httplib::Result get(const std::string& path, const httplib::Headers& h = {}) { return client_->Get(path, h); }

  // Runs a Python snippet on a file with Debian's python3 (which has feedparser and pybtex).
  int run_python(const std::string& code, const std::string& body) {
    fs::path f = dir_ / "payload";
    std::ofstream(f, std::ios::binary) << body;
    fs::path script = dir_ / "check.py";
    std::ofstream(script) << code;
    std::string cmd = "/usr/bin/python3 " + script.string() + " " + f.string();
    return std::system(cmd.c_str());
  }

  fs::path dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  std::unique_ptr<TitleSearch> search_;
  std::unique_ptr<paperboy::testing::RunningServer> server_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebServerTest, HomeShowsTheNewestListingDayWithNavigation) {
  start();
  auto r = get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("Monday, 8 January 2024"), std::string::npos);
  EXPECT_NE(r->body.find("Scaling laws for diffusion"), std::string::npos);
  EXPECT_EQ(r->body.find("Vision transformers"), std::string::npos);
  // Previous skips the empty weekend.
  EXPECT_NE(r->body.find("rel=\"prev\" href=\"/papers/date/2024-01-05\""), std::string::npos);
  EXPECT_NE(r->body.find("Get trending papers in your inbox"), std::string::npos);
}

TEST_F(WebServerTest, DayWeekAndMonthListingsHoldTheirPapers) {
  start();
  auto day = get("/papers/date/2024-01-05");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->status, 200);
  EXPECT_NE(day->body.find("Vision transformers revisited"), std::string::npos);
  EXPECT_NE(day->body.find("rel=\"next\" href=\"/papers/date/2024-01-08\""), std::string::npos);
  EXPECT_NE(day->body.find("rel=\"prev\" href=\"/papers/date/2024-01-04\""), std::string::npos);
  auto week = get("/papers/week/2024-W01");
  ASSERT_TRUE(week);
  EXPECT_NE(week->body.find("Graph networks for weather"), std::string::npos);
  EXPECT_EQ(week->body.find("Scaling laws"), std::string::npos);  // 8 January is in week 2
  EXPECT_NE(week->body.find("href=\"/papers/week/2024-W02\""), std::string::npos);
  auto month = get("/papers/month/2024-01");
  ASSERT_TRUE(month);
  EXPECT_NE(month->body.find("6 papers"), std::string::npos);
  EXPECT_EQ(get("/papers/date/2024-02-30")->status, 400);
}

TEST_F(WebServerTest, CategoryFilterAcceptsSeveralCategories) {
  start();
  auto one = get("/papers/month/2024-01?cat=cs.CV");
  ASSERT_TRUE(one);
  EXPECT_NE(one->body.find("2 papers"), std::string::npos);
  EXPECT_EQ(one->body.find("Curves over finite fields"), std::string::npos);
  auto two = get("/papers/month/2024-01?cat=cs.CV&cat=math.AG");
  EXPECT_NE(two->body.find("3 papers"), std::string::npos);
  EXPECT_EQ(get("/papers/month/2024-01?cat=%3Cx%3E")->status, 400);
}

TEST_F(WebServerTest, HostilePaperTextIsEscapedEverywhere) {
  start();
  for (std::string path : {"/papers/date/2024-01-05", "/papers/2401.00060", "/search?q=script"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body.find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("<script>document"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("<b>bold"), std::string::npos) << path;
    bool escaped = r->body.find("&lt;script&gt;") != std::string::npos ||
                   r->body.find("&lt;<mark>script</mark>&gt;") != std::string::npos;
    EXPECT_TRUE(escaped) << path;
  }
  auto page = get("/papers/2401.00060");
  EXPECT_NE(page->body.find("$a &lt; b$"), std::string::npos) << "LaTeX stays as text for KaTeX";
  EXPECT_NE(page->body.find("href=\"https://github.com/evil/repo\""), std::string::npos);
}

TEST_F(WebServerTest, PaperPageHasCitationMetaTagsVersionsAndSimilarPapers) {
  start();
  auto r = get("/papers/2401.00020");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<meta name=\"citation_title\" content=\"Diffusion models for images\">"), std::string::npos);
  EXPECT_NE(r->body.find("<meta name=\"citation_author\" content=\"Lovelace, Ada\">"), std::string::npos);
  EXPECT_NE(r->body.find("<meta name=\"citation_publication_date\" content=\"2024/01/04\">"), std::string::npos);
  EXPECT_NE(r->body.find("<meta name=\"citation_pdf_url\" content=\"https://arxiv.org/pdf/2401.00020\">"),
            std::string::npos);
  EXPECT_NE(r->body.find("https://arxiv.org/abs/2401.00020v1"), std::string::npos);
  EXPECT_NE(r->body.find("Scaling laws for diffusion"), std::string::npos) << "similar papers listed";
  EXPECT_EQ(get("/papers/2401.99999")->status, 404);
  EXPECT_EQ(get("/papers/not-an-id")->status, 400);
}

TEST_F(WebServerTest, BibtexDownloadsParseWithPybtex) {
  start();
  auto one = get("/papers/2401.00060.bib");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 200);
  EXPECT_NE(one->get_header_value("Content-Disposition").find("2401.00060.bib"), std::string::npos);
  const std::string check =
      "import sys\nfrom pybtex.database import parse_file\n"
      "db = parse_file(sys.argv[1], 'bibtex')\nn = int(open(sys.argv[1]+'.n').read())\n"
      "assert len(db.entries) == n, (len(db.entries), n)\n"
      "for e in db.entries.values():\n  assert e.fields['eprint'] and e.persons['author']\n";
  std::ofstream(dir_ / "payload.n") << 1;
  EXPECT_EQ(run_python(check, one->body), 0) << one->body;
  auto list = get("/papers/month/2024-01.bib");
  ASSERT_TRUE(list);
  std::ofstream(dir_ / "payload.n") << 6;
  EXPECT_EQ(run_python(check, list->body), 0) << list->body;
}

TEST_F(WebServerTest, FeedsParseCleanlyWithFeedparser) {
  start();
  const std::string check =
      "import sys, feedparser\nd = feedparser.parse(open(sys.argv[1], 'rb').read())\n"
      "assert not d.bozo, d.bozo_exception\nassert len(d.entries) >= 1, d.entries\n"
      "for e in d.entries:\n  assert e.title and e.link.startswith('https://arxiv.org/abs/'), e\n";
  for (std::string path :
       {"/feeds/daily.atom", "/feeds/daily.rss", "/feeds/trending.atom", "/feeds/trending.rss",
        "/feeds/category/cs.CR.atom", "/feeds/category/cs.LG.rss", "/feeds/search.atom?q=diffusion"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(run_python(check, r->body), 0) << path << "\n" << r->body;
  }
  EXPECT_NE(get("/feeds/category/cs.CR.atom")->body.find("&lt;script&gt;"), std::string::npos);
}

TEST_F(WebServerTest, ApiFollowsTheDailyPapersShape) {
  start();
  auto r = get("/api/daily_papers?date=2024-01-05");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Type").find("application/json"), std::string::npos);
  auto j = nlohmann::json::parse(r->body);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 3u);
  for (const auto& item : j) {
    EXPECT_TRUE(item.contains("id"));
    EXPECT_EQ(item["paper"]["id"], item["id"]);
    EXPECT_EQ(item["publishedAt"].get<std::string>().substr(0, 10), "2024-01-05");
  }
  EXPECT_EQ(nlohmann::json::parse(get("/api/daily_papers?week=2024-W01&limit=2")->body).size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(get("/api/daily_papers?month=2024-01&cat=cs.LG")->body).size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(get("/api/daily_papers")->body)[0]["id"], "2401.00050");
  auto paper = nlohmann::json::parse(get("/api/papers/2401.00060")->body);
  EXPECT_EQ(paper["githubRepo"], "https://github.com/evil/repo");
  auto found = nlohmann::json::parse(get("/api/papers/search?q=diffusion&mode=lexical")->body);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_TRUE(found[0].contains("id"));
  EXPECT_EQ(search_->last_mode, search::Mode::kLexical);
  EXPECT_EQ(nlohmann::json::parse(get("/api/papers/2401.00020/similar?limit=2")->body).size(), 2u);
  auto bad = get("/api/daily_papers?date=2024-99-01");
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(nlohmann::json::parse(bad->body).contains("error"));
  EXPECT_EQ(get("/api/papers/2401.99999")->status, 404);
}

// Issue 13, row 1: the 404 JSON reply used to throw on a path that is not UTF-8, ending the process.
// The transport now refuses such a path before routing: 400 with a JSON error.
TEST_F(WebServerTest, ApiPathsThatAreNotUtf8GetAJsonErrorAndTheServerStaysUp) {
  start();
  for (const char* path : {"/api/x%ff", "/api/collections/%ff"}) {
    auto res = get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 400) << path;
    EXPECT_TRUE(nlohmann::json::parse(res->body).contains("error")) << path;
  }
  ASSERT_TRUE(get("/healthz"));
  EXPECT_EQ(get("/healthz")->status, 200);
}

TEST_F(WebServerTest, SearchPageHighlightsAndExplainsEmptyResults) {
  start();
  const std::vector<std::pair<std::string, search::Mode>> modes = {
      {"lexical", search::Mode::kLexical}, {"semantic", search::Mode::kSemantic}, {"hybrid", search::Mode::kHybrid}};
  for (const auto& [mode, expected] : modes) {
    search_->last_mode = expected == search::Mode::kLexical ? search::Mode::kHybrid : search::Mode::kLexical;
    auto r = get("/search?q=diffusion&mode=" + mode);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(search_->last_mode, expected) << mode << ": the page must ask the search service for its mode";
    EXPECT_NE(r->body.find("<mark>Diffusion</mark> models"), std::string::npos) << mode;
    EXPECT_NE(r->body.find("value=\"" + mode + "\" checked"), std::string::npos) << mode;
  }
  auto none = get("/search?q=zebra");
  EXPECT_NE(none->body.find("No papers matched"), std::string::npos);
  EXPECT_EQ(get("/search?q=((")->status, 400);
  EXPECT_EQ(get("/search?q=x&mode=fuzzy")->status, 400);
}

TEST_F(WebServerTest, IdsUrlsAndDoisTypedIntoSearchOpenThePaper) {
  for (bool with_search : {false, true}) {
    server_.reset();
    start(with_search);
    for (std::string q : {"2401.00020", "2401.00020v1", "arXiv:2401.00020", "https://arxiv.org/abs/2401.00020v1",
                          "arxiv.org/pdf/2401.00020v1.pdf", "https://www.arxiv.org/html/2401.00020v1",
                          "http://arxiv.org/abs/2401.00020", "10.1000/Diffusion.2024", "doi:10.1000/diffusion.2024",
                          "https://doi.org/10.1000/DIFFUSION.2024"}) {
      auto r = get("/search?q=" + url_encode(q));
      ASSERT_TRUE(r) << q;
      EXPECT_EQ(r->status, 303) << q;
      EXPECT_EQ(r->get_header_value("Location"), "/papers/2401.00020") << q;
    }
  }
  auto missing = get("/search?q=hep-th%2F9901001v2");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("arXiv:hep-th/9901001 is not on this server"), std::string::npos);
  EXPECT_NE(missing->body.find("href=\"https://arxiv.org/abs/hep-th/9901001\""), std::string::npos);
  EXPECT_EQ(missing->body.find("Fetch it from arXiv"), std::string::npos);  // no arXiv look-ups configured
  auto doi = get("/search?q=" + url_encode("10.1145/3292500.3330701"));
  EXPECT_EQ(doi->status, 404);
  EXPECT_NE(doi->body.find("href=\"https://doi.org/10.1145%2F3292500.3330701\""), std::string::npos);
  auto markup = get("/search?q=" + url_encode("10.1000/<script>x</script>"));
  EXPECT_EQ(markup->status, 404);
  EXPECT_EQ(markup->body.find("<script>x"), std::string::npos);
  EXPECT_NE(markup->body.find("10.1000/&lt;script&gt;x"), std::string::npos);
  // The API keeps its shape for ids (an array of papers).
  auto api = get("/api/papers/search?q=2401.00020");
  ASSERT_EQ(api->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(api->body).is_array());
}

TEST_F(WebServerTest, SearchPageHasOneBoxWithLabelledFiltersAndExamples) {
  start();
  auto empty = get("/search");
  ASSERT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body.find("id=\"quick-q\""), std::string::npos) << "one search box on the search page";
  EXPECT_NE(get("/")->body.find("id=\"quick-q\""), std::string::npos);
  for (std::string control : {"<label for=\"q\">", "<select name=\"cat\">", "type=\"date\" name=\"from\"",
                              "type=\"date\" name=\"until\"", "<select name=\"sort\">", "name=\"mode\""}) {
    EXPECT_NE(empty->body.find(control), std::string::npos) << control;
  }
  EXPECT_NE(empty->body.find("href=\"/search?q=author%3AHinton\""), std::string::npos);
  EXPECT_NE(empty->body.find("href=\"/search?q=2401.00050\""), std::string::npos);  // the newest paper's id
  EXPECT_NE(empty->body.find("Query syntax"), std::string::npos);
  auto filtered = get("/search?q=diffusion&cat=cs.CV&from=2024-01-01&until=2024-01-31&sort=newest");
  ASSERT_EQ(filtered->status, 200);
  EXPECT_NE(filtered->body.find("<option value=\"cs.CV\" selected>"), std::string::npos);
  EXPECT_NE(filtered->body.find("name=\"from\" value=\"2024-01-01\""), std::string::npos);
  EXPECT_NE(filtered->body.find("<option value=\"newest\" selected>"), std::string::npos);
  EXPECT_EQ(search_->last_request.categories, (std::vector<std::string>{"cs.CV"}));
  EXPECT_EQ(search_->last_request.from, "2024-01-01");
  EXPECT_EQ(search_->last_request.until, "2024-01-31");
  EXPECT_EQ(search_->last_request.sort, search::Sort::kNewest);
  EXPECT_EQ(get("/search?q=x&sort=oldest")->status, 400);
  // The API takes the same filters, and Hugging Face's spelling of newest first.
  EXPECT_EQ(get("/api/papers/search?q=diffusion&cat=cs.LG&sort=publishedAt")->status, 200);
  EXPECT_EQ(search_->last_request.sort, search::Sort::kNewest);
  EXPECT_EQ(search_->last_request.categories, (std::vector<std::string>{"cs.LG"}));
  EXPECT_EQ(get("/search?q=x&from=yesterday")->status, 400);
  // "Has code": a checkbox beside the other filters, the same as has:code.
  EXPECT_NE(empty->body.find("<input type=\"checkbox\" name=\"code\" value=\"1\"> Has code"), std::string::npos);
  EXPECT_FALSE(search_->last_request.has_code);
  auto coded = get("/search?q=diffusion&code=1");
  ASSERT_EQ(coded->status, 200);
  EXPECT_TRUE(search_->last_request.has_code);
  EXPECT_NE(coded->body.find("name=\"code\" value=\"1\" checked"), std::string::npos);
  EXPECT_NE(coded->body.find("/feeds/search.atom?q=diffusion"), std::string::npos);
  EXPECT_EQ(get("/api/papers/search?q=diffusion&code=true")->status, 200);
  EXPECT_TRUE(search_->last_request.has_code);
  EXPECT_EQ(get("/search?q=diffusion&code=0")->status, 200);
  EXPECT_FALSE(search_->last_request.has_code);
  auto bad = get("/search?q=x&code=maybe");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("code: expected 1"), std::string::npos);
}

TEST_F(WebServerTest, RefusedQueriesAreA400SearchPageWithoutInternals) {
  start();
  for (const std::string& path :
       std::vector<std::string>{"/search?q=((", "/search?q=" + std::string(600, 'a'), "/search?q=sqlerror"}) {
    auto r = get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_NE(r->body.find("role=\"alert\""), std::string::npos) << path;
    EXPECT_NE(r->body.find("<input id=\"q\""), std::string::npos) << path << ": the form stays";
    EXPECT_EQ(r->body.find("fts5"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("sqlite"), std::string::npos) << path;
  }
}

TEST_F(WebServerTest, ResultsSayAboutNAndPageWithTheSameTotal) {
  start();
  search_->fixed_total = 1234;
  for (int page = 1; page <= 3; ++page) {
    auto r = get("/search?q=diffusion&page=" + std::to_string(page));
    ASSERT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("About 1,234 results"), std::string::npos) << page;
    EXPECT_NE(r->body.find("Page " + std::to_string(page) + " of 50"), std::string::npos) << page;
  }
  EXPECT_EQ(get("/search?q=diffusion")->body.find("(hybrid)"), std::string::npos);  // no debug text
}

TEST_F(WebServerTest, TypoResultsSayWhatWasSearchedInstead) {
  start();
  search_->suggestion = "diffusion";
  auto r = get("/search?q=difusion");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("Showing results for <a href=\"/search?q=diffusion\"><strong>diffusion</strong></a>"),
            std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("href=\"/search?q=difusion&amp;verbatim=1\""), std::string::npos);
  EXPECT_NE(r->body.find("<mark>Diffusion</mark> models"), std::string::npos);
  auto verbatim = get("/search?q=difusion&verbatim=1");
  EXPECT_NE(verbatim->body.find("Did you mean <a href=\"/search?q=diffusion\">"), std::string::npos);
  EXPECT_NE(verbatim->body.find("No papers matched"), std::string::npos);
}

TEST_F(WebServerTest, SearchPageSaysUnavailableWithoutASearchService) {
  start(false);
  auto r = get("/search?q=diffusion");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("Search is unavailable"), std::string::npos);
  EXPECT_NE(get("/papers/2401.00020")->body.find("Similar papers need the search index"), std::string::npos);
  EXPECT_EQ(get("/api/papers/search?q=x")->status, 503);
}

TEST_F(WebServerTest, TrendingSaysItFallsBackToNewest) {
  start();
  auto r = get("/trending?period=week");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("Papers without votes follow, newest first"), std::string::npos);
  EXPECT_NE(r->body.find("Curves over finite fields"), std::string::npos);
  EXPECT_EQ(r->body.find("Graph networks"), std::string::npos) << "1 January is outside the past week";
  EXPECT_EQ(get("/trending?period=decade")->status, 400);
}

TEST_F(WebServerTest, AuthorAndCategoryPagesListNewestFirst) {
  start();
  auto a = get("/authors/Lovelace?f=Ada");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_LT(a->body.find("Scaling laws"), a->body.find("Graph networks"));
  EXPECT_EQ(get("/authors/Nobody")->status, 404);
  auto c = get("/categories/cs.CV");
  EXPECT_NE(c->body.find("Vision transformers"), std::string::npos);
  EXPECT_EQ(c->body.find("Curves over"), std::string::npos);
  auto sub = client_->Post("/subscribe", "email=a%40b.c", "application/x-www-form-urlencoded");
  ASSERT_TRUE(sub);
  EXPECT_NE(sub->body.find("nothing was stored"), std::string::npos);  // no mail configured here
}

TEST_F(WebServerTest, ServesSecurityHeadersConditionalGetsAndGzip) {
  start();
  auto r = get("/papers/date/2024-01-05");
  ASSERT_TRUE(r);
  std::string csp = r->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(r->get_header_value("Referrer-Policy").empty());
  EXPECT_NE(r->get_header_value("Cache-Control").find("max-age"), std::string::npos);
  std::string etag = r->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get("/papers/date/2024-01-05", {{"If-None-Match", etag}})->status, 304);
  std::string lm = r->get_header_value("Last-Modified");
  EXPECT_EQ(get("/papers/date/2024-01-05", {{"If-Modified-Since", lm}})->status, 304);
  EXPECT_EQ(get("/papers/date/2024-01-05", {{"If-None-Match", "\"other\""}})->status, 200);
  auto gz = get("/papers/date/2024-01-05", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  // No inline script: every <script> has a src. KaTeX is not among them, nor is its stylesheet
  // linked: app.js loads both after the load event from the hashed URLs on <html>, so they never
  // delay the first render.
  size_t at = 0;
  int scripts = 0;
  while ((at = r->body.find("<script", at)) != std::string::npos) {
    EXPECT_EQ(r->body.compare(at, 18, "<script defer src="), 0) << r->body.substr(at, 60);
    ++scripts;
    ++at;
  }
  EXPECT_EQ(scripts, 1) << "only app.js is a <script> tag";
  EXPECT_EQ(r->body.find("katex.min.js\"></script>"), std::string::npos);
  EXPECT_EQ(r->body.find("<link rel=\"stylesheet\" href=\"/static/katex."), std::string::npos);
  for (const char* attribute : {"data-katex-css=\"", "data-katex-js=\"", "data-katex-autorender=\""}) {
    size_t attr = r->body.find(attribute);
    ASSERT_NE(attr, std::string::npos) << attribute;
    EXPECT_LT(attr, r->body.find("<head>")) << "on <html>, where app.js reads it";
    size_t begin = attr + std::string_view(attribute).size();
    std::string url = r->body.substr(begin, r->body.find('"', begin) - begin);
    EXPECT_TRUE(url.starts_with("/static/katex.")) << url;
    auto script = get(url);
    EXPECT_EQ(script->status, 200) << url;
    EXPECT_NE(script->get_header_value("Cache-Control").find("immutable"), std::string::npos) << url;
  }
  // Hashed static assets are immutable.
  size_t css = r->body.find("/static/app.");
  ASSERT_NE(css, std::string::npos);
  std::string css_url = r->body.substr(css, r->body.find('"', css) - css);
  auto asset = get(css_url);
  EXPECT_EQ(asset->status, 200);
  EXPECT_NE(asset->get_header_value("Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(get("/static/app.0000.css")->status, 404);
  std::string big(100 * 1024, 'x');
  auto post = client_->Post("/subscribe", big, "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 413);
}

TEST_F(WebServerTest, PagesAndAssetsAreCompressedOnceInTheCodingTheClientPrefers) {
  start();
  auto plain = get("/papers/date/2024-01-05", {{"Accept-Encoding", "identity"}});
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->get_header_value("Content-Encoding").empty());
  std::string etag = plain->get_header_value("ETag");
  // httplib's client decodes gzip and Brotli itself: the bodies must come back identical.
  for (auto [accept, coding] : {std::pair{"gzip, deflate, br", "br"}, std::pair{"br;q=0, gzip", "gzip"}}) {
    for (int round = 0; round < 2; ++round) {  // the second answer comes from the cached variant
      auto r = get("/papers/date/2024-01-05", {{"Accept-Encoding", accept}});
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200);
      EXPECT_EQ(r->get_header_value("Content-Encoding"), coding) << accept;
      EXPECT_EQ(r->body, plain->body) << accept;
      EXPECT_EQ(r->get_header_value("ETag"), "W/" + etag);
      // A listing's body depends on the view cookie (grid or list) as well as on the coding.
      EXPECT_EQ(r->get_header_value("Vary"), "Accept-Encoding, Cookie");
    }
    auto again = get("/papers/date/2024-01-05", {{"Accept-Encoding", accept}, {"If-None-Match", "W/" + etag}});
    EXPECT_EQ(again->status, 304);
  }
  // On the wire the compressed page is much smaller than the page.
  httplib::Client raw("127.0.0.1", port_);
  raw.set_decompress(false);
  auto wire = raw.Get("/papers/date/2024-01-05", {{"Accept-Encoding", "br"}});
  ASSERT_TRUE(wire);
  EXPECT_LT(wire->body.size() * 3, plain->body.size());
  // Static assets too.
  size_t css = plain->body.find("/static/app.");
  ASSERT_NE(css, std::string::npos);
  std::string css_url = plain->body.substr(css, plain->body.find('"', css) - css);
  auto asset = raw.Get(css_url, {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(get(css_url, {{"Accept-Encoding", "gzip"}})->body, get(css_url, {{"Accept-Encoding", "identity"}})->body);
  // An error page keeps its own text when compressed.
  auto missing = get("/papers/2401.99999", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("2401.99999"), std::string::npos) << missing->body.substr(0, 200);
}

TEST_F(WebServerTest, ConcurrentRequestsForAnUncachedPageShareOneRender) {
  start();
  // The first render must still be running when the others arrive. All eight clients are started
  // first and released together, and the render takes 2 s: on a loaded CI host 300 ms was once too
  // short for eight threads to connect, and a late client rendered the page again.
  search_->delay_ms = 2000;
  std::vector<std::thread> clients;
  std::vector<std::string> bodies(8);
  std::vector<int> statuses(8, 0);
  std::latch ready(8);
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", port_);
      ready.arrive_and_wait();
      auto r = c.Get("/search?q=diffusion");
      if (r) {
        statuses[static_cast<size_t>(i)] = r->status;
        bodies[static_cast<size_t>(i)] = r->body;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(search_->calls.load(), 1);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(statuses[static_cast<size_t>(i)], 200);
    EXPECT_EQ(bodies[static_cast<size_t>(i)], bodies[0]);
  }
  EXPECT_NE(bodies[0].find("models for images"), std::string::npos);  // the title, highlighted
  // Another URL is rendered on its own.
  search_->delay_ms = 0;
  EXPECT_EQ(get("/search?q=vision")->status, 200);
  EXPECT_EQ(search_->calls.load(), 2);
}

TEST_F(WebServerTest, CachedPagesRefreshWhenTheStoreChanges) {
  start();
  EXPECT_EQ(get("/papers/date/2024-01-08")->body.find("Fresh result"), std::string::npos);
  store::WriteBatch batch;
  batch.papers = {make_paper("2401.00070", "2024-01-08", {"cs.LG"}, "Fresh result")};
  ASSERT_TRUE(store_->apply(batch));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the generation is re-read once a second
  EXPECT_NE(get("/papers/date/2024-01-08")->body.find("Fresh result"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::web
