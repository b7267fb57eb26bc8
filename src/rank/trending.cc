#include "rank/trending.h"

#include <algorithm>
#include <cmath>

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

}  // namespace paperboy::rank
