// libFuzzer target for the search query language: parse_query() and the FTS5 translation of its
// result must never crash, and every rejection must carry a message. Built with
// -DPAPERBOY_FUZZ=ON (see fuzz/CMakeLists.txt); the inputs it finds worth keeping live in
// tests/fixtures/search/query_parser_corpus/, which search_test replays on every CI run.
//   build/fuzz/fuzz/query_parser_fuzz -max_total_time=300 CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "search/lexical_index.h"
#include "search/query_parser.h"

namespace {
// 2026-11-28T12:00:00Z: a fixed "now" keeps relative dates (since:7d) reproducible.
constexpr std::int64_t kNow = 1795867200;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = paperboy::search::parse_query(text, kNow);
  if (!parsed) {
    if (parsed.error().message().empty()) std::abort();  // every error must say what is wrong
    return 0;
  }
  (void)parsed->describe();
  (void)parsed->highlight_terms();
  auto fts = paperboy::search::to_fts_query(*parsed);
  // Every user-typed term reaches FTS5 only inside a string literal, so quotes must balance.
  for (const std::string* expr : {&fts.match, &fts.match_any, &fts.constraint, &fts.excluded}) {
    size_t quotes = 0;
    for (char c : *expr) quotes += c == '"' ? 1 : 0;
    if (quotes % 2 != 0) std::abort();
  }
  return 0;
}
