// PaperService: the read side of the paper store as pages, feeds and the API need it: one paper by
// any arXiv id form, the papers of search hits, papers by category or author, counts, the listing
// days around a day and arXiv's newest one. Routes read papers here, never from the store. Knows
// nothing about HTTP. Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/paper.h"
#include "core/status.h"
#include "search/search_service.h"
#include "store/store.h"
#include "store/thumbnail_store.h"

namespace paperboy::app {

using StoredPaper = store::StoredPaper;
using ListingQuery = store::ListingQuery;

// The one paper a search query names when it is a lone arXiv id, arXiv URL or DOI (see
// search/query_understanding.h).
struct NamedPaper {
  std::string arxiv_id;              // the canonical id named, or the stored paper's id for a DOI ("" if none)
  std::string doi;                   // the DOI typed, when the query is a DOI other than arXiv's own
  std::optional<core::Paper> paper;  // nullopt: this server does not have the paper
};

class PaperService {
 public:
  // `thumbnails` may be null (no thumbnails: thumbnails_of() finds none).
  explicit PaperService(store::Store& papers, store::ThumbnailStore* thumbnails = nullptr)
      : papers_(papers), thumbnails_(thumbnails) {}

  // The stored paper for a user-given id (with or without version): invalid_argument when it is
  // not an arXiv id, not_found when this server does not have the paper.
  [[nodiscard]] Result<core::Paper> find(std::string_view raw_id);
  // What a search query names: nullopt when it is not a lone arXiv id, arXiv URL or DOI; else the
  // paper when the store has it (a DOI is looked up in the papers' DOI field).
  [[nodiscard]] Result<std::optional<NamedPaper>> named_by(std::string_view query);
  // The papers of search hits, in the order the store returns them; a hit whose document id no
  // longer names its arXiv id (the index lags the store) is left out.
  [[nodiscard]] Result<std::vector<StoredPaper>> for_hits(const std::vector<search::SearchHit>& hits);
  // The first-page thumbnails of these papers (those without one are absent).
  [[nodiscard]] Result<std::unordered_map<std::string, store::ThumbnailRef>> thumbnails_of(
      std::span<const std::string> paper_ids);
  // arXiv's listing (no curation): newest first.
  [[nodiscard]] Result<std::vector<StoredPaper>> list(const ListingQuery& query);
  [[nodiscard]] Result<std::int64_t> count(const ListingQuery& query);
  // Papers with an author of this surname (and forenames, when given), newest first.
  [[nodiscard]] Result<std::vector<StoredPaper>> by_author(std::string_view keyname, std::string_view forenames,
                                                           int limit, int offset);
  // The listing days with papers before and after `day` ("" when none).
  [[nodiscard]] Result<std::pair<std::string, std::string>> neighbour_days(std::string_view day);
  // arXiv's newest listing day ("" before any paper).
  [[nodiscard]] Result<std::string> newest_arxiv_day();

 private:
  store::Store& papers_;
  store::ThumbnailStore* thumbnails_;
};

}  // namespace paperboy::app
