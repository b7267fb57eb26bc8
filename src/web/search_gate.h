// SearchGate: admission control in front of the search service. Searches and similar-paper
// queries cost milliseconds of CPU; cached pages cost microseconds. Without it, a burst of uncached
// searches would take every worker thread and time-slice the few cores among all of them, and every
// request that needs a worker would wait behind them. The gate lets at most
// `limit` (default: the number of cores) such queries run at once; the others wait asleep (first come, first served),
// so cheap requests keep their latency and the expensive ones are served in arrival order. Other calls pass straight
// through. Thread-safe as the service behind it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "search/search_service.h"
#include "web/fifo_gate.h"

namespace paperboy::web {

class SearchGate final : public search::SearchService {
 public:
  // `inner` must outlive the gate; `limit` 0: std::thread::hardware_concurrency().
  explicit SearchGate(search::SearchService& inner, int limit = 0);

  Result<search::SearchResponse> search(const search::SearchRequest& request) override;
  Result<std::vector<search::SearchHit>> similar(std::string_view arxiv_id, int limit) override;
  Result<std::vector<search::SearchHit>> more_like(std::span<const std::string> arxiv_ids, int limit) override;
  Result<std::vector<search::SearchHit>> similar_to_text(std::string_view text, int limit) override;
  std::optional<std::string> suggest(std::string_view query) override { return inner_.suggest(query); }
  Result<search::MatchDays> matching_days(const search::SearchRequest& request) override;
  Status catch_up() override { return inner_.catch_up(); }
  Result<std::vector<std::vector<float>>> vectors_of(std::span<const std::int64_t> doc_ids) override {
    return inner_.vectors_of(doc_ids);
  }
  Result<std::vector<search::SearchHit>> nearest(const std::vector<float>& query, int limit, std::int64_t from_day,
                                                 std::int64_t until_day) override;
  int vector_dimension() override { return inner_.vector_dimension(); }
  [[nodiscard]] std::int64_t indexed_seq() const override { return inner_.indexed_seq(); }
  // Searches waiting for a slot now (metrics).
  [[nodiscard]] size_t waiting() { return slots_.waiting(); }

 private:
  search::SearchService& inner_;
  FifoGate slots_;
};

}  // namespace paperboy::web
