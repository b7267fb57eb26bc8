// Query understanding before ranking: what a typed query means beyond its words.
// - Navigational lookups: an arXiv id (new or old style, with or without version, "arXiv:" prefix),
//   an arxiv.org abs/pdf/html URL or an arXiv DOI (10.48550/arXiv.ID, also as a doi.org URL) names
//   one paper; so does any other DOI (10.1103/PhysRevD.76.013009, doi:..., https://doi.org/...),
//   which the store resolves through the papers' DOI field.
// - Natural-language queries ("give me papers about ..."): the instruction phrase and stop words
//   carry no topic; the content words are ranked together (any of them, more of them better).
// - Exact titles: the normalised form a title and a query are compared in.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperboy::search {

// The canonical arXiv id the whole query names, or nullopt when it is not a lone id/URL/DOI.
[[nodiscard]] std::optional<std::string> navigational_arxiv_id(std::string_view query);

// The DOI the whole query is ("10.1103/PhysRevD.76.013009"), without its "doi:" or doi.org URL
// prefix, or nullopt when the query is not a lone DOI. DOI syntax: "10." registrant digits (dots
// allowed), "/", a non-empty suffix (DOI Handbook §2.2).
[[nodiscard]] std::optional<std::string> navigational_doi(std::string_view query);

// The words of `words` that carry topic: lower-cased pieces of letters and digits, with stop words
// and search-instruction words ("give", "papers", "show", "research", ...) left out. Instruction
// words are dropped only when `drop_instructions` (a query of several words; a lone "survey" or
// "research" stays).
[[nodiscard]] std::vector<std::string> content_words(const std::vector<std::string>& words, bool drop_instructions);

// Lower-cased letters and digits with single spaces between runs: "Attention Is All You Need!" ->
// "attention is all you need". LaTeX braces and dollar signs vanish with the other punctuation.
[[nodiscard]] std::string normalise_title(std::string_view text);

}  // namespace paperboy::search
