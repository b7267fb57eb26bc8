#include "core/time.h"

#include <gtest/gtest.h>

namespace paperboy::core {
namespace {

TEST(Time, ParsesArxivSnapshotDates) {
  auto t = parse_rfc2822("Sat, 01 Dec 2018 00:00:00 GMT");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso_datetime(*t), "2018-12-01T00:00:00Z");
  auto u = parse_rfc2822("Mon, 2 Apr 2007 19:18:42 GMT");
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, 1175541522);
}

TEST(Time, ParsesRfc2822WithoutWeekdayAndWithOffset) {
  auto t = parse_rfc2822("2 Apr 2007 21:18:42 +0200");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, 1175541522);
}

TEST(Time, RejectsImpossibleDates) {
  EXPECT_FALSE(parse_rfc2822("Sat, 31 Feb 2018 00:00:00 GMT"));
  EXPECT_FALSE(parse_rfc2822("yesterday"));
  EXPECT_FALSE(parse_iso8601("2024-13-01"));
  EXPECT_FALSE(parse_iso8601("2024-01-01T25:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2024-01-01 garbage"));
}

TEST(Time, ParsesIso8601DatesAndDatetimes) {
  EXPECT_EQ(parse_iso8601("2024-01-05"), 1704412800);
  EXPECT_EQ(parse_iso8601("2024-01-05T10:11:12Z"), 1704412800 + 36672);
  EXPECT_EQ(parse_iso8601("2024-01-05T11:11:12+01:00"), 1704412800 + 36672);
  EXPECT_EQ(parse_iso8601("2024-01-05T10:11:12.250Z"), 1704412800 + 36672);
}

TEST(Time, FormatsRoundTrip) {
  std::int64_t t = 1704449472;  // 2024-01-05T10:11:12Z, a Friday
  EXPECT_EQ(format_iso_date(t), "2024-01-05");
  EXPECT_EQ(format_rfc2822(t), "Fri, 05 Jan 2024 10:11:12 GMT");
  EXPECT_EQ(parse_rfc2822(format_rfc2822(t)), t);
  EXPECT_EQ(parse_any_datetime(format_iso_datetime(t)), t);
}

TEST(Time, CivilFromDaysInvertsDaysFromCivilWithIsoWeekdays) {
  auto c = civil_from_days(*days_from_civil(2024, 2, 29));
  EXPECT_EQ(c.year, 2024);
  EXPECT_EQ(c.month, 2);
  EXPECT_EQ(c.day, 29);
  EXPECT_EQ(c.weekday, 3);                    // a Thursday; 0 = Monday
  EXPECT_EQ(civil_from_days(0).weekday, 3);   // 1970-01-01, a Thursday
  EXPECT_EQ(civil_from_days(-1).day, 31);     // 1969-12-31
  EXPECT_EQ(civil_from_days(-1).weekday, 2);  // a Wednesday
}

TEST(Time, HandlesDatesBeforeTheEpoch) {
  EXPECT_EQ(format_iso_date(-1), "1969-12-31");
}

TEST(IsoWeek, FollowsIso8601AcrossYearEnds) {
  auto day = [](int y, int m, int d) { return *days_from_civil(y, m, d); };
  EXPECT_EQ(iso_week(day(2024, 1, 1)), "2024-W01");  // a Monday
  EXPECT_EQ(iso_week(day(2021, 1, 3)), "2020-W53");  // Sunday of 2020's last week
  EXPECT_EQ(iso_week(day(2019, 12, 30)), "2020-W01");
  EXPECT_EQ(iso_week(day(2026, 12, 31)), "2026-W53");
  EXPECT_EQ(iso_week(day(2027, 1, 3)), "2026-W53");
  EXPECT_EQ(iso_week(day(2027, 1, 4)), "2027-W01");
  EXPECT_EQ(iso_week(day(2026, 6, 15)), "2026-W25");
}

}  // namespace
}  // namespace paperboy::core
