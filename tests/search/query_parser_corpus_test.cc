// Replays the query-parser fuzz corpus (tests/fixtures/search/query_parser_corpus/, seeded by
// hand and grown by fuzz/query_parser_fuzz): every input parses or fails with a message, and
// never crashes (this binary also runs under ASan+UBSan).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "search/lexical_index.h"
#include "search/query_parser.h"

namespace paperboy::search {
namespace {

constexpr std::int64_t kNow = 1795867200;  // 2026-11-28T12:00:00Z, as the fuzzer uses

TEST(QueryParserCorpus, EveryFuzzInputParsesOrFailsWithAMessage) {
  const std::filesystem::path dir = std::filesystem::path(PAPERBOY_FIXTURES) / "query_parser_corpus";
  size_t inputs = 0, rejected = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    ++inputs;
    auto parsed = parse_query(text, kNow);
    if (!parsed) {
      ++rejected;
      EXPECT_FALSE(parsed.error().message().empty()) << entry.path();
      continue;
    }
    (void)parsed->describe();
    FtsQuery fts = to_fts_query(*parsed);
    for (const std::string* expr : {&fts.match, &fts.match_any, &fts.constraint, &fts.excluded}) {
      EXPECT_EQ(std::count(expr->begin(), expr->end(), '"') % 2, 0) << entry.path() << ": " << *expr;
    }
  }
  // The hand-written seeds alone hold 25 inputs, several of them errors.
  EXPECT_GE(inputs, 25U);
  EXPECT_GE(rejected, 3U);
}

}  // namespace
}  // namespace paperboy::search
