// ListingService: the day, week and month listings as readers see them, with the curators' say:
// papers curators featured first (newest first among themselves), then papers members submitted
// in the period, then arXiv's listing newest first; hidden papers nowhere, each paper once. Also
// the newest day with papers (arXiv's, or a later day with submissions) and the hidden ids that
// trending and feeds leave out, and the trending ranking over a window (votes by TrendingScore).
// Without a curation store the listing is arXiv's alone. Pages,
// feeds and the API call this; it knows nothing about HTTP. Thread-safe (the stores are).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/store.h"

namespace paperboy::app {

using StoredPaper = store::StoredPaper;

// Which part of the listings: listing days [from_day, to_day] (YYYY-MM-DD), papers in any of
// `categories` (none: all), `limit` papers from `offset`.
struct ListingWindow {
  std::string from_day, to_day;
  std::vector<std::string> categories;
  int limit = 50;
  int offset = 0;
};

struct CuratedListing {
  std::vector<StoredPaper> papers;
  std::int64_t total = 0;  // the whole curated listing of the window, not this page
};

class ListingService {
 public:
  // `curation` may be null: no featured, submitted or hidden papers. `votes` may be null: trending
  // is then newest first.
  ListingService(store::Store& papers, store::CurationStore* curation, store::CommunityStore* votes)
      : papers_(papers), curation_(curation), votes_(votes) {}

  [[nodiscard]] Result<CuratedListing> curated(const ListingWindow& window) const;
  // Ids of the papers curators hid (empty without curation).
  [[nodiscard]] Result<std::vector<std::string>> hidden_paper_ids() const;
  // The newest day with papers: arXiv's newest listing day or a later day with submissions.
  [[nodiscard]] Result<std::string> newest_listing_day() const;
  // A page of the window's trending ranking: papers with votes by TrendingScore, then the rest
  // newest first; hidden papers left out.
  [[nodiscard]] Result<std::vector<StoredPaper>> trending(const ListingWindow& window) const;

 private:
  store::Store& papers_;
  store::CurationStore* curation_;
  store::CommunityStore* votes_;
};

}  // namespace paperboy::app
