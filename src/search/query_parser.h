// The search query language, parsed into its parts: plain words, "quoted phrases", +required and
// -excluded terms, and filters (cat:cs.LG, author:Hinton, since:7d, from:2024-01-01,
// until:2024-12-31). Used by the search service and, for highlighting, by the web layer. The
// parser knows nothing about indexes; each index turns a ParsedQuery into its own query form.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paperboy::search {

struct ParsedQuery {
  std::vector<std::string> words;       // plain words as typed (a trailing '*' means prefix)
  std::vector<std::string> phrases;     // "quoted phrases": must occur as written
  std::vector<std::string> required;    // +word or +"phrase": must occur
  std::vector<std::string> excluded;    // -word or -"phrase": must not occur
  std::vector<std::string> categories;  // cat:X (any of them); "cs" alone means every cs.* category
  std::vector<std::string> authors;     // author:X (all of them), matched against author names
  bool has_code = false;                // has:code: only papers whose abstract or comments link code
  // Listing-day bounds, inclusive, in days since 1970-01-01.
  std::optional<std::int64_t> from_day;
  std::optional<std::int64_t> until_day;

  // True when nothing ranks the results: no words, phrases or required terms.
  [[nodiscard]] bool has_positive_text() const { return !words.empty() || !phrases.empty() || !required.empty(); }
  [[nodiscard]] bool has_filters() const {
    return !categories.empty() || !authors.empty() || has_code || from_day || until_day;
  }
  // The positive words and phrases, as typed, for highlighting.
  [[nodiscard]] std::vector<std::string> highlight_terms() const;
  // How the query was understood, in words: `words: diffusion, model; category: cs.LG; since 2024-01-01`.
  [[nodiscard]] std::string describe() const;
};

// Parses `text`. `now` (seconds since the epoch, UTC) anchors relative dates such as since:7d.
// Errors name the problem and where: "unbalanced quote at character 7", "unknown field 'foo'
// (known: cat, author, has, since, from, until)", "since: expected Nd, Nw, Nm, Ny or a date, got 'x'".
[[nodiscard]] Result<ParsedQuery> parse_query(std::string_view text, std::int64_t now);

}  // namespace paperboy::search
