#include "rank/trending.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/time.h"

namespace paperboy::rank {

double trending_score(std::int64_t upvotes, std::int64_t published, std::int64_t as_of) {
  double age_hours = std::max<double>(0, static_cast<double>(as_of - published) / 3600.0);
  return static_cast<double>(upvotes) / std::pow(age_hours + 2.0, kTrendingGravity);
}

std::vector<TrendingEntry> rank_trending(const std::vector<store::PaperVotes>& papers, std::int64_t as_of) {
  std::vector<TrendingEntry> out;
  out.reserve(papers.size());
  for (const auto& p : papers) out.push_back({p.paper_id, p.upvotes, trending_score(p.upvotes, p.published, as_of)});
  std::sort(out.begin(), out.end(), [](const TrendingEntry& a, const TrendingEntry& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.upvotes != b.upvotes) return a.upvotes > b.upvotes;
    return a.paper_id > b.paper_id;
  });
  return out;
}

Result<std::vector<store::StoredPaper>> trending_papers(store::Store& store, store::CommunityStore* votes,
                                                        const std::string& from_day, const std::string& to_day,
                                                        const std::vector<std::string>& cats, int limit, int offset,
                                                        const std::vector<std::string>& exclude_ids) {
  std::unordered_set<std::string> excluded(exclude_ids.begin(), exclude_ids.end());
  std::vector<store::StoredPaper> ranked;
  if (votes != nullptr && !from_day.empty()) {
    auto from = core::parse_iso8601(from_day);
    auto to = core::parse_iso8601(to_day);
    if (!from || !to) return fail(Status::internal("bad trending period " + from_day + ".." + to_day));
    std::int64_t end = *to + 86400;  // the end of the period's last day
    auto voted = votes->voted_papers_published_between(*from, end - 1);
    if (!voted) return fail(voted.error());
    for (const auto& entry : rank_trending(*voted, end)) {
      if (excluded.contains(entry.paper_id)) continue;
      auto sp = store.get_paper(entry.paper_id);
      if (!sp) return fail(sp.error());
      if (*sp && (*sp)->paper.in_any_category(cats)) ranked.push_back(std::move(**sp));
    }
  }
  std::vector<store::StoredPaper> out;
  for (size_t i = static_cast<size_t>(offset); i < ranked.size() && static_cast<int>(out.size()) < limit; ++i) {
    out.push_back(ranked[i]);
  }
  if (static_cast<int>(out.size()) == limit) return out;
  // The rest of the period newest first, skipping the ranked papers.
  std::unordered_set<std::string> seen;
  for (const auto& sp : ranked) seen.insert(sp.paper.id);
  int rest_offset = std::max(0, offset - static_cast<int>(ranked.size()));
  store::ListingQuery q{from_day, to_day, cats, limit + static_cast<int>(ranked.size()), rest_offset};
  q.exclude_ids = exclude_ids;
  auto rest = store.list_papers(q);
  if (!rest) return fail(rest.error());
  for (auto& sp : *rest) {
    if (static_cast<int>(out.size()) == limit) break;
    if (!seen.contains(sp.paper.id)) out.push_back(std::move(sp));
  }
  return out;
}

}  // namespace paperboy::rank
