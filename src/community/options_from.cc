#include "community/options_from.h"

#include <algorithm>

namespace paperboy::community {

AccountOptions account_options_from(const config::Config& config) {
  const auto& c = config.community;
  AccountOptions o;
  // The option table admits only "minimum" and "interactive".
  o.hash_cost = c.password_hash == "minimum" ? HashCost::kMinimum : HashCost::kInteractive;
  o.limits.account_free_failures = c.login_attempts;
  o.limits.client_free_failures = c.login_client_failures;
  o.limits.failure_window_s = c.login_window_s;
  o.limits.max_delay_s = c.login_max_delay_s;
  o.limits.first_delay_s = std::min<std::int64_t>(2, c.login_max_delay_s);
  o.limits.signups_per_client = c.signups_per_hour;
  o.limits.resets_per_client = c.password_resets_per_hour;
  o.limits.request_window_s = 3600;  // the rows count per hour
  return o;
}

SubmissionOptions submission_options_from(const config::Config& config) {
  SubmissionOptions o;
  o.max_age_days = config.community.submit_max_age_days;
  o.per_account = config.community.submissions_per_hour;
  o.window_s = 3600;  // submissions_per_hour
  return o;
}

}  // namespace paperboy::community
