#include "app/listing_service.h"

#include <algorithm>
#include <unordered_set>

#include "rank/trending.h"

namespace paperboy::app {

Result<std::vector<std::string>> ListingService::hidden_paper_ids() const {
  if (curation_ == nullptr) return std::vector<std::string>();
  return curation_->flagged(store::CurationFlag::kHidden);
}

Result<std::string> ListingService::newest_listing_day() const {
  auto newest = papers_.newest_listing_day();
  if (!newest) return fail(newest.error());
  if (curation_ == nullptr) return newest;
  auto submitted = curation_->newest_submission_day();
  if (!submitted) return fail(submitted.error());
  return std::max(*newest, *submitted);
}

Result<std::vector<StoredPaper>> ListingService::trending(const ListingWindow& w) const {
  auto hidden = hidden_paper_ids();
  if (!hidden) return fail(hidden.error());
  return rank::trending_papers(papers_, votes_, w.from_day, w.to_day, w.categories, w.limit, w.offset, *hidden);
}

Result<CuratedListing> ListingService::curated(const ListingWindow& w) const {
  CuratedListing out;
  store::ListingQuery q{w.from_day, w.to_day, w.categories, w.limit, w.offset};
  std::vector<StoredPaper> pinned;
  if (curation_ != nullptr) {
    auto hidden = curation_->flagged(store::CurationFlag::kHidden);
    if (!hidden) return fail(hidden.error());
    std::unordered_set<std::string> excluded(hidden->begin(), hidden->end());
    auto featured = curation_->flagged_between(store::CurationFlag::kFeatured, w.from_day, w.to_day);
    if (!featured) return fail(featured.error());
    auto submitted = curation_->submissions_between(w.from_day, w.to_day);
    if (!submitted) return fail(submitted.error());
    // Each paper once: a pinned paper is left out of arXiv's part below, as hidden ones are.
    auto pin = [&](const std::string& id) -> Status {
      if (!excluded.insert(id).second) return Status::ok();
      auto sp = papers_.get_paper(id);
      if (!sp) return sp.error();
      if (*sp && (*sp)->paper.in_any_category(w.categories)) pinned.push_back(std::move(**sp));
      return Status::ok();
    };
    for (const auto& id : *featured) {
      if (Status st = pin(id); !st.is_ok()) return fail(st);
    }
    // Featured papers newest first among themselves (flagged_between orders by id).
    std::stable_sort(pinned.begin(), pinned.end(), [](const auto& a, const auto& b) {
      return a.paper.first_version_time() > b.paper.first_version_time();
    });
    for (const auto& sub : *submitted) {
      if (Status st = pin(sub.paper_id); !st.is_ok()) return fail(st);
    }
    q.exclude_ids.assign(excluded.begin(), excluded.end());
  }
  auto pinned_count = static_cast<int>(pinned.size());
  for (int i = w.offset; i < pinned_count && static_cast<int>(out.papers.size()) < w.limit; ++i) {
    out.papers.push_back(std::move(pinned[static_cast<size_t>(i)]));
  }
  q.offset = std::max(0, w.offset - pinned_count);
  q.limit = w.limit - static_cast<int>(out.papers.size());
  if (q.limit > 0) {
    auto rest = papers_.list_papers(q);
    if (!rest) return fail(rest.error());
    for (auto& sp : *rest) out.papers.push_back(std::move(sp));
  }
  auto total = papers_.count_papers(q);
  if (!total) return fail(total.error());
  out.total = *total + pinned_count;
  return out;
}

}  // namespace paperboy::app
