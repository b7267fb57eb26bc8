// The harvester against a real OAI-PMH server on 127.0.0.1 serving the fixture pages, into a real
// SQLite store: a clean harvest, then the server misbehaving (503 + Retry-After, a connection
// dropped mid-body, a truncated page, badResumptionToken, a malformed record). After each, the
// store must equal the clean harvest, and every paper must have been written exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <thread>

#include "ingest/harvest_schedule.h"
#include "ingest/http_client.h"
#include "ingest/oai_pmh.h"
#include "oai_test_server.h"
#include "store/database.h"

namespace paperboy::ingest {
namespace {

using paperboy::testing::oai_fixture;
using paperboy::testing::OaiTestServer;
using paperboy::testing::read_file;
using Papers = std::map<std::string, core::Paper>;

std::filesystem::path fresh_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("paperboy-harvest-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::unique_ptr<store::Database> open_database_in(const std::filesystem::path& dir) {
  store::StoreOptions o;
  o.url = "sqlite:" + (dir / "paperboy.db").string();
  auto s = store::open_database(o);
  EXPECT_TRUE(s) << s.error().to_string();
  return std::move(*s);
}

Papers all_papers(store::Store& store) {
  Papers out;
  auto rows = store.papers_changed_since(0, 1000000);
  EXPECT_TRUE(rows);
  for (auto& r : *rows) out.emplace(r.paper.id, std::move(r.paper));
  return out;
}

// Ids and datestamps straight from the fixture text, independent of the parser under test.
std::vector<std::string> fixture_values(const std::vector<std::string>& files, const std::string& tag) {
  std::vector<std::string> out;
  std::regex re("<" + tag + ">([^<]*)</" + tag + ">");
  for (const auto& f : files) {
    std::string xml = read_file(oai_fixture(f));
    for (std::sregex_iterator it(xml.begin(), xml.end(), re), end; it != end; ++it) out.push_back((*it)[1]);
  }
  return out;
}

const std::vector<std::string> kArxivPages = {"arXiv-page-0.xml", "arXiv-page-1.xml", "arXiv-page-2.xml"};

// The five named XML entities and numeric character references (&#39; &#x27;), as UTF-8.
std::string decode_xml_entities(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    size_t semi = in[i] == '&' ? in.find(';', i) : std::string::npos;
    if (semi == std::string::npos) {
      out += in[i];
      continue;
    }
    std::string name = in.substr(i + 1, semi - i - 1);
    static const std::map<std::string, std::string> kNamed = {
        {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"amp", "&"}};
    unsigned long cp = 0;
    if (auto it = kNamed.find(name); it != kNamed.end()) {
      out += it->second;
    } else if (name.size() > 1 && name[0] == '#') {
      cp = name[1] == 'x' ? std::stoul(name.substr(2), nullptr, 16) : std::stoul(name.substr(1));
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    } else {
      out += in.substr(i, semi - i + 1);
    }
    i = semi;
  }
  return out;
}

// id -> title of each record in the fixture pages, read with plain string search (independent of
// the XML parser under test): whitespace runs collapsed and the five XML entities decoded, as a
// reader would see them. A later record for the same id replaces an earlier one.
std::map<std::string, std::string> fixture_titles(const std::vector<std::string>& files) {
  std::map<std::string, std::string> out;
  auto between = [](const std::string& xml, const std::string& open, const std::string& close, size_t& at) {
    size_t start = xml.find(open, at);
    if (start == std::string::npos) return std::optional<std::string>();
    start += open.size();
    size_t end = xml.find(close, start);
    at = end + close.size();
    return std::optional<std::string>(xml.substr(start, end - start));
  };
  for (const auto& f : files) {
    std::string xml = read_file(oai_fixture(f));
    size_t at = 0;
    while (auto id = between(xml, "<id>", "</id>", at)) {
      auto raw = between(xml, "<title>", "</title>", at);
      if (!raw) break;
      std::string title;
      for (char c : *raw) {
        bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (title.empty() || title.back() == ' ')) continue;
        title += space ? ' ' : c;
      }
      while (!title.empty() && title.back() == ' ') title.pop_back();
      out[*id] = decode_xml_entities(title);
    }
  }
  return out;
}

class HarvestServer : public ::testing::Test {
 protected:
  // The reference: one clean harvest, made on first use only (ctest runs each test in its own
  // process, and the tests that need no reference should not pay for it).
  static const Papers& clean() {
    static const Papers reference = [] {
      OaiTestServer server;
      auto dir = fresh_dir("clean");
      Papers papers;
      {
        auto db = open_database_in(dir);
        store::Store& store = db->papers();
        HttpClient http(fast_http());
        auto summary = OaiPmhHarvester(store, http, options_for(server.url())).run();
        EXPECT_TRUE(summary) << summary.error().to_string();
        papers = all_papers(store);
      }
      std::filesystem::remove_all(dir);
      // The reference is checked against the fixture itself, so a harvester bug cannot make its
      // own reference: the same ids, and each paper's title as the fixture spells it.
      auto want = fixture_titles(kArxivPages);
      EXPECT_EQ(papers.size(), want.size());
      for (const auto& [id, title] : want) {
        auto it = papers.find(id);
        if (it == papers.end()) {
          ADD_FAILURE() << "the reference harvest lacks " << id;
          continue;
        }
        EXPECT_EQ(it->second.title, title) << id;
      }
      return papers;
    }();
    return reference;
  }

  static HttpClientOptions fast_http(double interval = 0) {
    HttpClientOptions o;
    o.min_interval_s = interval;
    o.timeout_s = 20;
    o.user_agent = make_user_agent("harvest-test@example.org");
    return o;
  }
  static OaiPmhOptions options_for(const std::string& url, const std::string& prefix = "arXiv") {
    OaiPmhOptions o;
    o.base_url = url;
    o.format = *parse_metadata_prefix(prefix);
    o.retry.max_attempts = 4;
    o.retry.initial_backoff_s = 0.05;
    return o;
  }

  void SetUp() override {
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    database_ = open_database_in(dir_);
    store_ = &database_->papers();
  }
  void TearDown() override {
    store_ = nullptr;
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<HarvestSummary> harvest(OaiPmhOptions options, double interval = 0) {
    HttpClient http(fast_http(interval));
    return OaiPmhHarvester(*store_, http, std::move(options)).run();
  }

  // The store holds exactly the clean harvest, each paper written once (no duplicate or repeated
  // writes: the change sequence counts one change per paper).
  void expect_equals_clean_harvest() {
    Papers got = all_papers(*store_);
    EXPECT_EQ(got.size(), clean().size());
    EXPECT_TRUE(got == clean());
    auto seq = store_->max_change_seq();
    ASSERT_TRUE(seq);
    EXPECT_EQ(*seq, static_cast<std::int64_t>(clean().size()));
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  OaiTestServer server_;
};

TEST_F(HarvestServer, CleanHarvestStoresEveryRecordWithItsFields) {
  auto summary = harvest(options_for(server_.url()));
  ASSERT_TRUE(summary) << summary.error().to_string();
  auto ids = fixture_values(kArxivPages, "id");
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(summary->pages, 3);
  EXPECT_EQ(summary->records, static_cast<std::int64_t>(ids.size()));
  EXPECT_EQ(summary->inserted, static_cast<std::int64_t>(distinct.size()));
  Papers got = all_papers(*store_);
  ASSERT_EQ(got.size(), distinct.size());
  for (const auto& id : distinct) EXPECT_TRUE(got.contains(id)) << id;
  const core::Paper& p = got.at("2512.08038");
  EXPECT_EQ(p.authors.front(), (core::Author{"Sunger", "Elifnur", ""}));
  EXPECT_EQ(p.primary_category(), "cs.CV");
  EXPECT_EQ(p.listing_day(), "2025-12-10");
  // The tokens were followed in order, politely identified.
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].prefix, "arXiv");
  EXPECT_EQ(reqs[1].token, "arXiv-page-1");
  EXPECT_EQ(reqs[2].token, "arXiv-page-2");
  EXPECT_NE(reqs[0].user_agent.find("paperboy/"), std::string::npos);
  EXPECT_NE(reqs[0].user_agent.find("mailto:harvest-test@example.org"), std::string::npos);
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, ArxivRawHarvestKeepsVersionHistory) {
  auto summary = harvest(options_for(server_.url(), "arXivRaw"));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->inserted, 1200);
  auto paper = store_->get_paper("2602.07774");
  ASSERT_TRUE(paper && *paper);
  const auto& versions = (*paper)->paper.versions;
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].number, 1);
  EXPECT_EQ(versions[1].number, 3);
  EXPECT_EQ((*paper)->paper.categories, (std::vector<std::string>{"cs.IR", "cs.AI"}));
  EXPECT_EQ((*paper)->paper.authors.front().keyname, "Liang");
}

TEST_F(HarvestServer, ServiceUnavailableWithRetryAfterIsWaitedOut) {
  server_.set_hook([](const httplib::Request&, httplib::Response& res, int n, const std::string&) {
    if (n != 1) return false;
    res.status = 503;
    res.set_header("Retry-After", "1");
    res.set_content("busy", "text/plain");
    return true;
  });
  auto summary = harvest(options_for(server_.url()));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->retries, 1);
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[2].token, "arXiv-page-1");  // the same page again
  EXPECT_GE(std::chrono::duration<double>(reqs[2].at - reqs[1].at).count(), 1.0);
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, ConnectionDroppedMidBodyIsRetried) {
  server_.set_hook([](const httplib::Request&, httplib::Response& res, int n, const std::string& page) {
    if (n != 1) return false;
    auto body = std::make_shared<std::string>(read_file(oai_fixture(page)));
    // Promise the whole page, send half, then hang up.
    res.set_content_provider(body->size(), "text/xml", [body](size_t offset, size_t length, httplib::DataSink& sink) {
      size_t half = body->size() / 2;
      if (offset >= half) return false;
      sink.write(body->data() + offset, std::min(length, half - offset));
      return true;
    });
    return true;
  });
  auto summary = harvest(options_for(server_.url()));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->retries, 1);
  EXPECT_EQ(server_.requests().size(), 4u);
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, TruncatedPageIsRetriedNotHalfApplied) {
  server_.set_hook([](const httplib::Request&, httplib::Response& res, int n, const std::string& page) {
    if (n != 1) return false;
    std::string xml = read_file(oai_fixture(page));
    res.set_content(xml.substr(0, xml.size() * 6 / 10), "text/xml");  // a complete HTTP response, broken XML
    return true;
  });
  auto summary = harvest(options_for(server_.url()));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->retries, 1);
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, PageThatStaysBrokenFailsAndStoresNothingOfItThenResumes) {
  server_.set_hook([](const httplib::Request&, httplib::Response& res, int, const std::string& page) {
    if (page != "arXiv-page-1.xml") return false;
    std::string xml = read_file(oai_fixture(page));
    res.set_content(xml.substr(0, xml.size() / 3), "text/xml");
    return true;
  });
  auto options = options_for(server_.url());
  options.retry.max_attempts = 2;
  auto failed = harvest(options);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message().find("arXiv-page-1"), std::string::npos) << failed.error().to_string();
  // Page 0 whole, nothing of page 1.
  Papers got = all_papers(*store_);
  auto page0 = fixture_values({"arXiv-page-0.xml"}, "id");
  EXPECT_EQ(got.size(), page0.size());
  for (const auto& id : fixture_values({"arXiv-page-1.xml"}, "id")) EXPECT_FALSE(got.contains(id)) << id;

  server_.set_hook(nullptr);
  server_.clear_requests();
  auto resumed = harvest(options);
  ASSERT_TRUE(resumed) << resumed.error().to_string();
  EXPECT_TRUE(resumed->resumed);
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].token, "arXiv-page-1");  // page 0 is not fetched again
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, BadResumptionTokenRestartsFromTheLastDatestampWithoutDuplicates) {
  server_.set_hook([](const httplib::Request&, httplib::Response& res, int n, const std::string&) {
    if (n != 2) return false;  // the request for page 2: the token has "expired"
    res.set_content(read_file(oai_fixture("error-badResumptionToken.xml")), "text/xml");
    return true;
  });
  auto summary = harvest(options_for(server_.url()));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->restarts, 1);
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 6u);
  EXPECT_EQ(reqs[3].token, "");  // a fresh list request
  EXPECT_EQ(reqs[3].prefix, "arXiv");
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, MalformedRecordIsReportedAndSkippedTheRestKept) {
  std::string bad_id = fixture_values({"arXiv-page-1.xml"}, "id").front();
  server_.set_hook([&](const httplib::Request&, httplib::Response& res, int n, const std::string& page) {
    if (n != 1) return false;
    std::string xml = read_file(oai_fixture(page));
    auto at = xml.find("<id>" + bad_id + "</id>");
    xml.replace(at, bad_id.size() + 9, "<id>not-an-arxiv-id</id>");
    res.set_content(xml, "text/xml");
    return true;
  });
  auto options = options_for(server_.url());
  std::vector<std::string> reported;
  options.on_reject = [&](const std::string& url, const OaiRecordError& e) {
    reported.push_back(e.identifier + " @ " + url + ": " + e.message);
  };
  auto summary = harvest(options);
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->rejected, 1);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_NE(reported[0].find("oai:arXiv.org:" + bad_id), std::string::npos) << reported[0];
  EXPECT_NE(reported[0].find("resumptionToken=arXiv-page-1"), std::string::npos) << reported[0];
  Papers got = all_papers(*store_);
  Papers want = clean();
  want.erase(bad_id);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
}

TEST_F(HarvestServer, RequestsAreAtLeastTheConfiguredIntervalApart) {
  constexpr double kInterval = 0.3;
  // Two harvests through one client (the second into a fresh store, so it fetches both pages
  // again): the pacing holds within a harvest and across the two.
  {
    HttpClient http(fast_http(kInterval));
    ASSERT_TRUE(OaiPmhHarvester(*store_, http, options_for(server_.url(), "arXivRaw")).run());
    auto second_dir = fresh_dir("second");
    {
      auto second = open_database_in(second_dir);
      ASSERT_TRUE(OaiPmhHarvester(second->papers(), http, options_for(server_.url(), "arXivRaw")).run());
    }
    std::filesystem::remove_all(second_dir);
  }
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 4u);
  for (size_t i = 1; i < reqs.size(); ++i) {
    EXPECT_GE(std::chrono::duration<double>(reqs[i].at - reqs[i - 1].at).count(), kInterval) << i;
  }
  // One client, several threads: still one request at a time and paced.
  server_.clear_requests();
  HttpClient http(fast_http(kInterval));
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] { (void)http.get(server_.url() + "?verb=ListRecords&resumptionToken=arXivRaw-page-1"); });
  }
  for (auto& t : threads) t.join();
  reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 3u);
  std::sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  for (size_t i = 1; i < reqs.size(); ++i) {
    EXPECT_GE(std::chrono::duration<double>(reqs[i].at - reqs[i - 1].at).count(), kInterval) << i;
  }
}

TEST_F(HarvestServer, NextRunContinuesFromTheLastDatestampAndNoRecordsMatchIsNotAFailure) {
  ASSERT_TRUE(harvest(options_for(server_.url())));
  auto stamps = fixture_values(kArxivPages, "datestamp");
  std::string newest = *std::max_element(stamps.begin(), stamps.end());
  server_.clear_requests();
  server_.set_hook([](const httplib::Request& req, httplib::Response& res, int, const std::string&) {
    if (req.get_param_value("from").empty()) return false;
    res.set_content(
        "<?xml version='1.0'?><OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'>"
        "<responseDate>2026-11-21T03:00:00Z</responseDate><request verb='ListRecords'>x</request>"
        "<error code='noRecordsMatch'>no records</error></OAI-PMH>",
        "text/xml");
    return true;
  });
  auto again = harvest(options_for(server_.url()));
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->records, 0);
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].from, newest);
  expect_equals_clean_harvest();
}

TEST_F(HarvestServer, EachSetIsHarvestedWithItsOwnCursor) {
  auto options = options_for(server_.url(), "arXivRaw");
  options.sets = {"cs", "stat"};
  auto summary = harvest(options);
  ASSERT_TRUE(summary) << summary.error().to_string();
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[0].set, "cs");
  EXPECT_EQ(reqs[2].set, "stat");
  EXPECT_EQ(summary->inserted, 1200);
  EXPECT_EQ(summary->unchanged, 1200);  // the same records again under "stat": no duplicates
  HttpClient http(fast_http());
  OaiPmhHarvester h(*store_, http, options);
  EXPECT_TRUE(*store_->get_state(h.cursor_key("cs")));
  EXPECT_TRUE(*store_->get_state(h.cursor_key("stat")));
}

TEST_F(HarvestServer, OversizeResponseIsRefused) {
  HttpClientOptions o = fast_http();
  o.max_body_bytes = 1000;
  HttpClient http(o);
  auto r = http.get(server_.url() + "?verb=ListRecords&metadataPrefix=arXiv");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace paperboy::ingest

namespace paperboy::ingest {
namespace {

TEST_F(HarvestServer, ScheduledHarvestRunsOnceAtATimeAndReportsForHealthz) {
  auto options = options_for(server_.url(), "arXivRaw");
  std::atomic<int> concurrent{0}, max_concurrent{0};
  // The first run waits inside the job until the test has tried to start more runs.
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, released = false;
  HarvestScheduler scheduler(
      [&](const std::atomic<bool>& stop) {
        int now = ++concurrent;
        max_concurrent = std::max(max_concurrent.load(), now);
        {
          std::unique_lock lock(mu);
          entered = true;
          cv.notify_all();
          cv.wait(lock, [&] { return released; });
        }
        HttpClient http(fast_http());
        auto run = options;
        run.stop = &stop;
        auto result = OaiPmhHarvester(*store_, http, run).run();
        --concurrent;
        return result;
      },
      /*minute_of_day=*/0);
  scheduler.start();
  auto wait_for_runs = [&](int n) {
    for (int i = 0; i < 600 && (scheduler.status().runs < n || scheduler.status().is_running); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  ASSERT_TRUE(scheduler.trigger());
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return entered; })) << "the run never started";
  }
  // While it runs, triggers from several threads at once start nothing and queue nothing.
  std::atomic<int> accepted{0};
  {
    std::vector<std::thread> triggers;
    for (int i = 0; i < 4; ++i) triggers.emplace_back([&] { accepted += scheduler.trigger() ? 1 : 0; });
    for (auto& t : triggers) t.join();
  }
  EXPECT_EQ(accepted.load(), 0);
  EXPECT_TRUE(scheduler.status().is_running);
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  wait_for_runs(1);
  auto json = scheduler.status_json();
  EXPECT_EQ(max_concurrent.load(), 1);
  EXPECT_EQ(json["harvest"]["runs"].get<int>(), 1);
  EXPECT_TRUE(json["harvest"]["last_ok"].get<bool>());
  EXPECT_TRUE(json["harvest"]["last_error"].is_null());
  EXPECT_TRUE(json["harvest"]["last_run"].is_string());
  EXPECT_EQ(json["harvest"]["schedule"], "daily at 00:00 UTC");
  EXPECT_EQ(store_->max_change_seq().value(), 1200);

  // A failing run is visible with its error.
  options.base_url = "http://127.0.0.1:9/oai";  // discard port: connection refused
  options.retry.max_attempts = 1;
  int runs_before = scheduler.status().runs;
  ASSERT_TRUE(scheduler.trigger());
  wait_for_runs(runs_before + 1);
  json = scheduler.status_json();
  EXPECT_FALSE(json["harvest"]["last_ok"].get<bool>());
  EXPECT_NE(json["harvest"]["last_error"].get<std::string>().find("127.0.0.1:9"), std::string::npos) << json.dump();
  scheduler.stop();
}

}  // namespace
}  // namespace paperboy::ingest
