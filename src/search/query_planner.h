// QueryPlanner: answers the search service's queries over the indexes an IndexMaintainer keeps:
// a typed query is parsed, read as keywords or natural language, ranked by the lexical side (the
// in-memory ranking index once built, else FTS5), the semantic side (nearest vectors) or both fused,
// with "did you mean" corrections; and the papers nearest a vector. Immutable after construction
// (its options and the maintainer it reads); thread-safe for concurrent queries (each reads one
// IndexSnapshot).
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "search/search_service.h"

namespace paperboy::search {

class IndexMaintainer;

class QueryPlanner {
 public:
  // `options` with the natural-language defaults filled in; `indexes` must outlive the planner.
  QueryPlanner(IndexMaintainer& indexes, const SearchOptions& options) : indexes_(indexes), options_(options) {}

  // SearchService::search, suggest and nearest.
  [[nodiscard]] Result<SearchResponse> search(const SearchRequest& request);
  [[nodiscard]] std::optional<std::string> suggest(std::string_view query);
  // SearchService::matching_days (trends).
  [[nodiscard]] Result<MatchDays> matching_days(const SearchRequest& request);
  [[nodiscard]] Result<std::vector<SearchHit>> nearest(const std::vector<float>& query, int limit,
                                                       std::int64_t from_day, std::int64_t until_day);

 private:
  Result<SearchResponse> search_once(const SearchRequest& request);

  IndexMaintainer& indexes_;
  const SearchOptions options_;
};

}  // namespace paperboy::search
