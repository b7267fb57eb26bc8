// Listing periods: a day ("2024-01-05"), an ISO 8601 week ("2024-W01") or a month ("2024-01"),
// parsed from URLs into an inclusive range of listing days, with calendar neighbours for
// previous/next links. Every day of a period lies in the years 1000 to 9999: parsing refuses the
// rest (invalid_argument, a 400) and neighbours end there. Used by the listing pages, the API and
// the feeds. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::web {

struct Period {
  enum class Kind { kDay, kWeek, kMonth };
  Kind kind = Kind::kDay;
  std::string slug;      // as it appears in URLs: "2024-01-05", "2024-W01", "2024-01"
  std::string from_day;  // inclusive, "YYYY-MM-DD"
  std::string to_day;    // inclusive
  std::string label;     // for headings: "Friday, 5 January 2024", "Week 1 of 2024", "January 2024"
};

[[nodiscard]] Result<Period> parse_day(std::string_view text);
[[nodiscard]] Result<Period> parse_week(std::string_view text);  // ISO 8601 week date, §3.2.2
[[nodiscard]] Result<Period> parse_month(std::string_view text);
// The period `delta` steps away of the same kind (days step by calendar day); nullopt when it
// would leave the supported years.
[[nodiscard]] std::optional<Period> shift_period(const Period& period, int delta);
// The ISO week holding the period's first day.
[[nodiscard]] Period week_of(const Period& period);
// "/papers/date/2024-01-05", "/papers/week/2024-W01", "/papers/month/2024-01".
[[nodiscard]] std::string period_path(const Period& period);
// "day" | "week" | "month"
[[nodiscard]] std::string_view period_kind_name(Period::Kind kind);

// Days since 1970-01-01 <-> "YYYY-MM-DD".
[[nodiscard]] std::string day_string(std::int64_t days);
[[nodiscard]] Result<std::int64_t> day_number(std::string_view day);

}  // namespace paperboy::web
