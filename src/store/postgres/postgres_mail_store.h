// PostgresMailStore: the MailStore on the shared PostgreSQL database (migration component "mail"),
// so several `paperboy serve` instances and `paperboy digest send` runs share one outbox.
//
// Isolation. Every operation is one statement or one READ COMMITTED transaction. enqueue_issue
// inserts with ON CONFLICT DO NOTHING on UNIQUE(subscription, issue): two instances queueing the
// same issue add each row once. claim_due picks due rows with FOR UPDATE SKIP LOCKED and marks
// them `sending` in the same statement: a row locked by another claimer is skipped, and a row
// another claimer has already committed fails the re-checked condition, so no row is claimed by
// two senders (until its claim expires, as the MailStore contract says). subscribe() inserts the
// address with ON CONFLICT DO NOTHING, else locks the existing row, so concurrent requests for one
// address queue at most one confirmation. Thread-safe; safe across processes.
#pragma once

#include <memory>
#include <string>

#include "store/mail_store.h"
#include "store/postgres/pg_db.h"

namespace paperboy::store::postgres {

class PostgresMailStore final : public MailStore {
 public:
  // Connects, applies the "mail" migrations (refusing a newer schema) and returns the store.
  static Result<std::unique_ptr<PostgresMailStore>> open(const std::string& url, int pool_size = 4);

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
  PostgresMailStore(const std::string& url, int pool_size) : pool_(url, pool_size) {}
  Result<PgResult> query(std::string_view sql, const Params& params);

  PgPool pool_;
};

}  // namespace paperboy::store::postgres
