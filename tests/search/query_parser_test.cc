#include "search/query_parser.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace paperboy::search {
namespace {

// 2026-11-28T12:00:00Z
constexpr std::int64_t kNow = 1795867200;  // checked: 1795867200 / 86400 is a whole number of days plus 12 h

std::int64_t day(int y, int m, int d) {
  return *core::days_from_civil(y, m, d);
}

struct ParseCase {
  const char* input;
  std::vector<std::string> words, phrases, required, excluded, categories, authors;
  std::optional<std::int64_t> from_day, until_day;
};

TEST(QueryParser, ParsesTheQueryLanguage) {
  const std::int64_t today = kNow / 86400;
  const std::vector<ParseCase> cases = {
      {"diffusion model", {"diffusion", "model"}, {}, {}, {}, {}, {}, {}, {}},
      {"\"diffusion model\" sampling", {"sampling"}, {"diffusion model"}, {}, {}, {}, {}, {}, {}},
      {"+transformer -vision", {}, {}, {"transformer"}, {"vision"}, {}, {}, {}, {}},
      {"+\"large language\" -\"computer vision\"", {}, {}, {"large language"}, {"computer vision"}, {}, {}, {}, {}},
      {"cat:cs.LG graph", {"graph"}, {}, {}, {}, {"cs.LG"}, {}, {}, {}},
      {"cat:cs.LG cat:stat.ML", {}, {}, {}, {}, {"cs.LG", "stat.ML"}, {}, {}, {}},
      {"author:Hinton", {}, {}, {}, {}, {}, {"Hinton"}, {}, {}},
      {"author:\"Le Cun\" nets", {"nets"}, {}, {}, {}, {}, {"Le Cun"}, {}, {}},
      {"since:7d", {}, {}, {}, {}, {}, {}, today - 7, {}},
      {"since:2w", {}, {}, {}, {}, {}, {}, today - 14, {}},
      {"since:2024-03-01", {}, {}, {}, {}, {}, {}, day(2024, 3, 1), {}},
      {"from:2024-01-01 until:2024-12-31", {}, {}, {}, {}, {}, {}, day(2024, 1, 1), day(2024, 12, 31)},
      {"from:2024-02 until:2024-02", {}, {}, {}, {}, {}, {}, day(2024, 2, 1), day(2024, 2, 29)},
      {"until:2025", {}, {}, {}, {}, {}, {}, {}, day(2025, 12, 31)},
      {"BERT: pre-training", {"BERT", "pre-training"}, {}, {}, {}, {}, {}, {}, {}},
      {"graph*", {"graph*"}, {}, {}, {}, {}, {}, {}, {}},
      {"  spaced \t out  ", {"spaced", "out"}, {}, {}, {}, {}, {}, {}, {}},
      {"\"\" empty phrase", {"empty", "phrase"}, {}, {}, {}, {}, {}, {}, {}},
      {"2403.01234:v2", {"2403.01234:v2"}, {}, {}, {}, {}, {}, {}, {}},
      {"", {}, {}, {}, {}, {}, {}, {}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto q = parse_query(c.input, kNow);
    ASSERT_TRUE(q.has_value()) << q.error().to_string();
    EXPECT_EQ(q->words, c.words);
    EXPECT_EQ(q->phrases, c.phrases);
    EXPECT_EQ(q->required, c.required);
    EXPECT_EQ(q->excluded, c.excluded);
    EXPECT_EQ(q->categories, c.categories);
    EXPECT_EQ(q->authors, c.authors);
    EXPECT_EQ(q->from_day, c.from_day);
    EXPECT_EQ(q->until_day, c.until_day);
  }
}

TEST(QueryParser, RejectsBadQueriesWithMessagesThatSayWhere) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"\"diffusion model", "unbalanced quote at character 1"},
      {"graph \"neural", "unbalanced quote at character 7"},
      {"foo:bar", "unknown field 'foo'"},
      {"has:tests", "has: expected has:code"},
      {"Title:attention", "unknown field 'title'"},
      {"since:yesterday", "since: expected Nd"},
      {"from:2024-13-01", "from: expected a date"},
      {"until:soon", "until: expected a date"},
      {"-cat:cs.LG", "cannot be applied to the filter"},
      {"from:2025-01-01 until:2024-01-01", "the date range is empty"},
      {"author:\"unterminated", "unbalanced quote"},
  };
  for (const auto& [input, message] : cases) {
    SCOPED_TRACE(input);
    auto q = parse_query(input, kNow);
    ASSERT_FALSE(q.has_value());
    EXPECT_EQ(q.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(q.error().message().find(message), std::string::npos) << q.error().message();
  }
}

TEST(QueryParser, HasCodeIsAFilter) {
  for (const char* text : {"has:code graph", "graph has:CODE"}) {
    SCOPED_TRACE(text);
    auto q = parse_query(text, kNow);
    ASSERT_TRUE(q.has_value()) << q.error().to_string();
    EXPECT_TRUE(q->has_code);
    EXPECT_TRUE(q->has_filters());
    EXPECT_EQ(q->words, std::vector<std::string>{"graph"});
    EXPECT_NE(q->describe().find("with a code link"), std::string::npos) << q->describe();
  }
  auto plain = parse_query("graph code", kNow);
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->has_code);
  EXPECT_FALSE(plain->has_filters());
}

TEST(QueryParser, HighlightTermsAreThePositiveWordsAndPhrases) {
  auto q = parse_query("graph* \"neural network\" +pruning -vision cat:cs.LG", kNow);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->highlight_terms(), (std::vector<std::string>{"graph", "neural network", "pruning"}));
  EXPECT_NE(q->describe().find("categories: cs.LG"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::search
