// Date and time helpers for the formats our sources use: RFC 2822 ("Mon, 2 Apr 2007 19:18:42 GMT",
// arXiv snapshot and arXivRaw versions), ISO 8601 dates and datetimes (OAI-PMH, Atom).
// All times are seconds since the Unix epoch, UTC. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace paperboy::core {

// "Sat, 01 Dec 2018 00:00:00 GMT" (weekday optional, zone GMT/UT/UTC/Z or +hhmm).
[[nodiscard]] std::optional<std::int64_t> parse_rfc2822(std::string_view text);
// "2024-01-05", "2024-01-05T10:11:12Z", "2024-01-05T10:11:12.5+01:00".
[[nodiscard]] std::optional<std::int64_t> parse_iso8601(std::string_view text);
// Either of the two above.
[[nodiscard]] std::optional<std::int64_t> parse_any_datetime(std::string_view text);

[[nodiscard]] std::string format_iso_date(std::int64_t seconds);      // "2024-01-05"
[[nodiscard]] std::string format_iso_datetime(std::int64_t seconds);  // "2024-01-05T10:11:12Z"
[[nodiscard]] std::string format_rfc2822(std::int64_t seconds);       // "Fri, 05 Jan 2024 10:11:12 GMT"

// Days since 1970-01-01 for a civil date; nullopt when the date does not exist.
[[nodiscard]] std::optional<std::int64_t> days_from_civil(int year, int month, int day);

// The inverse of days_from_civil. weekday: 0 = Monday ... 6 = Sunday (ISO 8601).
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  int weekday = 3;
};
[[nodiscard]] CivilDate civil_from_days(std::int64_t days);
// "2024-W07": the ISO 8601 week (Monday first; its Thursday decides the year) holding a day (days
// since 1970-01-01).
[[nodiscard]] std::string iso_week(std::int64_t days);

// Seconds since the epoch now. For tests only: when $PAPERBOY_TEST_CLOCK_FILE names a file, the
// integer in it (seconds, may be negative) is added, read at every call, so a test can move the
// clock of a running `paperboy`; set_test_clock_offset() does the same inside a test process.
// Without either, this is the system clock and nothing more.
[[nodiscard]] std::int64_t unix_now();
void set_test_clock_offset(std::int64_t seconds);

}  // namespace paperboy::core
