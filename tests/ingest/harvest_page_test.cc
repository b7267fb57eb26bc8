// Parsing of OAI-PMH pages and arXiv API feeds, and the small pure helpers of the harvest code
// (author lists, set specs, Retry-After, backoff, the daily schedule).
#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.h"
#include "ingest/arxiv_api.h"
#include "ingest/harvest_schedule.h"
#include "ingest/http_client.h"
#include "ingest/oai_pmh_page.h"
#include "oai_test_server.h"

namespace paperboy::ingest {
namespace {

using paperboy::testing::oai_fixture;
using paperboy::testing::read_file;

Result<ListRecordsPage> parse_in_chunks(const std::string& xml, size_t chunk) {
  ListRecordsParser parser;
  for (size_t i = 0; i < xml.size(); i += chunk) {
    if (Status s = parser.feed(std::string_view(xml).substr(i, chunk)); !s.is_ok()) return fail(s);
  }
  return parser.finish();
}

const core::Paper* find(const ListRecordsPage& page, std::string_view id) {
  auto it = std::find_if(page.papers.begin(), page.papers.end(), [&](const core::Paper& p) { return p.id == id; });
  return it == page.papers.end() ? nullptr : &*it;
}

TEST(HarvestPage, ParsesArxivFormatPageWithAuthorsCategoriesAndToken) {
  auto page = parse_in_chunks(read_file(oai_fixture("arXiv-page-0.xml")), 4096);
  ASSERT_TRUE(page) << page.error().to_string();
  EXPECT_EQ(page->records, 1000);
  EXPECT_EQ(page->papers.size(), 1000u);
  EXPECT_TRUE(page->rejected.empty());
  EXPECT_EQ(page->resumption_token, "arXiv-page-1");
  EXPECT_EQ(page->response_date, "2026-11-20T03:00:00Z");
  const core::Paper* p = find(*page, "2512.08038");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->title, "SSplain: Sparse and Smooth Explainer for Retinopathy of Prematurity Classification");
  ASSERT_EQ(p->authors.size(), 6u);
  EXPECT_EQ(p->authors[0].keyname, "Sunger");
  EXPECT_EQ(p->authors[0].forenames, "Elifnur");
  EXPECT_EQ(p->authors[5].keyname, "Dy");
  EXPECT_EQ(p->categories, std::vector<std::string>{"cs.CV"});
  EXPECT_EQ(p->comments, "20 pages, 16 figures");
  ASSERT_EQ(p->versions.size(), 1u);
  EXPECT_EQ(core::format_iso_date(p->versions[0].created), "2025-12-10");
  EXPECT_EQ(p->update_date, "2025-12-10");
  // Character references are decoded; no line breaks survive in the abstract.
  EXPECT_NE(p->abstract.find("SSplain's generalization"), std::string::npos);
  EXPECT_EQ(p->abstract.find('\n'), std::string::npos);
}

TEST(HarvestPage, ChunkSizeDoesNotChangeTheResult) {
  std::string xml = read_file(oai_fixture("arXivRaw-page-1.xml"));
  auto whole = parse_in_chunks(xml, xml.size());
  auto tiny = parse_in_chunks(xml, 7);
  ASSERT_TRUE(whole && tiny);
  EXPECT_EQ(whole->papers, tiny->papers);
  EXPECT_TRUE(whole->is_last());
  EXPECT_TRUE(whole->has_resumption_token);
}

TEST(HarvestPage, ArxivRawGivesVersionHistoryAndPrimaryCategoryFirst) {
  auto page = parse_in_chunks(read_file(oai_fixture("arXivRaw-page-0.xml")), 65536);
  ASSERT_TRUE(page);
  const core::Paper* p = find(*page, "2602.07774");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->versions.size(), 2u);
  EXPECT_EQ(p->versions[0].number, 1);
  EXPECT_EQ(p->versions[0].created, *core::parse_rfc2822("Sun, 08 Feb 2026 00:00:00 GMT"));
  EXPECT_EQ(p->versions[1].number, 3);
  EXPECT_EQ(p->versions[1].created, *core::parse_rfc2822("Thu, 12 Feb 2026 00:00:00 GMT"));
  // The header's sets say cs:cs:AI first; the record's own list puts the primary cs.IR first.
  EXPECT_EQ(p->categories, (std::vector<std::string>{"cs.IR", "cs.AI"}));
  EXPECT_EQ(p->submitter, "Mingfu Liang");
  ASSERT_EQ(p->authors.size(), 21u);
  EXPECT_EQ(p->authors[0], (core::Author{"Liang", "Mingfu", ""}));
  EXPECT_EQ(p->authors[20], (core::Author{"Simon", "Luke", ""}));
}

TEST(HarvestPage, TruncatedPageFailsWithLineAndColumn) {
  std::string xml = read_file(oai_fixture("arXiv-page-2.xml"));
  auto page = parse_in_chunks(xml.substr(0, xml.size() / 2), 8192);
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message().find("XML line"), std::string::npos) << page.error().to_string();
}

TEST(HarvestPage, MalformedRecordIsRejectedAndTheRestKept) {
  std::string xml = read_file(oai_fixture("arXivRaw-page-1.xml"));
  auto at = xml.find("<title>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 7, "<title>   ");
  auto end = xml.find("</title>", at);
  xml.erase(at + 7, end - (at + 7));  // the first record's title is now empty
  auto page = parse_in_chunks(xml, 1 << 20);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->records, 200);
  EXPECT_EQ(page->papers.size(), 199u);
  ASSERT_EQ(page->rejected.size(), 1u);
  EXPECT_NE(page->rejected[0].identifier.find("oai:arXiv.org:"), std::string::npos);
  EXPECT_NE(page->rejected[0].message.find("title"), std::string::npos);
}

TEST(HarvestPage, OaiErrorAndDeletedRecordsAreRecognised) {
  auto bad = parse_in_chunks(read_file(oai_fixture("error-badResumptionToken.xml")), 100);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->error_code, "badResumptionToken");
  EXPECT_EQ(bad->error_message, "Invalid or expired resumption token");

  // Prefixed OAI namespace (any prefix is the same namespace) and a deleted record.
  auto deleted = parse_in_chunks(
      "<o:OAI-PMH xmlns:o='http://www.openarchives.org/OAI/2.0/'><o:ListRecords><o:record>"
      "<o:header status='deleted'><o:identifier>oai:arXiv.org:2401.00001</o:identifier>"
      "<o:datestamp>2026-01-02</o:datestamp></o:header></o:record><o:resumptionToken/></o:ListRecords></o:OAI-PMH>",
      16);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->records, 1);
  EXPECT_EQ(deleted->deleted, 1);
  EXPECT_TRUE(deleted->papers.empty());
  EXPECT_EQ(deleted->max_datestamp, "2026-01-02");
}

TEST(HarvestPage, OaiDcRecordMapsCreatorsSetsAndDates) {
  auto page = parse_in_chunks(
      "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><ListRecords><record><header>"
      "<identifier>oai:arXiv.org:2401.01234</identifier><datestamp>2024-01-09</datestamp>"
      "<setSpec>cs:cs:LG</setSpec><setSpec>stat:stat:ML</setSpec></header><metadata>"
      "<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
      "<dc:title>A   title\n split</dc:title><dc:creator>Hinton, Geoffrey E.</dc:creator>"
      "<dc:creator>Doe, Jane</dc:creator><dc:subject>Computer Science - Learning</dc:subject>"
      "<dc:description>An abstract.</dc:description><dc:date>2024-01-03</dc:date><dc:date>2024-01-08</dc:date>"
      "<dc:identifier>http://arxiv.org/abs/2401.01234</dc:identifier></oai_dc:dc></metadata></record>"
      "</ListRecords></OAI-PMH>",
      5);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->papers.size(), 1u);
  const core::Paper& p = page->papers[0];
  EXPECT_EQ(p.id, "2401.01234");
  EXPECT_EQ(p.title, "A title split");
  EXPECT_EQ(p.authors[0], (core::Author{"Hinton", "Geoffrey E.", ""}));
  EXPECT_EQ(p.categories, (std::vector<std::string>{"cs.LG", "stat.ML"}));
  ASSERT_EQ(p.versions.size(), 2u);
  EXPECT_EQ(core::format_iso_date(p.versions[1].created), "2024-01-08");
}

TEST(HarvestPage, AuthorListsSplitLikeArxiv) {
  struct Case {
    std::string text;
    std::vector<core::Author> want;
  };
  std::vector<Case> cases = {
      {"Xuwei Tan, Ziyu Hu, Xueru Zhang", {{"Tan", "Xuwei", ""}, {"Hu", "Ziyu", ""}, {"Zhang", "Xueru", ""}}},
      {"A. Smith and B. C. Jones", {{"Smith", "A.", ""}, {"Jones", "B. C.", ""}}},
      {"A. Smith (MIT), B. Jones (ETH (Zurich)) and C. Wu",
       {{"Smith", "A.", ""}, {"Jones", "B.", ""}, {"Wu", "C.", ""}}},
      {"Martin Luther King Jr, Plato", {{"King", "Martin Luther", "Jr"}, {"Plato", "", ""}}},
      {"John Smith, Jr., Ann Lee", {{"Smith", "John", "Jr."}, {"Lee", "Ann", ""}}},
      {"J. M. G\\\"orlach", {{"G\\\"orlach", "J. M.", ""}}},
      {"", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_author_list(c.text), c.want) << c.text;
}

TEST(HarvestPage, SetSpecsBecomeCategories) {
  std::vector<std::pair<std::string, std::string>> cases = {
      {"cs:cs:CV", "cs.CV"}, {"physics:astro-ph", "astro-ph"}, {"physics:astro-ph:GA", "astro-ph.GA"},
      {"math", "math"},      {"stat:stat:ML", "stat.ML"}};
  for (const auto& [spec, want] : cases) EXPECT_EQ(category_from_set_spec(spec), want) << spec;
}

TEST(HarvestPage, MetadataPrefixesAreValidated) {
  EXPECT_EQ(*parse_metadata_prefix("arXivRaw"), OaiMetadataFormat::kArxivRaw);
  EXPECT_EQ(*parse_metadata_prefix("oai_dc"), OaiMetadataFormat::kOaiDc);
  EXPECT_FALSE(parse_metadata_prefix("marc21"));
}

TEST(HarvestHttp, RetryAfterAcceptsSecondsAndHttpDates) {
  std::int64_t now = *core::parse_rfc2822("Sun, 06 Nov 1994 08:49:00 GMT");
  EXPECT_EQ(parse_retry_after("120", now), 120.0);
  EXPECT_EQ(parse_retry_after(" 5 ", now), 5.0);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 37.0);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:48:00 GMT", now), 0.0);  // in the past
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-3", now), std::nullopt);
}

TEST(HarvestHttp, BackoffDoublesUpToTheCap) {
  RetryPolicy p;
  p.initial_backoff_s = 2;
  p.max_backoff_s = 10;
  EXPECT_EQ(p.backoff_s(1), 2);
  EXPECT_EQ(p.backoff_s(2), 4);
  EXPECT_EQ(p.backoff_s(3), 8);
  EXPECT_EQ(p.backoff_s(4), 10);
  EXPECT_EQ(p.backoff_s(30), 10);
}

TEST(HarvestHttp, RetriesStopAtTheAttemptLimitAndFinalErrorsAreNotRetried) {
  RetryPolicy p;
  p.max_attempts = 3;
  p.initial_backoff_s = 0.001;
  int calls = 0;
  Status s = run_with_retries(p, "test", [&](int) { ++calls; return TryOutcome{Status::unavailable("down"), std::nullopt}; });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("giving up after 3 tries"), std::string::npos);
  calls = 0;
  s = run_with_retries(p, "test", [&](int) { ++calls; return TryOutcome{Status::invalid_argument("bad"), std::nullopt}; });
  EXPECT_EQ(calls, 1);
  // A Retry-After beyond the configured maximum gives up at once instead of sleeping for hours.
  p.max_retry_after_s = 10;
  calls = 0;
  s = run_with_retries(p, "test", [&](int) { ++calls; return TryOutcome{Status::unavailable("busy"), 86400.0}; });
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(s.is_ok());
}

TEST(HarvestSchedule, NextDailyRunIsTheNextOccurrenceOfTheTime) {
  struct Case {
    std::string now;
    int minute;
    std::string want;
  };
  std::vector<Case> cases = {
      {"2026-11-20T01:00:00Z", 180, "2026-11-20T03:00:00Z"},
      {"2026-11-20T03:00:00Z", 180, "2026-11-21T03:00:00Z"},  // exactly now: tomorrow
      {"2026-11-20T23:59:59Z", 0, "2026-11-21T00:00:00Z"},
      {"2026-12-31T05:00:00Z", 180, "2027-01-01T03:00:00Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(core::format_iso_datetime(next_daily_run(*core::parse_iso8601(c.now), c.minute)), c.want) << c.now;
  }
  EXPECT_EQ(*parse_time_of_day("03:30"), 210);
  EXPECT_FALSE(parse_time_of_day("24:00"));
  EXPECT_FALSE(parse_time_of_day("3:30"));
}

TEST(HarvestArxivApi, AtomFeedGivesPaperWithVersionsAndPrimaryCategory) {
  auto papers = parse_arxiv_atom_feed(
      read_file(paperboy::testing::source_dir() / "tests/fixtures/arxiv-api/2602.07774.atom"));
  ASSERT_TRUE(papers) << papers.error().to_string();
  ASSERT_EQ(papers->size(), 1u);
  const core::Paper& p = papers->front();
  EXPECT_EQ(p.id, "2602.07774");
  EXPECT_EQ(p.title, "Generative Reasoning Re-ranker");
  EXPECT_EQ(p.categories, (std::vector<std::string>{"cs.IR", "cs.AI"}));
  EXPECT_EQ(p.authors.front(), (core::Author{"Liang", "Mingfu", ""}));
  EXPECT_EQ(p.comments, "31 pages");
  ASSERT_EQ(p.versions.size(), 2u);
  EXPECT_EQ(p.versions[1].number, 3);
  EXPECT_EQ(core::format_iso_datetime(p.versions[0].created), "2026-02-08T00:00:00Z");
}

TEST(HarvestArxivApi, ErrorEntryBecomesAnInvalidArgument) {
  auto papers = parse_arxiv_atom_feed(
      "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_x</id>"
      "<title>Error</title><summary>incorrect id format for x</summary></entry></feed>");
  ASSERT_FALSE(papers);
  EXPECT_EQ(papers.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(papers.error().message().find("incorrect id format"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::ingest
