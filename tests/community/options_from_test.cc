// The community part's options from a configuration written as a user would write it (TOML).
#include "community/options_from.h"

#include <gtest/gtest.h>

namespace paperboy::community {
namespace {

config::Config configured(std::string_view toml) {
  config::Config c;
  Status s = config::apply_config_text(c, toml, "test.toml");
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return c;
}

TEST(CommunityOptionsFrom, EveryRowReachesItsOption) {
  auto c = configured(R"([community]
password_hash = "minimum"
login_attempts = 7
login_client_failures = 31
login_window_s = 1200
login_max_delay_s = 90
signups_per_hour = 4
password_resets_per_hour = 6
submit_max_age_days = 21
submissions_per_hour = 3
)");
  AccountOptions a = account_options_from(c);
  EXPECT_EQ(a.hash_cost, HashCost::kMinimum);
  EXPECT_EQ(a.limits.account_free_failures, 7);
  EXPECT_EQ(a.limits.client_free_failures, 31);
  EXPECT_EQ(a.limits.failure_window_s, 1200);
  EXPECT_EQ(a.limits.max_delay_s, 90);
  EXPECT_EQ(a.limits.signups_per_client, 4);
  EXPECT_EQ(a.limits.resets_per_client, 6);
  EXPECT_EQ(a.limits.request_window_s, 3600);
  SubmissionOptions s = submission_options_from(c);
  EXPECT_EQ(s.max_age_days, 21);
  EXPECT_EQ(s.per_account, 3);
  EXPECT_EQ(s.window_s, 3600);
  // The first delay never exceeds the configured maximum.
  EXPECT_EQ(account_options_from(configured("[community]\nlogin_max_delay_s = 1\n")).limits.first_delay_s, 1);
  EXPECT_EQ(account_options_from(configured("[community]\npassword_hash = \"interactive\"\n")).hash_cost,
            HashCost::kInteractive);
}

}  // namespace
}  // namespace paperboy::community
