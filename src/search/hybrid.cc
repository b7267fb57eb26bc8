#include "search/hybrid.h"

#include <algorithm>
#include <unordered_map>

namespace paperboy::search {

std::vector<SearchHit> fuse_rrf(const std::vector<std::pair<std::int64_t, double>>& lexical,
                                const std::vector<std::pair<std::int64_t, double>>& semantic, int k,
                                double semantic_weight) {
  std::unordered_map<std::int64_t, size_t> at;
  std::vector<SearchHit> hits;
  auto entry = [&](std::int64_t id) -> SearchHit& {
    auto [it, added] = at.emplace(id, hits.size());
    if (added) {
      hits.emplace_back();
      hits.back().doc_id = id;
    }
    return hits[it->second];
  };
  for (size_t r = 0; r < lexical.size(); ++r) {
    SearchHit& h = entry(lexical[r].first);
    h.lexical_rank = static_cast<int>(r + 1);
    h.lexical_score = lexical[r].second;
    h.score += 1.0 / (k + static_cast<double>(r + 1));
  }
  for (size_t r = 0; r < semantic.size(); ++r) {
    SearchHit& h = entry(semantic[r].first);
    h.semantic_rank = static_cast<int>(r + 1);
    h.semantic_score = semantic[r].second;
    h.score += semantic_weight / (k + static_cast<double>(r + 1));
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.doc_id < b.doc_id;
  });
  return hits;
}

}  // namespace paperboy::search
