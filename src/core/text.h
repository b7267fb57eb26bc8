// Text helpers shared by every part: UTF-8 validation and whitespace normalisation that keeps
// LaTeX exactly as written. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace paperboy::core {

[[nodiscard]] bool is_valid_utf8(std::string_view text);

// Collapses runs of whitespace (including the hard line breaks arXiv puts in abstracts) into one
// space and trims the ends. Nothing else changes: "$\alpha$" and "{\"o}" stay as written.
[[nodiscard]] std::string collapse_whitespace(std::string_view text);

[[nodiscard]] std::string to_lower_ascii(std::string_view text);

// `text` without leading and trailing spaces and tabs (HTTP's optional whitespace in header lists).
[[nodiscard]] std::string_view trim_blanks(std::string_view text);

}  // namespace paperboy::core
