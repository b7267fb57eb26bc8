#include "web/period.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <string>

#include "core/time.h"

namespace paperboy::web {
namespace {

constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};

// The years a period may touch. Outside them a day has no four-digit slug, and the ISO-week and
// calendar arithmetic below would walk off the ends (9999-W52 ends in 10000).
constexpr int kFirstYear = 1000;
constexpr int kLastYear = 9999;

Status out_of_range(std::string_view text) {
  return Status::invalid_argument("'" + std::string(text) + "' is outside the supported dates (years " +
                                  std::to_string(kFirstYear) + " to " + std::to_string(kLastYear) + ")");
}

// Reads exactly `width` digits at `pos`.
bool read_number(std::string_view text, size_t pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + width, out);
  return true;
}

std::int64_t monday_of_week_one(int year) {
  std::int64_t jan4 = *core::days_from_civil(year, 1, 4);  // ISO 8601: week 1 holds 4 January
  return jan4 - core::civil_from_days(jan4).weekday;
}

Period make_week(int year, int week) {
  std::int64_t monday = monday_of_week_one(year) + 7 * (week - 1);
  char slug[16];
  std::snprintf(slug, sizeof slug, "%04d-W%02d", year, week);
  return {Period::Kind::kWeek, slug, day_string(monday), day_string(monday + 6),
          "Week " + std::to_string(week) + " of " + std::to_string(year)};
}

Period make_month(int year, int month) {
  char slug[16];
  std::snprintf(slug, sizeof slug, "%04d-%02d", year, month);
  int next_year = month == 12 ? year + 1 : year;
  int next_month = month == 12 ? 1 : month + 1;
  std::int64_t last = *core::days_from_civil(next_year, next_month, 1) - 1;
  return {Period::Kind::kMonth, slug, std::string(slug) + "-01", day_string(last),
          std::string(kMonths[static_cast<size_t>(month - 1)]) + " " + std::to_string(year)};
}

Period make_day(std::int64_t days) {
  core::CivilDate c = core::civil_from_days(days);
  std::string slug = day_string(days);
  return {Period::Kind::kDay, slug, slug, slug,
          std::string(kWeekdays[static_cast<size_t>(c.weekday)]) + ", " + std::to_string(c.day) + " " +
              kMonths[static_cast<size_t>(c.month - 1)] + " " + std::to_string(c.year)};
}

// The ISO week holding `day`: its Thursday decides the ISO year.
Period week_holding(std::int64_t day) {
  std::int64_t thursday = day - core::civil_from_days(day).weekday + 3;
  int year = core::civil_from_days(thursday).year;
  int week = static_cast<int>((thursday - 3 - monday_of_week_one(year)) / 7) + 1;
  return make_week(year, week);
}

bool is_within_bounds(const Period& p) {
  auto year = [](const std::string& day) { return day.size() == 10 ? std::stoi(day.substr(0, 4)) : -1; };
  int from = year(p.from_day), to = year(p.to_day);
  return from >= kFirstYear && from <= kLastYear && to >= kFirstYear && to <= kLastYear;
}

int weeks_in_year(int year) {
  return static_cast<int>((monday_of_week_one(year + 1) - monday_of_week_one(year)) / 7);
}

}  // namespace

std::string day_string(std::int64_t days) {
  return core::format_iso_date(days * 86400);
}

Result<std::int64_t> day_number(std::string_view day) {
  int y = 0, m = 0, d = 0;
  if (day.size() != 10 || day[4] != '-' || day[7] != '-' || !read_number(day, 0, 4, y) || !read_number(day, 5, 2, m) ||
      !read_number(day, 8, 2, d)) {
    return fail(Status::invalid_argument("'" + std::string(day) + "' is not a date of the form YYYY-MM-DD"));
  }
  if (y < kFirstYear || y > kLastYear) return fail(out_of_range(day));
  auto days = core::days_from_civil(y, m, d);
  if (!days) return fail(Status::invalid_argument("'" + std::string(day) + "' is not a calendar date"));
  return *days;
}

Result<Period> parse_day(std::string_view text) {
  auto days = day_number(text);
  if (!days) return fail(days.error());
  return make_day(*days);
}

Result<Period> parse_week(std::string_view text) {
  int year = 0, week = 0;
  if (text.size() != 8 || text[4] != '-' || text[5] != 'W' || !read_number(text, 0, 4, year) ||
      !read_number(text, 6, 2, week)) {
    return fail(Status::invalid_argument("'" + std::string(text) + "' is not an ISO week of the form YYYY-Www"));
  }
  if (year < kFirstYear || year > kLastYear) return fail(out_of_range(text));
  if (week < 1 || week > weeks_in_year(year)) {
    return fail(Status::invalid_argument(std::to_string(year) + " has no week " + std::to_string(week)));
  }
  Period p = make_week(year, week);
  if (!is_within_bounds(p)) return fail(out_of_range(text));  // 1000-W01 starts in 999, 9999-W52 ends in 10000
  return p;
}

Result<Period> parse_month(std::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-' || !read_number(text, 0, 4, year) || !read_number(text, 5, 2, month) ||
      month < 1 || month > 12) {
    return fail(Status::invalid_argument("'" + std::string(text) + "' is not a month of the form YYYY-MM"));
  }
  if (year < kFirstYear || year > kLastYear) return fail(out_of_range(text));
  return make_month(year, month);
}

Period week_of(const Period& period) {
  auto day = day_number(period.from_day);
  return day ? week_holding(*day) : period;
}

std::optional<Period> shift_period(const Period& period, int delta) {
  auto from = day_number(period.from_day);
  if (!from) return std::nullopt;
  // Far enough to leave the bounds whatever the kind, small enough for any arithmetic below.
  if (delta < -20000 || delta > 20000) return std::nullopt;
  Period out;
  switch (period.kind) {
    case Period::Kind::kDay: out = make_day(*from + delta); break;
    case Period::Kind::kWeek: out = week_holding(*from + 7 * static_cast<std::int64_t>(delta)); break;
    case Period::Kind::kMonth: {
      core::CivilDate c = core::civil_from_days(*from);
      int index = c.year * 12 + (c.month - 1) + delta;
      if (index < kFirstYear * 12 || index > kLastYear * 12 + 11) return std::nullopt;
      out = make_month(index / 12, index % 12 + 1);
      break;
    }
  }
  if (!is_within_bounds(out)) return std::nullopt;
  return out;
}

std::string period_path(const Period& period) {
  return "/papers/" + std::string(period.kind == Period::Kind::kDay ? "date" : period_kind_name(period.kind)) + "/" +
         period.slug;
}

std::string_view period_kind_name(Period::Kind kind) {
  switch (kind) {
    case Period::Kind::kDay: return "day";
    case Period::Kind::kWeek: return "week";
    case Period::Kind::kMonth: return "month";
  }
  return "day";
}

}  // namespace paperboy::web
