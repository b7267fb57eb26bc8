#include "web/search_gate.h"

namespace paperboy::web {

SearchGate::SearchGate(search::SearchService& inner, int limit) : inner_(inner), slots_(limit) {}

Result<search::SearchResponse> SearchGate::search(const search::SearchRequest& request) {
  FifoGate::Slot slot(slots_);
  return inner_.search(request);
}

Result<std::vector<search::SearchHit>> SearchGate::similar(std::string_view arxiv_id, int limit) {
  FifoGate::Slot slot(slots_);
  return inner_.similar(arxiv_id, limit);
}

Result<std::vector<search::SearchHit>> SearchGate::more_like(std::span<const std::string> arxiv_ids, int limit) {
  FifoGate::Slot slot(slots_);
  return inner_.more_like(arxiv_ids, limit);
}

Result<std::vector<search::SearchHit>> SearchGate::similar_to_text(std::string_view text, int limit) {
  FifoGate::Slot slot(slots_);
  return inner_.similar_to_text(text, limit);
}

Result<search::MatchDays> SearchGate::matching_days(const search::SearchRequest& request) {
  FifoGate::Slot slot(slots_);
  return inner_.matching_days(request);
}

Result<std::vector<search::SearchHit>> SearchGate::nearest(const std::vector<float>& query, int limit,
                                                           std::int64_t from_day, std::int64_t until_day) {
  FifoGate::Slot slot(slots_);
  return inner_.nearest(query, limit, from_day, until_day);
}

}  // namespace paperboy::web
