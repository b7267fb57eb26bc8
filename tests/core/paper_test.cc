#include "core/paper.h"

#include <gtest/gtest.h>

#include "core/paper_json.h"
#include "core/text.h"

namespace paperboy::core {
namespace {

Paper sample() {
  Paper p;
  p.id = "2403.01234";
  p.title = "Diffusion models for $\\mathcal{O}(n)$ graphs";
  p.authors = {{"Hinton", "Geoffrey E.", ""}, {"Müller", "Jörg", "Jr"}};
  p.abstract = "We study <b> & things.";
  p.categories = {"cs.LG", "stat.ML"};
  p.versions = {{1, 1709251200}, {2, 1709856000}};
  p.update_date = "2024-03-08";
  return p;
}

TEST(Paper, DerivedDates) {
  Paper p = sample();
  EXPECT_EQ(p.latest_version(), 2);
  EXPECT_EQ(p.first_version_time(), 1709251200);
  EXPECT_EQ(p.listing_day(), "2024-03-01");
  EXPECT_EQ(p.last_updated(), "2024-03-08");
  EXPECT_EQ(p.primary_category(), "cs.LG");
}

TEST(Paper, ContentHashIsStableAndSensitiveToEveryField) {
  Paper a = sample();
  Paper b = sample();
  EXPECT_EQ(a.content_hash(), b.content_hash());
  // The fingerprint is persisted (stored papers compare against it): it must not change between
  // builds, compilers or platforms. Pinned values: a change here means every stored paper would
  // look changed to the next ingest.
  EXPECT_EQ(a.content_hash(), 13637602655882995157ULL);
  EXPECT_EQ(Paper{}.content_hash(), 14989950001182729422ULL);
  b.authors[1].suffix = "";
  EXPECT_NE(a.content_hash(), b.content_hash());
  b = sample();
  b.versions[1].created += 1;
  EXPECT_NE(a.content_hash(), b.content_hash());
  b = sample();
  b.comments = "10 pages";
  EXPECT_NE(a.content_hash(), b.content_hash());
  // Length prefixes keep field boundaries: moving a character between fields changes the hash.
  Paper c = sample(), d = sample();
  c.comments = "ab";
  c.journal_ref = "c";
  d.comments = "a";
  d.journal_ref = "bc";
  EXPECT_NE(c.content_hash(), d.content_hash());
}

TEST(Paper, ValidationNamesTheField) {
  Paper p = sample();
  EXPECT_TRUE(validate_paper(p).is_ok());
  p.title.clear();
  EXPECT_NE(validate_paper(p).message().find("title"), std::string::npos);
  p = sample();
  p.id = "2403.01234v2";
  EXPECT_NE(validate_paper(p).message().find("id"), std::string::npos);
  p = sample();
  p.abstract = std::string("bad \xC3\x28 utf8");
  EXPECT_NE(validate_paper(p).message().find("abstract"), std::string::npos);
  p = sample();
  p.categories.clear();
  EXPECT_NE(validate_paper(p).message().find("categories"), std::string::npos);
  p = sample();
  p.versions = {{2, 0}, {1, 0}};
  EXPECT_FALSE(validate_paper(p).is_ok());
}

TEST(Paper, MergeVersionsUnionsByNumberPreferringTheFirst) {
  std::vector<Version> newer = {{1, 100}, {3, 300}};
  std::vector<Version> older = {{1, 999}, {2, 200}};
  auto merged = merge_versions(newer, older);
  ASSERT_EQ(merged.size(), 3U);
  EXPECT_EQ(merged[0], (Version{1, 100}));
  EXPECT_EQ(merged[1], (Version{2, 200}));
  EXPECT_EQ(merged[2], (Version{3, 300}));
}

TEST(Paper, JsonKeepsLatexAndUnicodeAsWritten) {
  auto j = paper_to_json(sample());
  EXPECT_EQ(j["title"], "Diffusion models for $\\mathcal{O}(n)$ graphs");
  EXPECT_EQ(j["authors"][1]["name"], "Jörg Müller Jr");
  EXPECT_EQ(j["versions"][1]["created"], "2024-03-08T00:00:00Z");
  EXPECT_EQ(j["listing_day"], "2024-03-01");
  EXPECT_TRUE(j["doi"].is_null());
}

TEST(Text, CollapsesWhitespaceButNotLatex) {
  EXPECT_EQ(collapse_whitespace("  We present\n  a $\\alpha$-method\t{\\\"o}  "),
            "We present a $\\alpha$-method {\\\"o}");
  EXPECT_TRUE(is_valid_utf8("Jörg ∑"));
  EXPECT_FALSE(is_valid_utf8("\xff\xfe"));
}

}  // namespace
}  // namespace paperboy::core
