// The mail part's options from a configuration written as a user would write it (TOML).
#include "mail/options_from.h"

#include <gtest/gtest.h>

namespace paperboy::mail {
namespace {

TEST(MailOptionsFrom, TheOutboxGetsItsPaceRetriesAndLease) {
  config::Config c;
  ASSERT_TRUE(config::apply_config_text(c, R"([mail]
rate_per_second = 4
max_attempts = 5
retry_backoff_s = 30
pause_after_failures = 2
claim_lease_s = 120
)",
                                        "t.toml")
                  .is_ok());
  OutboxOptions o = outbox_options_from(c, "papers.example.org");
  EXPECT_DOUBLE_EQ(o.min_interval_s, 0.25);
  EXPECT_EQ(o.max_attempts, 5);
  EXPECT_DOUBLE_EQ(o.backoff_s, 30);
  EXPECT_EQ(o.pause_after_failures, 2);
  EXPECT_EQ(o.claim_lease_s, 120);
  EXPECT_EQ(o.message_id_domain, "papers.example.org");
}

}  // namespace
}  // namespace paperboy::mail
