// ListingService: the day, week and month listings as readers see them, with the curators' say:
// papers curators featured first (newest first among themselves), then, when sorted by trending
// (the pages' default), papers with votes by TrendingScore (rank/trending.h), then papers members
// submitted in the period, then arXiv's listing newest first; hidden papers nowhere, each paper
// once. Also the categories present in a window (cross-lists included), whether the newest day is
// stale,
// the newest day with papers (arXiv's, or a later day with submissions) and the hidden ids that
// trending and feeds leave out, and the trending ranking over a window (votes by TrendingScore).
// Without a curation store the listing is arXiv's alone. Pages,
// feeds and the API call this; it knows nothing about HTTP. Thread-safe (the stores are).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/store.h"

namespace paperboy::app {

using StoredPaper = store::StoredPaper;

// How a listing is ordered below its featured papers: papers with votes by trending score (votes
// with time decay) and then the rest newest first, or newest first alone (arXiv's order).
enum class ListingSort { kNewest, kTrending };

// "trending" | "newest"; `fallback` when `text` is empty; invalid_argument otherwise.
[[nodiscard]] Result<ListingSort> parse_listing_sort(std::string_view text, ListingSort fallback);
[[nodiscard]] std::string_view listing_sort_name(ListingSort sort);

// Whether the newest listing day is more than kStaleAfterDays days before `now` (unix seconds):
// readers should be told the listing is not today's (demo data, or harvesting off).
inline constexpr int kStaleAfterDays = 2;
[[nodiscard]] bool is_listing_stale(std::string_view newest_day, std::int64_t now);

// Which part of the listings: listing days [from_day, to_day] (YYYY-MM-DD), papers in any of
// `categories` (none: all), `limit` papers from `offset`, in `sort` order.
struct ListingWindow {
  std::string from_day, to_day;
  std::vector<std::string> categories;
  int limit = 50;
  int offset = 0;
  ListingSort sort = ListingSort::kNewest;
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
  // How many of the window's papers (at most its first `window.limit`, categories ignored) carry
  // each category, cross-lists included; most frequent first, then by code.
  [[nodiscard]] Result<std::vector<store::NamedCount>> category_counts(const ListingWindow& window) const;
  // Ids of the papers curators hid (empty without curation).
  [[nodiscard]] Result<std::vector<std::string>> hidden_paper_ids() const;
  // The newest day with papers: arXiv's newest listing day or a later day with submissions.
  [[nodiscard]] Result<std::string> newest_listing_day() const;
  // A page of the window's trending ranking: papers with votes by TrendingScore, then the rest
  // newest first; hidden papers left out.
  [[nodiscard]] Result<std::vector<StoredPaper>> trending(const ListingWindow& window) const;

 private:
  // Ids of the window's papers with votes (published in the window, or submitted to it), by
  // trending score as of the end of the window's last day.
  [[nodiscard]] Result<std::vector<std::string>> ranked_by_votes(const ListingWindow& window,
                                                                 std::span<const store::Submission> submitted) const;

  store::Store& papers_;
  store::CurationStore* curation_;
  store::CommunityStore* votes_;
};

}  // namespace paperboy::app
