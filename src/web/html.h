// Text helpers for the web layer: HTML/XML escaping (everything user- or paper-controlled goes
// through escape_html unless a mustache template escapes it), URL encoding, author summaries,
// code-link discovery and search-term highlighting. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/code_links.h"
#include "core/paper.h"

namespace paperboy::web {

// Escapes & < > " ' for HTML text and attribute values; also valid for XML 1.0 content.
[[nodiscard]] std::string escape_html(std::string_view text);
// Whether `target` is a path on this site that is safe to redirect to ("back=", "next="): it starts
// with one "/" and holds no backslash, whitespace or control character. Browsers drop tabs and
// newlines and read "\\" as "/", so "/\t/evil.example" or "/\\evil.example" would leave the site.
[[nodiscard]] bool is_same_site_path(std::string_view target);
// Percent-encodes everything except RFC 3986 unreserved characters.
[[nodiscard]] std::string url_encode(std::string_view text);
// 12345678 -> "12,345,678" (negative numbers keep their sign).
[[nodiscard]] std::string with_thousands(std::int64_t n);

// "A. Author, B. Author, C. Author et al." with at most `max_names` names.
[[nodiscard]] std::string author_summary(const std::vector<core::Author>& authors, size_t max_names);

// Links to code found in free text: core::find_code_links (the search index marks such papers too).
using core::find_code_links;

// Escapes `text` and wraps matches of each term in <mark>, ignoring ASCII case: a one-word term
// marks every whole word with its stem ("model" marks "models", "diffusion" the first half of
// "diffusion-based"), "word*" every word it begins, other terms (phrases, "pre-training") where
// they occur as written. Terms shorter than two characters are ignored. The result is safe HTML.
[[nodiscard]] std::string highlight_html(std::string_view text, const std::vector<std::string>& terms);

// The arXiv abstract and PDF pages of a paper (never re-hosted).
[[nodiscard]] std::string arxiv_abs_url(std::string_view id);
[[nodiscard]] std::string arxiv_pdf_url(std::string_view id);

}  // namespace paperboy::web
