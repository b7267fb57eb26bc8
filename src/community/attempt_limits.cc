#include "community/attempt_limits.h"

#include <algorithm>

#include "core/time.h"

namespace paperboy::community {
namespace {

std::string account_key(std::string_view email) {
  return "login-account:" + std::string(email);
}
std::string client_key(std::string_view client) {
  return "login-client:" + std::string(client);
}

}  // namespace

Result<WaitSeconds> AttemptLimits::failure_wait(const std::string& key, int free_failures, std::int64_t now) {
  auto counted = store_.attempts(key, now, options_.failure_window_s);
  if (!counted) return fail(counted.error());
  if (counted->count < free_failures) return WaitSeconds{0};
  // first_delay * 2^(failures beyond the allowance), capped; the shift is bounded so it cannot overflow.
  std::int64_t beyond = std::min<std::int64_t>(counted->count - free_failures, 40);
  std::int64_t delay = std::min(options_.max_delay_s, options_.first_delay_s << beyond);
  std::int64_t wait = counted->last_at + delay - now;
  return std::max<WaitSeconds>(wait, 0);
}

Result<WaitSeconds> AttemptLimits::login_wait(std::string_view email, std::string_view client) {
  std::int64_t now = core::unix_now();
  auto by_account = failure_wait(account_key(email), options_.account_free_failures, now);
  if (!by_account) return by_account;
  auto by_client = failure_wait(client_key(client), options_.client_free_failures, now);
  if (!by_client) return by_client;
  return std::max(*by_account, *by_client);
}

Status AttemptLimits::record_login_failure(std::string_view email, std::string_view client) {
  std::int64_t now = core::unix_now();
  if (auto r = store_.add_attempt(account_key(email), now, options_.failure_window_s); !r) return r.error();
  if (auto r = store_.add_attempt(client_key(client), now, options_.failure_window_s); !r) return r.error();
  return Status::ok();
}

Status AttemptLimits::record_login_success(std::string_view email) {
  return store_.clear_attempts(account_key(email));
}

Result<WaitSeconds> AttemptLimits::admit(const std::string& key, int limit, std::int64_t now) {
  auto counted = store_.attempts(key, now, options_.request_window_s);
  if (!counted) return fail(counted.error());
  if (counted->count >= limit) return std::max<WaitSeconds>(counted->last_at + options_.request_window_s - now, 1);
  auto added = store_.add_attempt(key, now, options_.request_window_s);
  if (!added) return fail(added.error());
  return WaitSeconds{0};
}

Result<WaitSeconds> AttemptLimits::admit_signup(std::string_view client) {
  return admit("signup-client:" + std::string(client), options_.signups_per_client, core::unix_now());
}

Result<WaitSeconds> AttemptLimits::admit_reset(std::string_view client, std::string_view email) {
  std::int64_t now = core::unix_now();
  auto by_client = admit("reset-client:" + std::string(client), options_.resets_per_client, now);
  if (!by_client || *by_client > 0) return by_client;
  return admit("reset-email:" + std::string(email), options_.resets_per_email, now);
}

}  // namespace paperboy::community
