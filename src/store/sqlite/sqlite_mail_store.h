// SqliteMailStore: the MailStore in the SQLite database file the Store uses (tables
// mail_subscriptions and mail_outbox, migration 3). Its own writer connection; writes are
// serialised by a mutex in-process and by SQLite's IMMEDIATE transactions between processes, so
// `paperboy serve` and `paperboy digest send` may share a database. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/mail_store.h"
#include "store/sqlite/sqlite_db.h"

namespace paperboy::store::sqlite {

class SqliteMailStore final : public MailStore {
 public:
  static Result<std::unique_ptr<SqliteMailStore>> open(const std::string& path, int cache_mib);

  Result<SubscribeOutcome> subscribe(const SubscriptionRequest& request, std::int64_t now,
                                     std::int64_t resend_after_s) override;
  Result<std::optional<Subscription>> subscription(std::int64_t id) override;
  Result<std::optional<Subscription>> subscription_by_email(std::string_view email) override;
  Result<bool> confirm(std::int64_t id, std::int64_t now) override;
  Result<bool> unsubscribe(std::int64_t id) override;
  Result<std::vector<Subscription>> confirmed_subscriptions(std::string_view frequency) override;
  Result<int> enqueue_issue(std::string_view frequency, std::string_view issue_key, std::string_view message_id_domain,
                            std::int64_t now) override;
  Result<std::vector<OutboxItem>> claim_due(std::int64_t now, int limit, int lease_s) override;
  Status mark_sent(std::int64_t id, std::int64_t now) override;
  Status mark_skipped(std::int64_t id, std::string_view reason) override;
  Status mark_retry(std::int64_t id, std::int64_t next_attempt_at, std::string_view error) override;
  Status mark_failed(std::int64_t id, std::string_view error, int pause_after) override;
  Result<std::vector<OutboxItem>> outbox(std::int64_t subscription_id) override;
  Result<OutboxCounts> outbox_counts() override;
  Result<std::int64_t> next_due_at() override;

 private:
  explicit SqliteMailStore(std::unique_ptr<Connection> db) : db_(std::move(db)) {}
  Result<std::optional<Subscription>> find(std::string_view where, std::string_view key, std::int64_t id);
  Result<std::vector<OutboxItem>> select_outbox(std::string_view where, std::int64_t a, std::int64_t b);
  Status exec_update(std::string_view sql, std::int64_t id, std::int64_t i2, std::string_view text);

  std::mutex mu_;  // guards db_ (one connection for reads and writes: mail traffic is small)
  std::unique_ptr<Connection> db_;
};

}  // namespace paperboy::store::sqlite
