#include "search/speller.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "search/text_analyzer.h"

namespace paperboy::search {
namespace {

std::uint64_t hash_of(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

template <typename Fn>
void for_each_word(std::string_view text, Fn&& fn) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) fn(word);
    word.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      word += static_cast<char>(std::tolower(c));
    } else if (std::isdigit(c) && !word.empty()) {
      word += ch;
    } else {
      flush();
    }
  }
  flush();
}

// Every string made by deleting one character of `s` (duplicates possible).
template <typename Fn>
void for_each_delete(const std::string& s, Fn&& fn) {
  std::string d;
  for (size_t i = 0; i < s.size(); ++i) {
    d.assign(s, 0, i);
    d.append(s, i + 1);
    fn(d);
  }
}

}  // namespace

int edit_distance(std::string_view a, std::string_view b, int max) {
  const size_t n = a.size(), m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > max) return max + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    int row_min = max + 1;
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      row_min = std::min(row_min, d[i][j]);
    }
    if (row_min > max) return max + 1;
  }
  return std::min(d[n][m], max + 1);
}

void Speller::add_document(std::string_view text) {
  const int doc = docs_++;
  for_each_word(text, [&](const std::string& w) {
    if (w.size() < options_.min_length || w.size() > options_.max_length) return;
    auto& c = counts_[w];
    if (c.last_doc != doc) {
      c.last_doc = doc;
      ++c.df;
    }
  });
}

void Speller::finish(const Options& options) {
  options_ = options;
  for (auto& [w, c] : counts_) {
    if (c.df < options.min_df || w.size() < options.min_length || w.size() > options.max_length) continue;
    index_.emplace(w, static_cast<int>(words_.size()));
    words_.push_back(w);
    df_.push_back(c.df);
  }
  counts_ = {};
  for (size_t i = 0; i < words_.size(); ++i) {
    const auto pos = static_cast<std::int32_t>(i);
    forms_.emplace_back(hash_of(words_[i]), pos);
    for_each_delete(words_[i], [&](const std::string& d) { forms_.emplace_back(hash_of(d), pos); });
  }
  std::sort(forms_.begin(), forms_.end());
  forms_.erase(std::unique(forms_.begin(), forms_.end()), forms_.end());
  forms_.shrink_to_fit();
}

int Speller::df(std::string_view word) const {
  auto it = index_.find(std::string(word));
  return it == index_.end() ? 0 : df_[static_cast<size_t>(it->second)];
}

std::optional<std::string> Speller::correct(std::string_view word) const {
  if (word.size() < options_.min_length || word.size() > options_.max_length || words_.empty()) return std::nullopt;
  for (char c : word) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
    if (std::isupper(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const int own = df(word);
  if (own >= options_.rare_df) return std::nullopt;
  // The query's deletions up to two against the vocabulary's words and their single deletions:
  // finds every word within two edits where at most one is a deletion from the vocabulary word.
  std::unordered_set<std::string> probes{std::string(word)};
  for_each_delete(std::string(word), [&](const std::string& d1) {
    probes.insert(d1);
    if (word.size() > 4) for_each_delete(d1, [&](const std::string& d2) { probes.insert(d2); });
  });
  std::unordered_set<std::int32_t> candidates;
  for (const auto& p : probes) {
    auto range = std::equal_range(forms_.begin(), forms_.end(), std::make_pair(hash_of(p), INT32_MIN),
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = range.first; it != range.second; ++it) candidates.insert(it->second);
  }
  // Short words allow one edit; longer ones two.
  const int max_distance = word.size() <= 4 ? 1 : 2;
  int best = -1, best_distance = max_distance + 1, best_df = 0;
  for (std::int32_t c : candidates) {
    const std::string& w = words_[static_cast<size_t>(c)];
    if (w == word) continue;
    const int d = edit_distance(word, w, max_distance);
    if (d > max_distance) continue;
    const int f = df_[static_cast<size_t>(c)];
    if (d < best_distance ||
        (d == best_distance && (f > best_df || (f == best_df && w < words_[static_cast<size_t>(best)])))) {
      best = c;
      best_distance = d;
      best_df = f;
    }
  }
  if (best < 0) return std::nullopt;
  // A known (but rare) word is only replaced by a far more common neighbour.
  if (own > 0 && static_cast<double>(best_df) < options_.dominance * own) return std::nullopt;
  return words_[static_cast<size_t>(best)];
}

std::optional<std::string> Speller::suggest(std::string_view query) const {
  std::string out;
  bool changed = false;
  bool in_quote = false;
  size_t i = 0;
  while (i < query.size()) {
    const char ch = query[i];
    if (ch == '"') in_quote = !in_quote;
    if (in_quote || !std::isalpha(static_cast<unsigned char>(ch))) {
      out += ch;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < query.size() && std::isalnum(static_cast<unsigned char>(query[j]))) ++j;
    std::string_view word = query.substr(i, j - i);
    const bool marked = i > 0 && (query[i - 1] == '+' || query[i - 1] == '-' || query[i - 1] == ':');
    const bool dotted =
        j + 1 < query.size() && query[j] == '.' && std::isalnum(static_cast<unsigned char>(query[j + 1]));
    const bool special = dotted || (j < query.size() && (query[j] == ':' || query[j] == '*'));
    std::string lower(word);
    bool has_upper = false;
    for (char& c : lower) {
      if (std::isupper(static_cast<unsigned char>(c))) has_upper = true;
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::optional<std::string> fixed;
    if (!marked && !special && !detail::is_stop_word(lower)) fixed = correct(lower);
    if (fixed) {
      // Keep a leading capital as typed ("Difusion" -> "Diffusion").
      if (has_upper && std::isupper(static_cast<unsigned char>(word[0]))) {
        (*fixed)[0] = static_cast<char>(std::toupper(static_cast<unsigned char>((*fixed)[0])));
      }
      out += *fixed;
      changed = true;
    } else {
      out += word;
    }
    i = j;
  }
  if (!changed) return std::nullopt;
  return out;
}

}  // namespace paperboy::search
