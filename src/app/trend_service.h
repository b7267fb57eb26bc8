// TrendService: trends at a glance. Papers per ISO week for any query (the search page's chart,
// GET /api/trends), counted over the whole search index; and rising topics: the title words and
// two-word phrases whose share of new papers grew most over the newest 30 listing days against
// the 180 days before them, read from the store's titles (topical, unlike abstracts' prose) and
// computed once per store state. Nothing is sampled; weeks and windows end at the newest listing
// day, not the clock, so a corpus that stopped being harvested still shows its last weeks. Knows
// nothing about HTTP. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "search/search_service.h"
#include "store/store.h"

namespace paperboy::app {

struct WeekCount {
  std::string week;         // ISO 8601 week, "2024-W07" (core::iso_week)
  std::int64_t monday = 0;  // its Monday, days since 1970-01-01
  std::int64_t papers = 0;
};

struct QueryTrend {
  std::vector<WeekCount> weeks;  // consecutive, oldest first, ending with the newest listing day's week
  std::int64_t papers = 0;       // papers in those weeks
  std::int64_t peak = 0;         // the most papers in one week
};

// Two windows of listing days (inclusive, days since 1970-01-01).
struct DayWindows {
  std::int64_t recent_from = 0;
  std::int64_t recent_until = 0;
  std::int64_t earlier_from = 0;
  std::int64_t earlier_until = 0;
};

struct RisingTopic {
  std::string term;          // a title word or two-word phrase, lower case, its most used form
  std::int64_t recent = 0;   // recent papers using it
  std::int64_t earlier = 0;  // earlier papers using it
  double recent_share = 0;   // recent / recent papers
  double earlier_share = 0;  // earlier / earlier papers
  double lift = 0;           // smoothed recent share over earlier share
};

struct RisingTopics {
  DayWindows windows;
  std::int64_t recent_papers = 0;
  std::int64_t earlier_papers = 0;
  std::vector<RisingTopic> topics;  // highest lift first
};

class TrendService {
 public:
  static constexpr int kDefaultWeeks = 104;
  static constexpr int kMaxWeeks = 1560;  // 30 years
  static constexpr int kRecentDays = 30;
  static constexpr int kEarlierDays = 180;
  static constexpr int kMaxTopics = 50;

  static constexpr int kPageSize = 5000;  // papers read from the store at a time
  static constexpr int kMaxPapersRead = 2000000;

  // Both must outlive the service.
  TrendService(search::SearchService& search, store::Store& papers) : search_(search), papers_(papers) {}

  // Papers per week matching the request's query and filters, the last `weeks` weeks (1..kMaxWeeks).
  [[nodiscard]] Result<QueryTrend> weekly(const search::SearchRequest& request, int weeks);
  // The `limit` (1..kMaxTopics) fastest-rising title words and phrases; computed once per store
  // state (its change sequence).
  [[nodiscard]] Result<RisingTopics> rising(int limit);

 private:
  search::SearchService& search_;
  store::Store& papers_;
  std::mutex mu_;  // guards the cache below
  std::int64_t cached_seq_ = -2;
  std::optional<RisingTopics> cached_;
};

}  // namespace paperboy::app
