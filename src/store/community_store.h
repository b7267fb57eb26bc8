// CommunityStore: persistent state of the community features (accounts, sessions, API tokens,
// upvotes), apart from the paper Store. Implementations: SQLite (same database file as the paper
// store, store/sqlite/sqlite_community_store.h) and PostgreSQL (store/postgres/). Backend-neutral:
// no SQL types.
// Isolation each implementation must give: set_vote is atomic (one vote per (account, paper),
// enforced by a unique key, the paper's count changed in the same transaction); delete_account
// removes the account and everything personal in one transaction. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

enum class Role { kUser = 0, kCurator = 1, kAdmin = 2 };
[[nodiscard]] std::string_view role_name(Role role);
[[nodiscard]] Result<Role> parse_role(std::string_view name);
// Curators and admins: they feature and hide papers and delete others' comments.
[[nodiscard]] bool is_moderator(Role role);

// An account as the rest of the server sees it: never carries the password hash.
struct Account {
  std::int64_t id = 0;
  std::string email;  // normalised (lower case)
  std::string name;
  Role role = Role::kUser;
  std::int64_t created_at = 0;
};

// Only the login path reads this (to verify a password); it never leaves the server.
struct AccountCredentials {
  Account account;
  std::string password_hash;
};

struct VoteOutcome {
  std::int64_t upvotes = 0;  // the paper's count after the change
  bool is_voted = false;     // whether this account now votes for the paper
};

// Attempts counted under one key ("login-account:ada@example.org", "signup-client:10.0.0.7"):
// what the login, sign-up and password-reset limits (community/attempt_limits.h) read.
struct AttemptCount {
  std::int64_t count = 0;
  std::int64_t last_at = 0;  // unix seconds of the latest counted attempt
};

// A paper's vote count with its first-version time, for the trending score.
struct PaperVotes {
  std::string paper_id;
  std::int64_t upvotes = 0;
  std::int64_t published = 0;  // unix seconds
};

class CommunityStore {
 public:
  virtual ~CommunityStore() = default;

  // Accounts. create_account fails with already_exists when the email is taken.
  virtual Result<std::int64_t> create_account(std::string_view email, std::string_view name,
                                              std::string_view password_hash, Role role, std::int64_t now) = 0;
  virtual Result<std::optional<AccountCredentials>> find_account_by_email(std::string_view email) = 0;
  virtual Result<std::optional<AccountCredentials>> get_account(std::int64_t id) = 0;
  // The oldest account with exactly this display name (names are not unique): profile URLs by name.
  virtual Result<std::optional<Account>> find_account_by_name(std::string_view name) = 0;
  virtual Status set_password_hash(std::int64_t account_id, std::string_view password_hash) = 0;
  virtual Status set_role(std::int64_t account_id, Role role) = 0;
  // Removes the account, its sessions, tokens and votes (vote counts decrease), in one transaction.
  virtual Status delete_account(std::int64_t account_id) = 0;

  // Sessions and API tokens are stored by the hash of their secret only.
  virtual Status create_session(std::string_view id_hash, std::int64_t account_id, std::int64_t expires_at) = 0;
  virtual Result<std::optional<Account>> session_account(std::string_view id_hash, std::int64_t now) = 0;
  virtual Status delete_session(std::string_view id_hash) = 0;
  virtual Status delete_sessions_of(std::int64_t account_id) = 0;
  virtual Status create_api_token(std::string_view token_hash, std::int64_t account_id, std::string_view label,
                                  std::int64_t now) = 0;
  virtual Result<std::optional<Account>> token_account(std::string_view token_hash) = 0;
  virtual Status delete_api_tokens_of(std::int64_t account_id) = 0;

  // Attempt counters, in the database so every instance sharing it shares the budget.
  // add_attempt counts one at `now`, restarting from 1 when the last one is `window_s` or more
  // old, and returns the count after; clear_attempts forgets the key.
  virtual Result<AttemptCount> attempts(std::string_view key, std::int64_t now, std::int64_t window_s) = 0;
  virtual Result<AttemptCount> add_attempt(std::string_view key, std::int64_t now, std::int64_t window_s) = 0;
  virtual Status clear_attempts(std::string_view key) = 0;

  // Votes. set_vote(up=true) adds the account's vote unless it is there, up=false removes it;
  // both return the count after the change. `published` is the paper's first-version time.
  virtual Result<VoteOutcome> set_vote(std::int64_t account_id, std::string_view paper_id, std::int64_t published,
                                       bool up, std::int64_t now) = 0;
  // Counts for these papers (papers without votes are absent).
  virtual Result<std::unordered_map<std::string, std::int64_t>> vote_counts(std::span<const std::string> paper_ids) = 0;
  // Which of these papers the account votes for.
  virtual Result<std::unordered_set<std::string>> voted_papers(std::int64_t account_id,
                                                               std::span<const std::string> paper_ids) = 0;
  // The papers the account votes for, most recently voted first, at most `limit`: what personal
  // recommendations learn from.
  virtual Result<std::vector<std::string>> papers_voted_by(std::int64_t account_id, int limit) = 0;
  // Papers with at least one vote, first published in [from, to] (unix seconds).
  virtual Result<std::vector<PaperVotes>> voted_papers_published_between(std::int64_t from, std::int64_t to) = 0;
  // A number that grows with every vote change: cache validation for pages showing counts.
  virtual Result<std::int64_t> vote_generation() = 0;
};

}  // namespace paperboy::store
