// Turns paper text into the terms the vector encoder counts: lower-cased ASCII letters and
// digits, stop words dropped, a light English suffix stemmer, LaTeX commands skipped. Used by the
// LSA encoder (training and queries) and by the similarity evaluation. The lexical index uses
// SQLite's own tokenizer instead. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperboy::search {

// The terms of `text`, in order (duplicates kept).
[[nodiscard]] std::vector<std::string> analyze(std::string_view text);
// The same terms, handed to `fn` one at a time without allocating (the view is valid during the call).
template <typename Fn>
void for_each_term(std::string_view text, Fn&& fn);

// The text of a paper the encoder sees: the title counts twice, as titles are dense.
[[nodiscard]] std::string encoder_text(std::string_view title, std::string_view abstract);

namespace detail {
bool is_stop_word(std::string_view w);
void stem(std::string& w);
}  // namespace detail

template <typename Fn>
void for_each_term(std::string_view text, Fn&& fn) {
  std::string word;
  bool in_command = false;  // inside a LaTeX command name such as \alpha
  bool all_digits = true;
  auto flush = [&] {
    if (!in_command && word.size() >= 2 && !all_digits && !detail::is_stop_word(word)) {
      detail::stem(word);
      fn(std::string_view(word));
    }
    word.clear();
    in_command = false;
    all_digits = true;
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    // ASCII only, without the C locale's table lookups (this loop runs over every abstract).
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += ch;
      all_digits = all_digits && c <= '9';
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c + ('a' - 'A'));
      all_digits = false;
    } else {
      flush();
      if (ch == '\\') in_command = true;
    }
  }
  flush();
}

}  // namespace paperboy::search
