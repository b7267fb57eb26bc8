#include "core/time.h"

#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace paperboy::core {
namespace {

struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  void skip_spaces() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool eat(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  // Reads 1..max_digits digits; requires at least min_digits.
  std::optional<int> number(size_t min_digits, size_t max_digits) {
    size_t start = i;
    int v = 0;
    while (i < s.size() && i - start < max_digits && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
    }
    if (i - start < min_digits) return std::nullopt;
    return v;
  }
  std::string_view word() {
    size_t start = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(start, i - start);
  }
};

std::optional<int> month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (name.size() < 3) return std::nullopt;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    bool match = true;
    for (size_t k = 0; k < 3; ++k) {
      if (std::tolower(static_cast<unsigned char>(name[k])) !=
          std::tolower(static_cast<unsigned char>(kMonths[m][k]))) {
        match = false;
      }
    }
    if (match) return static_cast<int>(m) + 1;
  }
  return std::nullopt;
}

std::optional<std::int64_t> to_seconds(int y, int mo, int d, int h, int mi, int s) {
  auto days = days_from_civil(y, mo, d);
  if (!days || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return *days * 86400 + h * 3600 + mi * 60 + s;
}

// "+0100", "-05:30", "Z", "GMT", "UT", "UTC" -> offset seconds east of UTC.
std::optional<int> zone_offset(Cursor& c) {
  c.skip_spaces();
  if (c.done()) return 0;
  char sign = c.s[c.i];
  if (sign == '+' || sign == '-') {
    ++c.i;
    auto hh = c.number(2, 2);
    c.eat(':');
    auto mm = c.number(2, 2);
    if (!hh || !mm) return std::nullopt;
    int off = *hh * 3600 + *mm * 60;
    return sign == '-' ? -off : off;
  }
  std::string_view z = c.word();
  if (z == "Z" || z == "GMT" || z == "UT" || z == "UTC") return 0;
  return std::nullopt;
}

struct ClockTime {
  int h = 0, mi = 0, s = 0;
};

// "HH:MM" or "HH:MM:SS"; with `fraction`, digits after "SS." are read and dropped (ISO 8601).
std::optional<ClockTime> clock_time(Cursor& c, bool fraction) {
  ClockTime t;
  auto hh = c.number(2, 2);
  if (!hh || !c.eat(':')) return std::nullopt;
  auto mm = c.number(2, 2);
  if (!mm) return std::nullopt;
  t.h = *hh;
  t.mi = *mm;
  if (c.eat(':')) {
    auto ss = c.number(2, 2);
    if (!ss) return std::nullopt;
    t.s = *ss;
    if (fraction && c.eat('.')) c.number(1, 9);
  }
  return t;
}

}  // namespace

std::optional<std::int64_t> days_from_civil(int year, int month, int day) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

std::optional<std::int64_t> parse_rfc2822(std::string_view text) {
  Cursor c{text};
  c.skip_spaces();
  // Optional weekday: "Sat,"
  size_t save = c.i;
  std::string_view weekday = c.word();
  if (!weekday.empty()) {
    if (!c.eat(',')) c.i = save;
  }
  c.skip_spaces();
  auto day = c.number(1, 2);
  c.skip_spaces();
  auto month = month_from_name(c.word());
  c.skip_spaces();
  auto year = c.number(4, 4);
  c.skip_spaces();
  if (!day || !month || !year) return std::nullopt;
  ClockTime clock;
  if (!c.done()) {
    auto read = clock_time(c, false);
    if (!read) return std::nullopt;
    clock = *read;
  }
  auto off = zone_offset(c);
  c.skip_spaces();
  if (!off || !c.done()) return std::nullopt;
  auto t = to_seconds(*year, *month, *day, clock.h, clock.mi, clock.s);
  if (!t) return std::nullopt;
  return *t - *off;
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  Cursor c{text};
  c.skip_spaces();
  auto y = c.number(4, 4);
  if (!y || !c.eat('-')) return std::nullopt;
  auto mo = c.number(2, 2);
  if (!mo || !c.eat('-')) return std::nullopt;
  auto d = c.number(2, 2);
  if (!d) return std::nullopt;
  ClockTime clock;
  int off = 0;
  if (c.eat('T') || c.eat(' ')) {
    auto read = clock_time(c, true);
    if (!read) return std::nullopt;
    clock = *read;
    auto z = zone_offset(c);
    if (!z) return std::nullopt;
    off = *z;
  }
  c.skip_spaces();
  if (!c.done()) return std::nullopt;
  auto t = to_seconds(*y, *mo, *d, clock.h, clock.mi, clock.s);
  if (!t) return std::nullopt;
  return *t - off;
}

std::optional<std::int64_t> parse_any_datetime(std::string_view text) {
  if (auto t = parse_iso8601(text)) return t;
  return parse_rfc2822(text);
}

CivilDate civil_from_days(std::int64_t days) {
  using namespace std::chrono;
  sys_days sd{std::chrono::days{days}};
  year_month_day ymd{sd};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(weekday{sd}.iso_encoding()) - 1};
}

std::string iso_week(std::int64_t days) {
  const std::int64_t thursday = days - civil_from_days(days).weekday + 3;
  const int year = civil_from_days(thursday).year;
  const std::int64_t jan1 = days_from_civil(year, 1, 1).value_or(thursday);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-W%02d", year, static_cast<int>((thursday - jan1) / 7 + 1));
  return out;
}

namespace {
struct Civil {
  int y, m, d, hh, mm, ss, wd;  // wd: 0 = Sunday, as RFC 2822 day names are listed below
};
Civil to_civil(std::int64_t seconds) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  std::int64_t rem = seconds - days * 86400;
  CivilDate date = civil_from_days(days);
  return {date.year,
          date.month,
          date.day,
          static_cast<int>(rem / 3600),
          static_cast<int>(rem / 60 % 60),
          static_cast<int>(rem % 60),
          (date.weekday + 1) % 7};
}
}  // namespace

std::string format_iso_date(std::int64_t seconds) {
  Civil c = to_civil(seconds);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

std::string format_iso_datetime(std::int64_t seconds) {
  Civil c = to_civil(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.y, c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

std::string format_rfc2822(std::int64_t seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  Civil c = to_civil(seconds);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[c.wd], c.d, kMonths[c.m - 1], c.y, c.hh,
                c.mm, c.ss);
  return buf;
}

namespace {

std::atomic<std::int64_t> g_test_offset{0};

// The offset in $PAPERBOY_TEST_CLOCK_FILE; 0 when unset, unreadable or not a number.
std::int64_t test_clock_file_offset() {
  static const char* const path = [] {
    const char* p = std::getenv("PAPERBOY_TEST_CLOCK_FILE");
    return p != nullptr && *p != '\0' ? p : nullptr;
  }();
  if (path == nullptr) return 0;
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return 0;
  long long v = 0;
  if (std::fscanf(f, "%lld", &v) != 1) v = 0;
  std::fclose(f);
  return v;
}

}  // namespace

void set_test_clock_offset(std::int64_t seconds) {
  g_test_offset.store(seconds, std::memory_order_relaxed);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
         g_test_offset.load(std::memory_order_relaxed) + test_clock_file_offset();
}

}  // namespace paperboy::core
