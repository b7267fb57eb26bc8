// PostgresCommunityStore: the CommunityStore on the shared PostgreSQL database (migration component
// "community"), for several `paperboy serve` instances on one database. Connections come from its
// own pool; every statement is prepared once per connection.
//
// Isolation. A vote change is ONE statement (READ COMMITTED, autocommit): the row in `votes` is
// inserted with ON CONFLICT DO NOTHING (or deleted), and the paper's count moves in the same
// statement only when that row really changed; concurrent voters from any process wait on the
// row's unique key, so each (account, paper) counts once and the count equals the rows.
// vote_generation() reads a database SEQUENCE drawn right after each committed change, so the page
// caches of every instance see a count change (a reader may see the new count before the new
// generation, never the generation before the count). Thread-safe; safe across processes.
#pragma once

#include <memory>
#include <string>

#include "store/community_store.h"
#include "store/postgres/pg_db.h"

namespace paperboy::store::postgres {

class PostgresCommunityStore final : public CommunityStore {
 public:
  // Connects, applies the "community" migrations (refusing a newer schema) and returns the store.
  static Result<std::unique_ptr<PostgresCommunityStore>> open(const std::string& url, int pool_size = 8);

  Result<std::int64_t> create_account(std::string_view email, std::string_view name, std::string_view password_hash,
                                      Role role, std::int64_t now) override;
  Result<std::optional<AccountCredentials>> find_account_by_email(std::string_view email) override;
  Result<std::optional<AccountCredentials>> get_account(std::int64_t id) override;
  Result<std::optional<Account>> find_account_by_name(std::string_view name) override;
  Status set_password_hash(std::int64_t account_id, std::string_view password_hash) override;
  Status set_role(std::int64_t account_id, Role role) override;
  Status delete_account(std::int64_t account_id) override;
  Status create_session(std::string_view id_hash, std::int64_t account_id, std::int64_t expires_at) override;
  Result<std::optional<Account>> session_account(std::string_view id_hash, std::int64_t now) override;
  Status delete_session(std::string_view id_hash) override;
  Status delete_sessions_of(std::int64_t account_id) override;
  Status create_api_token(std::string_view token_hash, std::int64_t account_id, std::string_view label,
                          std::int64_t now) override;
  Result<std::optional<Account>> token_account(std::string_view token_hash) override;
  Status delete_api_tokens_of(std::int64_t account_id) override;
  Result<AttemptCount> attempts(std::string_view key, std::int64_t now, std::int64_t window_s) override;
  Result<AttemptCount> add_attempt(std::string_view key, std::int64_t now, std::int64_t window_s) override;
  Status clear_attempts(std::string_view key) override;
  Result<VoteOutcome> set_vote(std::int64_t account_id, std::string_view paper_id, std::int64_t published, bool up,
                               std::int64_t now) override;
  Result<std::unordered_map<std::string, std::int64_t>> vote_counts(std::span<const std::string> paper_ids) override;
  Result<std::unordered_set<std::string>> voted_papers(std::int64_t account_id,
                                                       std::span<const std::string> paper_ids) override;
  Result<std::vector<PaperVotes>> voted_papers_published_between(std::int64_t from, std::int64_t to) override;
  Result<std::vector<std::string>> papers_voted_by(std::int64_t account_id, int limit) override;
  Result<std::int64_t> vote_generation() override;

 private:
  PostgresCommunityStore(const std::string& url, int pool_size) : pool_(url, pool_size) {}
  Result<PgResult> query(std::string_view sql, const Params& params);
  Result<std::optional<AccountCredentials>> one_account(std::string_view sql, const Params& params);
  Status bump_vote_generation();

  PgPool pool_;
};

}  // namespace paperboy::store::postgres
