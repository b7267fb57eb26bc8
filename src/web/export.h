// Exports of papers in formats other programs read: BibTeX entries (for /papers/ID.bib and listing
// .bib files), Atom 1.0 (RFC 4287) and RSS 2.0 feeds, and the JSON shape of the /api/ endpoints
// (modelled on Hugging Face's /api/daily_papers). Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace paperboy::web {

// "@misc{arxiv:2401.00001, ...}" with title, author, year, month, eprint, archivePrefix,
// primaryClass, url and, where known, doi, journal and note (comments).
[[nodiscard]] std::string bibtex_entry(const core::Paper& paper);
[[nodiscard]] std::string bibtex_entries(std::span<const store::StoredPaper> papers);

struct FeedInfo {
  std::string title;
  std::string description;
  std::string feed_url;  // absolute URL of the feed itself (Atom rel="self")
  std::string page_url;  // absolute URL of the matching HTML page
  std::int64_t updated = 0;  // seconds since the epoch
};

[[nodiscard]] std::string render_atom(const FeedInfo& info, std::span<const store::StoredPaper> papers);
[[nodiscard]] std::string render_rss(const FeedInfo& info, std::span<const store::StoredPaper> papers);

// One paper in the API: {"id", "title", "summary", "authors": [{"name"}], "publishedAt",
// "updatedAt", "upvotes", "categories", "primaryCategory", "comments", "journalRef", "doi",
// "versions": [{"version", "created"}], "codeLinks", "githubRepo", "arxivUrl", "pdfUrl", "url"}.
[[nodiscard]] nlohmann::json paper_api_json(const core::Paper& paper, std::int64_t upvotes = 0);
// One daily-papers item: {"id", "paper": {...}, "title", "summary", "publishedAt", "upvotes",
// "numComments"} — the Hugging Face daily_papers item shape.
[[nodiscard]] nlohmann::json daily_item_json(const core::Paper& paper, std::int64_t upvotes = 0,
                                             std::int64_t num_comments = 0);

}  // namespace paperboy::web
