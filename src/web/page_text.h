// Text as pages show it to people: paper titles without TeX markup (tab titles, og: tags, meta
// descriptions), plain dates ("30 Jun 2026") and relative times ("3 hours ago"), counts with the
// right plural ("1 paper"), free-text metadata with its URLs linked, and abstracts whose escaped
// dollars survive KaTeX. Used by the route files. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace paperboy::web {

// Plain text for a title or abstract holding TeX: math delimiters dropped, commands removed
// (their braced arguments kept, a few Greek letters and symbols as Unicode), escaped specials
// ("\$", "\&", "\%") unescaped, whitespace collapsed. "$\mathcal{O}(n)$ sorting" -> "O(n) sorting".
[[nodiscard]] std::string plain_text_from_tex(std::string_view text);
// The start of `text` cut at a word boundary to at most `max_bytes` (UTF-8 safe), with "…" when cut.
[[nodiscard]] std::string text_excerpt(std::string_view text, size_t max_bytes);

// "30 Jun 2026" (UTC).
[[nodiscard]] std::string plain_date(std::int64_t seconds);
// "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then the plain date.
[[nodiscard]] std::string relative_time(std::int64_t seconds, std::int64_t now);
// "1 paper", "2 papers", "0 papers": `count` with `singular` or `plural`.
[[nodiscard]] std::string count_noun(std::int64_t count, std::string_view singular, std::string_view plural);

// Escaped HTML of free text (arXiv comments, journal reference) with each http(s) URL made a link
// (rel="nofollow noopener"); trailing punctuation stays outside the link.
[[nodiscard]] std::string linked_text_html(std::string_view text);
// Escaped HTML of an abstract for KaTeX's auto-render: an escaped dollar ("\$") outside math is
// shown as "$", in its own element so auto-render never takes it for a math delimiter.
[[nodiscard]] std::string abstract_html(std::string_view text);

}  // namespace paperboy::web
