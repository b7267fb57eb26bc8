#include "search/text_analyzer.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace paperboy::search {
namespace {

// A short English stop list: the function words that carry no topic. Kept sorted for binary search.
constexpr std::array<std::string_view, 110> kStopWords = {
    "a",     "about", "above", "after", "again", "all",   "also",  "am",    "an",    "and",   "any",   "are",
    "as",    "at",    "be",    "been",  "being", "both",  "but",   "by",    "can",   "could", "did",   "do",
    "does",  "doing", "during", "each", "few",   "for",   "from",  "further", "had", "has",   "have",  "having",
    "he",    "her",   "here",  "hers",  "him",   "his",   "how",   "however", "i",   "if",    "in",    "into",
    "is",    "it",    "its",   "itself", "may",  "more",  "most",  "much",  "must",  "no",    "nor",   "not",
    "of",    "off",   "on",    "once",  "only",  "or",    "other", "our",   "ours",  "out",   "over",  "own",
    "same",  "she",   "should", "so",   "some",  "such",  "than",  "that",  "the",   "their", "them",  "then",
    "there", "these", "they",  "this",  "those", "through", "to",  "too",   "under", "until", "up",    "very",
    "was",   "we",    "were",  "what",  "when",  "where", "which", "while", "who",   "will",  "with",  "would",
    "you",   "your",
};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && std::string_view(s).substr(s.size() - suffix.size()) == suffix;
}

// A deliberately light stemmer (plural and a few verb endings): Porter's full algorithm buys little
// for LSA, whose dimensions already merge related forms, and would be a lot of hand-written code.
void stem_word(std::string& w) {
  if (w.size() <= 3) return;
  if (ends_with(w, "ies") && w.size() > 4) {
    w.replace(w.size() - 3, 3, "y");
  } else if (ends_with(w, "sses")) {
    w.resize(w.size() - 2);
  } else if (ends_with(w, "s") && !ends_with(w, "ss") && !ends_with(w, "us") && !ends_with(w, "is")) {
    w.pop_back();
  }
  if (w.size() > 5 && ends_with(w, "ing")) {
    w.resize(w.size() - 3);
  } else if (w.size() > 4 && ends_with(w, "ed") && !ends_with(w, "eed")) {
    w.resize(w.size() - 2);
  }
}

}  // namespace

namespace detail {
bool is_stop_word(std::string_view w) { return std::binary_search(kStopWords.begin(), kStopWords.end(), w); }
void stem(std::string& w) { stem_word(w); }
}  // namespace detail

std::vector<std::string> analyze(std::string_view text) {
  std::vector<std::string> out;
  for_each_term(text, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

std::string encoder_text(std::string_view title, std::string_view abstract) {
  std::string out;
  out.reserve(title.size() * 2 + abstract.size() + 2);
  out.append(title).append(" ").append(title).append(" ").append(abstract);
  return out;
}

}  // namespace paperboy::search
