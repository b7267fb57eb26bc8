// SqliteCommunityStore: the CommunityStore in the paper store's SQLite file (WAL). Its own writer
// connection serialises community writes behind a mutex; each write is one IMMEDIATE transaction,
// which also serialises it against the paper store's writer (busy timeout). Readers are pooled.
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "store/community_store.h"
#include "store/sqlite/sqlite_db.h"

namespace paperboy::store::sqlite {

class SqliteCommunityStore final : public CommunityStore {
 public:
  static Result<std::unique_ptr<SqliteCommunityStore>> open(const std::string& path, int cache_mib);

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
  Result<std::vector<std::string>> papers_voted_by(std::int64_t account_id, int limit) override;
  Result<std::unordered_set<std::string>> voted_papers(std::int64_t account_id,
                                                       std::span<const std::string> paper_ids) override;
  Result<std::vector<PaperVotes>> voted_papers_published_between(std::int64_t from, std::int64_t to) override;
  Result<std::int64_t> vote_generation() override { return vote_generation_.load(); }

 private:
  SqliteCommunityStore(const std::string& path, int cache_mib, std::unique_ptr<Connection> writer)
      : writer_(std::move(writer)), readers_(path, cache_mib) {}

  // Runs one statement with bound text/int parameters inside a write transaction.
  template <typename Bind>
  Status write_one(std::string_view sql, Bind&& bind);
  Result<std::optional<Account>> account_by(std::string_view sql, std::string_view key, std::int64_t now);

  std::mutex write_mu_;  // guards writer_
  std::unique_ptr<Connection> writer_;
  ReaderPool readers_;
  // Process-local: bumped on every vote change (cache validation within this server).
  std::atomic<std::int64_t> vote_generation_{0};
};

}  // namespace paperboy::store::sqlite
