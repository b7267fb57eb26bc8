#include "ingest/snapshot_record.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace paperboy::ingest {
namespace {

// A complete record in the snapshot layout; tests replace parts of it.
std::string record(const std::string& id_json = R"("2403.01234")", const std::string& title_json = R"("A  title\n on $\\alpha$")",
                   const std::string& categories_json = R"("cs.LG stat.ML")", const std::string& extra = "") {
  return R"({"id": )" + id_json + R"(, "submitter": "Ann Author", "authors": "Ann Author, Bob Builder", "title": )" +
         title_json + R"(, "comments": "12 pages", "journal-ref": null, "doi": "10.1/xyz", "report-no": null, )" +
         R"("categories": )" + categories_json + R"(, "license": "http://creativecommons.org/licenses/by/4.0/", )" +
         R"("abstract": "  First line\nsecond   line. ", "versions": [{"version": "v2", "created": "Tue, 5 Mar 2024 10:00:00 GMT"}, )" +
         R"({"version": "v1", "created": "Mon, 4 Mar 2024 18:30:00 GMT"}], "update_date": "2024-03-05", )" +
         R"("authors_parsed": [["Author", "Ann", ""], ["Builder", "Bob", "Jr", "Some University"]])" + extra + "}";
}

TEST(SnapshotRecord, ParsesEveryFieldOfAGoodRecord) {
  SnapshotRecordParser parser;
  auto p = parser.parse(record());
  ASSERT_TRUE(p.has_value()) << p.error().to_string();
  EXPECT_EQ(p->id, "2403.01234");
  EXPECT_EQ(p->title, "A title on $\\alpha$");
  EXPECT_EQ(p->abstract, "First line second line.");
  ASSERT_EQ(p->authors.size(), 2u);
  EXPECT_EQ(p->authors[0], (core::Author{"Author", "Ann", ""}));
  EXPECT_EQ(p->authors[1], (core::Author{"Builder", "Bob", "Jr"}));
  EXPECT_EQ(p->categories, (std::vector<std::string>{"cs.LG", "stat.ML"}));
  EXPECT_EQ(p->comments, "12 pages");
  EXPECT_EQ(p->journal_ref, "");
  EXPECT_EQ(p->doi, "10.1/xyz");
  EXPECT_EQ(p->license, "http://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(p->submitter, "Ann Author");
  ASSERT_EQ(p->versions.size(), 2u);
  EXPECT_EQ(p->versions[0].number, 1);
  EXPECT_EQ(p->versions[0].created, core::parse_rfc2822("Mon, 4 Mar 2024 18:30:00 GMT").value());
  EXPECT_EQ(p->versions[1].number, 2);
  EXPECT_EQ(p->listing_day(), "2024-03-04");
  EXPECT_EQ(p->update_date, "2024-03-05");
}

TEST(SnapshotRecord, NormalisesOldStyleAndVersionedIds) {
  SnapshotRecordParser parser;
  auto old_style = parser.parse(record(R"("math.GT/0309136")"));
  ASSERT_TRUE(old_style.has_value()) << old_style.error().to_string();
  EXPECT_EQ(old_style->id, "math/0309136");
  auto hep = parser.parse(record(R"("hep-th/9901001")"));
  ASSERT_TRUE(hep.has_value()) << hep.error().to_string();
  EXPECT_EQ(hep->id, "hep-th/9901001");
}

TEST(SnapshotRecord, SplitsTheAuthorStringWhenAuthorsParsedIsAbsent) {
  SnapshotRecordParser parser;
  std::string line = R"({"id": "2403.01234", "title": "T", "categories": "cs.AI", "authors": "Ann B. Author, Bob Builder and Cy Coder"})";
  auto p = parser.parse(line);
  ASSERT_TRUE(p.has_value()) << p.error().to_string();
  ASSERT_EQ(p->authors.size(), 3u);
  EXPECT_EQ(p->authors[0], (core::Author{"Author", "Ann B.", ""}));
  EXPECT_EQ(p->authors[2], (core::Author{"Coder", "Cy", ""}));
  EXPECT_TRUE(p->versions.empty());
}

struct BadCase {
  std::string name;
  std::string line;
  std::string expected_message;  // a substring of the error
};

TEST(SnapshotRecord, RejectsBadLinesWithAMessageNamingTheProblem) {
  std::string no_id = R"({"title": "T", "categories": "cs.AI"})";
  std::string no_title = R"({"id": "2403.01234", "categories": "cs.AI"})";
  std::string invalid_utf8 = record(R"("2403.01234")", "\"Bad \xFF\xFE bytes\"");
  const std::vector<BadCase> cases = {
      {"missing id", no_id, "field 'id' missing"},
      {"null id", R"({"id": null, "title": "T", "categories": "cs.AI"})", "field 'id' missing"},
      {"missing title", no_title, "field 'title' missing"},
      {"empty title", record(R"("2403.01234")", R"("   ")"), "field 'title' missing"},
      {"categories a number", record(R"("2403.01234")", R"("T")", "42"), "field 'categories': expected a string, got number"},
      {"no categories", record(R"("2403.01234")", R"("T")", R"("")"), "field 'categories'"},
      {"id a number", record("2403.01234"), "field 'id': expected a string, got number"},
      {"id not an arXiv id", record(R"("hello")"), "field 'id'"},
      {"title an array", record(R"("2403.01234")", R"(["T"])"), "field 'title': expected a string, got array"},
      {"invalid UTF-8", invalid_utf8, "invalid UTF-8"},
      {"truncated JSON", record().substr(0, 80), "malformed JSON"},
      {"trailing garbage", record() + " {", "malformed JSON"},
      {"not an object", R"(["2403.01234"])", "malformed JSON: expected an object, got array"},
      {"plain text", "hello world", "malformed JSON"},
      {"versions not an array", record(R"("2403.01234")", R"("T")", R"("cs.AI")", R"(, "versions": "v1")"),
       "field 'versions': expected an array, got string"},
      {"bad version date", R"({"id": "2403.01234", "title": "T", "categories": "cs.AI", "versions": [{"version": "v1", "created": "yesterday"}]})",
       "field 'versions': bad date 'yesterday'"},
      {"bad version label", R"({"id": "2403.01234", "title": "T", "categories": "cs.AI", "versions": [{"version": "1", "created": "Mon, 4 Mar 2024 18:30:00 GMT"}]})",
       "field 'versions': bad version label"},
      {"authors_parsed wrong shape", R"({"id": "2403.01234", "title": "T", "categories": "cs.AI", "authors_parsed": ["Ann Author"]})",
       "field 'authors_parsed'"},
      {"bad update_date", R"({"id": "2403.01234", "title": "T", "categories": "cs.AI", "update_date": "March"})",
       "field 'update_date'"},
  };
  SnapshotRecordParser parser;
  for (const auto& c : cases) {
    auto p = parser.parse(c.line);
    ASSERT_FALSE(p.has_value()) << c.name << " was accepted";
    EXPECT_NE(p.error().message().find(c.expected_message), std::string::npos)
        << c.name << ": got '" << p.error().message() << "'";
  }
  // The parser is reusable after errors.
  EXPECT_TRUE(parser.parse(record()).has_value());
}

TEST(SnapshotRecord, ParsesInPlaceWhenTheCallerProvidesPadding) {
  SnapshotRecordParser parser;
  std::string line = record();
  std::string padded = line + std::string(64, 'x');  // garbage after the line must not matter
  auto p = parser.parse(std::string_view(padded.data(), line.size()), 64);
  ASSERT_TRUE(p.has_value()) << p.error().to_string();
  EXPECT_EQ(p->id, "2403.01234");
}

}  // namespace
}  // namespace paperboy::ingest
