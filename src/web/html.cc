#include "web/html.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"

namespace paperboy::web {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool is_same_site_path(std::string_view target) {
  if (target.empty() || target.size() > 1000 || target[0] != '/') return false;
  if (target.size() > 1 && target[1] == '/') return false;  // "//host": another site
  return std::none_of(target.begin(), target.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '\\';
  });
}

std::string with_thousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  if (digits.front() == '-') {
    out = "-";
    digits.erase(0, 1);
  }
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string author_summary(const std::vector<core::Author>& authors, size_t max_names) {
  std::string out;
  size_t n = std::min(authors.size(), max_names);
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += authors[i].display_name();
  }
  if (authors.size() > n) out += " et al.";
  return out;
}

namespace {

bool is_word_byte(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return std::isalnum(c) != 0 || c >= 0x80;
}

// A light English suffix stripper applied alike to query words and the text's words, so a word
// marks its plural and inflected forms ("model" marks "models" and "modeling", "study" marks
// "studies"): close to what the index's Porter stemmer conflates, without its whole rule set.
std::string light_stem(std::string w) {
  auto ends = [&w](std::string_view s) { return w.size() >= s.size() + 3 && w.ends_with(s); };
  if (ends("sses")) {
    w.resize(w.size() - 2);
  } else if (ends("ies")) {
    w.replace(w.size() - 3, 3, "y");
  } else if (w.size() > 3 && w.back() == 's' && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is")) {
    w.pop_back();
  }
  if (ends("ing")) {
    w.resize(w.size() - 3);
  } else if (ends("ed")) {
    w.resize(w.size() - 2);
  }
  if (w.size() > 4 && w.back() == 'e') w.pop_back();
  return w;
}

// Whether a lower-case term is one word (letters and digits), with an optional trailing '*'.
bool is_single_word(std::string_view term) {
  if (term.ends_with('*')) term.remove_suffix(1);
  return !term.empty() && std::all_of(term.begin(), term.end(), is_word_byte);
}

}  // namespace

std::string highlight_html(std::string_view text, const std::vector<std::string>& terms) {
  std::string lower = core::to_lower_ascii(text);
  std::vector<bool> marked(text.size(), false);
  std::vector<std::string> stems;     // one-word terms: every word of the text with that stem
  std::vector<std::string> prefixes;  // "diffus*": every word starting so
  for (const auto& raw : terms) {
    std::string term = core::to_lower_ascii(raw);
    if (term.size() < 2) continue;
    if (is_single_word(term)) {
      if (term.ends_with('*')) {
        term.pop_back();
        if (term.size() >= 2) prefixes.push_back(term);
      } else {
        stems.push_back(light_stem(term));
      }
      continue;
    }
    // Phrases and terms with punctuation ("pre-training") as written.
    for (size_t at = lower.find(term); at != std::string::npos; at = lower.find(term, at + term.size())) {
      std::fill(marked.begin() + static_cast<std::ptrdiff_t>(at),
                marked.begin() + static_cast<std::ptrdiff_t>(at + term.size()), true);
    }
  }
  for (size_t i = 0; i < lower.size();) {
    if (!is_word_byte(lower[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < lower.size() && is_word_byte(lower[j])) ++j;
    const std::string word = lower.substr(i, j - i);
    bool hit =
        std::find(stems.begin(), stems.end(), light_stem(word)) != stems.end() ||
        std::any_of(prefixes.begin(), prefixes.end(), [&word](const std::string& p) { return word.starts_with(p); });
    if (hit)
      std::fill(marked.begin() + static_cast<std::ptrdiff_t>(i), marked.begin() + static_cast<std::ptrdiff_t>(j), true);
    i = j;
  }
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && marked[j] == marked[i]) ++j;
    std::string piece = escape_html(text.substr(i, j - i));
    out += marked[i] ? "<mark>" + piece + "</mark>" : piece;
    i = j;
  }
  return out;
}

std::string arxiv_abs_url(std::string_view id) {
  return "https://arxiv.org/abs/" + std::string(id);
}
std::string arxiv_pdf_url(std::string_view id) {
  return "https://arxiv.org/pdf/" + std::string(id);
}

}  // namespace paperboy::web
