#include "core/text.h"

#include <simdjson.h>

namespace paperboy::core {

bool is_valid_utf8(std::string_view text) {
  return simdjson::validate_utf8(text.data(), text.size());
}

std::string collapse_whitespace(std::string_view text) {
  // Hot in bulk ingest (every title and abstract): write through a raw pointer into a buffer
  // sized once, instead of growing the string a character at a time.
  std::string out(text.size(), '\0');
  char* w = out.data();
  char* const begin = w;
  bool pending_space = false;
  for (char c : text) {
    const bool is_space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (is_space) {
      pending_space = w != begin;
      continue;
    }
    if (pending_space) *w++ = ' ';
    pending_space = false;
    *w++ = c;
  }
  out.resize(static_cast<size_t>(w - begin));
  return out;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace paperboy::core
