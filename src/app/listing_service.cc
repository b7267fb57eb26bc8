#include "app/listing_service.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "core/time.h"
#include "rank/trending.h"

namespace paperboy::app {

Result<ListingSort> parse_listing_sort(std::string_view text, ListingSort fallback) {
  if (text.empty()) return fallback;
  if (text == "trending") return ListingSort::kTrending;
  if (text == "newest") return ListingSort::kNewest;
  return fail(Status::invalid_argument("sort: expected trending or newest, got '" + std::string(text) + "'"));
}

std::string_view listing_sort_name(ListingSort sort) {
  return sort == ListingSort::kTrending ? "trending" : "newest";
}

bool is_listing_stale(std::string_view newest_day, std::int64_t now) {
  auto newest = core::parse_iso8601(newest_day);
  if (!newest) return false;
  // Whole calendar days (UTC): on 4 December a listing of 2 December is 2 days old, not stale.
  return now / 86400 - *newest / 86400 > kStaleAfterDays;
}

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

Result<std::vector<std::string>> ListingService::ranked_by_votes(const ListingWindow& w,
                                                                 std::span<const store::Submission> submitted) const {
  std::vector<std::string> out;
  if (votes_ == nullptr) return out;
  auto from = core::parse_iso8601(w.from_day);
  auto to = core::parse_iso8601(w.to_day);
  if (!from || !to) return fail(Status::internal("bad listing window " + w.from_day + ".." + w.to_day));
  std::int64_t as_of = *to + 86400;  // the end of the window's last day, as on /trending
  // A paper's listing day is the day of its first version, so these are the window's own papers.
  auto voted = votes_->voted_papers_published_between(*from, as_of - 1);
  if (!voted) return fail(voted.error());
  // Submitted papers join the window on their submission day, whenever they were published.
  std::unordered_set<std::string> seen;
  for (const auto& v : *voted) seen.insert(v.paper_id);
  std::vector<std::string> others;
  for (const auto& sub : submitted) {
    if (!seen.contains(sub.paper_id)) others.push_back(sub.paper_id);
  }
  if (!others.empty()) {
    auto counts = votes_->vote_counts(others);
    if (!counts) return fail(counts.error());
    for (const auto& [id, n] : *counts) {
      auto sp = papers_.get_paper(id);
      if (!sp) return fail(sp.error());
      if (*sp && n > 0) voted->push_back({id, n, (*sp)->paper.first_version_time()});
    }
  }
  for (const auto& entry : rank::rank_trending(*voted, as_of)) out.push_back(entry.paper_id);
  return out;
}

Result<CuratedListing> ListingService::curated(const ListingWindow& w) const {
  CuratedListing out;
  store::ListingQuery q{w.from_day, w.to_day, w.categories, w.limit, w.offset};
  std::vector<StoredPaper> pinned;           // shown before arXiv's part, in this order
  std::unordered_set<std::string> excluded;  // hidden or pinned: left out of arXiv's part
  std::vector<store::Submission> submitted;
  // Each paper once: a pinned paper is left out of arXiv's part below, as hidden ones are.
  auto pin = [&](const std::string& id) -> Status {
    if (!excluded.insert(id).second) return Status::ok();
    auto sp = papers_.get_paper(id);
    if (!sp) return sp.error();
    if (*sp && (*sp)->paper.in_any_category(w.categories)) pinned.push_back(std::move(**sp));
    return Status::ok();
  };
  if (curation_ != nullptr) {
    auto hidden = curation_->flagged(store::CurationFlag::kHidden);
    if (!hidden) return fail(hidden.error());
    excluded.insert(hidden->begin(), hidden->end());
    auto featured = curation_->flagged_between(store::CurationFlag::kFeatured, w.from_day, w.to_day);
    if (!featured) return fail(featured.error());
    auto subs = curation_->submissions_between(w.from_day, w.to_day);
    if (!subs) return fail(subs.error());
    submitted = std::move(*subs);
    for (const auto& id : *featured) {
      if (Status st = pin(id); !st.is_ok()) return fail(st);
    }
    // Featured papers newest first among themselves (flagged_between orders by id).
    std::stable_sort(pinned.begin(), pinned.end(), [](const auto& a, const auto& b) {
      return a.paper.first_version_time() > b.paper.first_version_time();
    });
  }
  if (w.sort == ListingSort::kTrending) {
    auto ranked = ranked_by_votes(w, submitted);
    if (!ranked) return fail(ranked.error());
    for (const auto& id : *ranked) {
      if (Status st = pin(id); !st.is_ok()) return fail(st);
    }
  }
  for (const auto& sub : submitted) {
    if (Status st = pin(sub.paper_id); !st.is_ok()) return fail(st);
  }
  q.exclude_ids.assign(excluded.begin(), excluded.end());
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

Result<std::vector<store::NamedCount>> ListingService::category_counts(const ListingWindow& window) const {
  ListingWindow all = window;
  all.categories.clear();
  all.offset = 0;
  all.sort = ListingSort::kNewest;
  auto listed = curated(all);
  if (!listed) return fail(listed.error());
  std::map<std::string, std::int64_t> counts;
  for (const auto& sp : listed->papers) {
    for (const auto& c : sp.paper.categories) counts[c]++;
  }
  std::vector<store::NamedCount> out;
  for (auto& [name, n] : counts) out.push_back({name, n});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return out;
}

}  // namespace paperboy::app
