// SimilarPapers: the search service's "similar papers" queries over the indexes an IndexMaintainer
// keeps: papers like one paper, like a set of papers ("more like these"), or like a pasted text.
// Candidates come from the nearest vectors (a lexical "more like this" query until the encoder is
// trained) and are re-scored with the blend similarity.h defines. Immutable after construction
// (its options and the maintainer it reads); thread-safe for concurrent queries (each reads one
// IndexSnapshot).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "search/search_service.h"

namespace paperboy::search {

class IndexMaintainer;

class SimilarPapers {
 public:
  // `indexes` must outlive this object.
  SimilarPapers(IndexMaintainer& indexes, const SearchOptions& options) : indexes_(indexes), options_(options) {}

  // SearchService::similar, more_like and similar_to_text.
  [[nodiscard]] Result<std::vector<SearchHit>> similar(std::string_view arxiv_id, int limit);
  [[nodiscard]] Result<std::vector<SearchHit>> more_like(std::span<const std::string> arxiv_ids, int limit);
  [[nodiscard]] Result<std::vector<SearchHit>> similar_to_text(std::string_view text, int limit);

 private:
  Result<std::vector<SearchHit>> similar_to(const std::string& seed_text,
                                            const std::unordered_set<std::int64_t>& exclude, int limit);

  IndexMaintainer& indexes_;
  const SearchOptions options_;
};

}  // namespace paperboy::search
