// Speller: "did you mean" from the index's own vocabulary, SymSpell-style (Wolf Garbe's symmetric
// delete): every vocabulary word's single-character deletions point back to it, a misspelt word's
// deletions (up to two) are looked up, and the candidates are checked with the Damerau-Levenshtein
// distance (at most 2). The nearest candidate wins, then the one found in more papers (document
// frequency). Words are lower-case runs of letters and digits from titles and abstracts, as typed
// (not stemmed), so a suggestion reads as a word. Immutable once built; thread-safe queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace paperboy::search {

class Speller {
 public:
  struct Options {
    int min_df = 3;          // vocabulary words must occur in this many papers (rarer ones are mostly typos)
    size_t min_length = 3;   // shorter words are never corrected or suggested
    size_t max_length = 24;  // longer ones neither (formulas, ids)
    // A known word is still corrected when a neighbour is this many times more frequent (and the
    // word itself is rare: below `rare_df` papers).
    double dominance = 50;
    int rare_df = 5;
  };

  // Counts words over the texts (one text per paper: each word counts once per text).
  void add_document(std::string_view text);
  // Keeps words with enough papers and indexes their deletions. Call once after the last add.
  void finish(const Options& options);
  void finish() { finish(Options{}); }

  // The document frequency of a word (lower case), 0 when unknown.
  [[nodiscard]] int df(std::string_view word) const;
  // The best correction of one lower-case word, or nullopt when it is fine or nothing is near.
  [[nodiscard]] std::optional<std::string> correct(std::string_view word) const;
  // The query with each misspelt word replaced, or nullopt when nothing changed. Words inside
  // quotes, filters (cat:, author:...) and words with a prefix '*' or +/- marks are kept as typed.
  [[nodiscard]] std::optional<std::string> suggest(std::string_view query) const;

  [[nodiscard]] size_t vocabulary_size() const { return words_.size(); }

 private:
  struct Count {
    int df = 0;
    int last_doc = -1;
  };
  std::unordered_map<std::string, Count> counts_;  // while adding
  int docs_ = 0;
  Options options_;
  std::vector<std::string> words_;
  std::vector<int> df_;
  std::unordered_map<std::string, int> index_;  // word -> position in words_
  // (hash of a word or of one of its one-character deletions, word position), sorted: compact
  // (12 bytes an entry) where a map of strings would take ~100.
  std::vector<std::pair<std::uint64_t, std::int32_t>> forms_;
};

// Damerau-Levenshtein distance (optimal string alignment), or max + 1 when it exceeds `max`.
[[nodiscard]] int edit_distance(std::string_view a, std::string_view b, int max);

}  // namespace paperboy::search
