// AttemptLimits: the limits on logins, sign-ups and password-reset requests, as OWASP's
// authentication cheat sheet describes them. Failed logins are counted (successes are not), per
// account and per client address; past a free allowance each further attempt must wait a delay
// that doubles with every failure up to a cap, so an attacker is slowed down while the owner can
// always log in again after at most the cap. Sign-ups (each costs an argon2id hash) and reset
// requests are counted per client (and reset requests per email) within a window. The counters
// live in the CommunityStore, so every instance sharing a database shares one budget.
// Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/community_store.h"

namespace paperboy::community {

struct AttemptLimitOptions {
  int account_free_failures = 5;        // failed logins per account before delays start
  int client_free_failures = 50;        // failed logins per client address before delays start
  std::int64_t first_delay_s = 2;       // the delay after the free failures; doubles with each further one
  std::int64_t max_delay_s = 900;       // the delay never grows beyond this
  std::int64_t failure_window_s = 900;  // failures are forgotten this long after the last one
  int signups_per_client = 20;          // sign-up attempts per client address per window
  int resets_per_client = 10;           // password-reset requests per client address per window
  int resets_per_email = 3;             // password-reset mails per address per window
  std::int64_t request_window_s = 3600;
};

// 0 when the attempt may go ahead, else the seconds to wait (an HTTP Retry-After).
using WaitSeconds = std::int64_t;

class AttemptLimits {
 public:
  AttemptLimits(store::CommunityStore& store, AttemptLimitOptions options) : store_(store), options_(options) {}

  // Before checking a password: the wait imposed by earlier failures for this account or client.
  [[nodiscard]] Result<WaitSeconds> login_wait(std::string_view email, std::string_view client);
  [[nodiscard]] Status record_login_failure(std::string_view email, std::string_view client);
  // A successful login forgets the account's failures (not the client's).
  [[nodiscard]] Status record_login_success(std::string_view email);
  // Counts a sign-up attempt from `client` unless it is over the limit.
  [[nodiscard]] Result<WaitSeconds> admit_signup(std::string_view client);
  // Counts a password-reset request unless `client` or `email` is over the limit.
  [[nodiscard]] Result<WaitSeconds> admit_reset(std::string_view client, std::string_view email);

  [[nodiscard]] const AttemptLimitOptions& options() const { return options_; }

 private:
  Result<WaitSeconds> failure_wait(const std::string& key, int free_failures, std::int64_t now);
  Result<WaitSeconds> admit(const std::string& key, int limit, std::int64_t now);

  store::CommunityStore& store_;
  AttemptLimitOptions options_;
};

}  // namespace paperboy::community
