// AccountService: sign-up, login, sessions, API tokens, password changes and account deletion on
// top of a CommunityStore. Knows nothing about HTTP: the web layer passes cookie and header
// values in. Login answers the same "email or password is wrong" whether or not the email exists
// (and spends the same argon2id work either way). Failed logins slow further attempts down per
// account and per client, and sign-ups and reset requests are limited per client (attempt_limits.h).
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "community/attempt_limits.h"
#include "community/secrets.h"
#include "store/community_store.h"

namespace paperboy::community {

struct AccountOptions {
  HashCost hash_cost = HashCost::kInteractive;
  std::int64_t session_lifetime_s = 30 * 24 * 3600;
  AttemptLimitOptions limits;
};

// "Ada@Example.org " -> "ada@example.org"; invalid_argument naming the problem otherwise.
[[nodiscard]] Result<std::string> normalise_email(std::string_view email);
// At least 10 and at most 1024 bytes (argon2id handles any bytes; the cap bounds the work).
[[nodiscard]] Status validate_password(std::string_view password);

struct Session {
  std::string secret;  // goes into the cookie; only its hash is stored
  store::Account account;
};

class AccountService {
 public:
  AccountService(store::CommunityStore& store, AccountOptions options);

  // Sign-ups from the web pass the client's address (limited per client: rate_limited, whose
  // retry_after_s() is also written to `retry_after_s`); the CLI passes none.
  [[nodiscard]] Result<store::Account> sign_up(std::string_view email, std::string_view password, std::string_view name,
                                               store::Role role = store::Role::kUser, std::string_view client = "",
                                               WaitSeconds* retry_after_s = nullptr);
  // unauthenticated "email or password is wrong", or rate_limited (with `retry_after_s`) while
  // earlier failures of this account or client impose a wait.
  [[nodiscard]] Result<store::Account> authenticate(std::string_view email, std::string_view password,
                                                    const std::string& client, WaitSeconds* retry_after_s = nullptr);
  // Whether a password-reset mail may go to `email` at this client's request: rate_limited (with
  // `retry_after_s`) when either asked too often.
  [[nodiscard]] Status admit_reset_request(std::string_view client, std::string_view email,
                                           WaitSeconds* retry_after_s = nullptr);
  // Always a fresh random id: logging in never reuses an id the client brought (session fixation).
  [[nodiscard]] Result<Session> start_session(const store::Account& account);
  [[nodiscard]] Result<std::optional<store::Account>> session_account(std::string_view secret);
  [[nodiscard]] Status end_session(std::string_view secret);
  // A new personal API token (shown once; stored hashed).
  [[nodiscard]] Result<std::string> issue_api_token(const store::Account& account, std::string_view label);
  [[nodiscard]] Result<std::optional<store::Account>> token_account(std::string_view secret);
  // Sets a new password and ends every session and revokes every API token of the account.
  [[nodiscard]] Status change_password(std::int64_t account_id, std::string_view password);
  // The password hash's tail: binds a reset link to the current password, so a link works once.
  [[nodiscard]] Result<std::string> password_fingerprint(std::int64_t account_id);
  // Runs every deletion step (in registration order), then removes the account itself.
  [[nodiscard]] Status delete_account(std::int64_t account_id);
  // Registers personal data kept outside the CommunityStore (collections, follows, comments) to be
  // removed before the account is; a failing step stops the deletion, so the account (and its
  // login) stays until its data is gone, and an id SQLite reuses never inherits old rows.
  // Register before serving: registration is not thread-safe.
  void add_deletion_step(std::function<Status(std::int64_t account_id)> step);

  // The account with this (normalised) email or id; nullopt when there is none.
  [[nodiscard]] Result<std::optional<store::Account>> find_by_email(std::string_view email);
  [[nodiscard]] Result<std::optional<store::Account>> find(std::int64_t account_id);

  [[nodiscard]] store::CommunityStore& store() { return store_; }

 private:
  store::CommunityStore& store_;
  AccountOptions options_;
  AttemptLimits limits_;
  std::string dummy_hash_;
  std::vector<std::function<Status(std::int64_t)>>
      deletion_steps_;  // verified against when the email is unknown, so timing matches
};

}  // namespace paperboy::community
