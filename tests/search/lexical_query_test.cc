// The query parser and its FTS5 translation under hostile input: a deterministic random fuzzer
// plus the corpus of cases it (and review) found, kept in tests/fixtures/search/query_fuzz_cases.txt.
// Every input either parses or fails with InvalidArgument; every parsed query runs against a real
// FTS5 index without an FTS5 syntax error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "search/lexical_index.h"
#include "search/query_parser.h"

namespace paperboy::search {
namespace {

class LexicalQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pb-lexq-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto idx = LexicalIndex::open((dir_ / "lexical.db").string());
    ASSERT_TRUE(idx.has_value()) << idx.error().to_string();
    index_ = std::move(*idx);
    store::StoredPaper p;
    p.doc_id = 1;
    p.paper.id = "2401.00001";
    p.paper.title = "Graph neural networks for molecules";
    p.paper.abstract = "We study message passing.";
    p.paper.categories = {"cs.LG"};
    p.paper.authors = {{"Hinton", "Geoffrey", ""}};
    ASSERT_TRUE(index_->apply({p}, 1).is_ok());
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Parses and, when that succeeds, runs every FTS5 form of the query.
  void check(const std::string& input) {
    SCOPED_TRACE(::testing::PrintToString(input));
    auto q = parse_query(input, 1795867200);
    if (!q) {
      EXPECT_EQ(q.error().code(), StatusCode::kInvalidArgument);
      EXPECT_FALSE(q.error().message().empty());
      return;
    }
    FtsQuery f = to_fts_query(*q);
    for (const std::string* expr : {&f.match, &f.match_any, &f.constraint, &f.excluded}) {
      if (expr->empty()) continue;
      auto hits = index_->search(*expr, f.from_day, f.until_day, 5, 0);
      EXPECT_TRUE(hits.has_value()) << *expr << ": " << hits.error().to_string();
    }
    auto kept = index_->filter({1}, f.constraint, f.excluded, f.from_day, f.until_day);
    EXPECT_TRUE(kept.has_value());
  }

  std::filesystem::path dir_;
  std::unique_ptr<LexicalIndex> index_;
};

TEST_F(LexicalQueryTest, KnownHostileQueriesNeverBreakTheIndexQuery) {
  std::ifstream in(std::filesystem::path(PAPERBOY_FIXTURES) / "query_fuzz_cases.txt");
  ASSERT_TRUE(in.good());
  int n = 0;
  for (std::string line; std::getline(in, line); ++n) check(line);
  EXPECT_GT(n, 40);
}

TEST_F(LexicalQueryTest, RandomQueriesNeverBreakTheIndexQuery) {
  // Built from the characters that mean something to the parser or to FTS5, plus letters.
  const std::string alphabet = "ab c\"+-*:()^{}.,'\\ \t:catuhorsinefml0123456789dwy\xc3\xa9";
  std::mt19937 rng(20261128);
  for (int i = 0; i < 3000; ++i) {
    std::string q;
    int len = static_cast<int>(rng() % 24);
    for (int k = 0; k < len; ++k) q += alphabet[rng() % alphabet.size()];
    check(q);
  }
}

TEST_F(LexicalQueryTest, WordsMatchStemmedAndFiltersMatchTheirColumns) {
  auto run = [&](const char* text) {
    auto q = parse_query(text, 1795867200);
    EXPECT_TRUE(q.has_value());
    auto hits = index_->search(to_fts_query(*q).match, INT64_MIN, INT64_MAX, 5, 0);
    EXPECT_TRUE(hits.has_value());
    return hits ? hits->size() : 0;
  };
  EXPECT_EQ(run("network"), 1u);  // porter: networks -> network
  EXPECT_EQ(run("molecul*"), 1u);
  EXPECT_EQ(run("cat:cs.LG graph"), 1u);
  EXPECT_EQ(run("cat:cs graph"), 1u);
  EXPECT_EQ(run("cat:cs.CV graph"), 0u);
  EXPECT_EQ(run("author:hinton"), 1u);
  EXPECT_EQ(run("author:graph"), 0u);  // a title word is not an author
  EXPECT_EQ(run("graph -passing"), 0u);
  EXPECT_EQ(run("\"neural graph\""), 0u);
  EXPECT_EQ(run("\"graph neural\""), 1u);
}

}  // namespace
}  // namespace paperboy::search
