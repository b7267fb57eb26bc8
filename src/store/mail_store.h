// MailStore: persistence for e-mail digests: subscriptions (double opt-in, status, bounces) and the
// outbox (one row per subscription and digest issue, so a digest is composed and sent at most
// once per issue even across restarts). Backend-neutral; implementations in
// store/sqlite/sqlite_mail_store.h (same database file as the Store) and
// store/postgres/postgres_mail_store.h.
// Implementations are thread-safe and safe to share one database between processes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

enum class SubscriptionStatus { kPending, kConfirmed, kUnsubscribed, kPaused };
[[nodiscard]] std::string_view subscription_status_name(SubscriptionStatus status);

struct Subscription {
  std::int64_t id = 0;
  std::string email;                    // lower-cased
  std::string frequency;                // "daily" | "weekly"
  std::string kind;                     // "trending" | "categories" | "personal"
  std::vector<std::string> categories;  // for kind "categories"
  std::int64_t account_id = 0;          // 0: no account (kind "personal" needs one)
  SubscriptionStatus status = SubscriptionStatus::kPending;
  int bounces = 0;  // permanent delivery failures in a row
  std::int64_t created_at = 0;
  std::int64_t confirmed_at = 0;  // 0: never
};

struct SubscriptionRequest {
  std::string email, frequency, kind;
  std::vector<std::string> categories;
  std::int64_t account_id = 0;
};

struct SubscribeOutcome {
  Subscription subscription;
  // True when a confirmation mail was queued (the outbox row `confirm_issue_key`).
  bool confirmation_queued = false;
};

enum class OutboxState { kPending, kSending, kSent, kFailed, kSkipped };
[[nodiscard]] std::string_view outbox_state_name(OutboxState state);

// One mail to send: a confirmation ("confirm:<unix>") or a digest issue ("daily:2026-11-28",
// "weekly:2026-W48") for one subscription.
struct OutboxItem {
  std::int64_t id = 0;
  std::int64_t subscription_id = 0;
  std::string issue_key;
  OutboxState state = OutboxState::kPending;
  int attempts = 0;  // SMTP transactions started, this one included once claimed
  std::int64_t next_attempt_at = 0;
  std::string last_error;
  std::string message_id;  // fixed when the row is created: a resend carries the same id
  std::int64_t created_at = 0;
  std::int64_t sent_at = 0;
  Subscription subscription;  // filled by claim_due() and outbox()
};

struct OutboxCounts {
  std::int64_t pending = 0, sending = 0, sent = 0, failed = 0, skipped = 0;
};

class MailStore {
 public:
  virtual ~MailStore() = default;

  // Double opt-in, atomically with the outbox. New or unsubscribed/paused address: stored as
  // pending with these preferences and a confirmation queued. Pending: preferences updated, a new
  // confirmation queued unless one was queued within `resend_after_s`. Confirmed: nothing changes
  // and nothing is queued (no spam, and nobody can change someone else's preferences).
  virtual Result<SubscribeOutcome> subscribe(const SubscriptionRequest& request, std::int64_t now,
                                             std::int64_t resend_after_s) = 0;
  virtual Result<std::optional<Subscription>> subscription(std::int64_t id) = 0;
  virtual Result<std::optional<Subscription>> subscription_by_email(std::string_view email) = 0;
  // pending -> confirmed; true when it changed (false: already confirmed, or not pending).
  virtual Result<bool> confirm(std::int64_t id, std::int64_t now) = 0;
  // Confirmed subscriptions of `frequency` ("" = all), by id.
  virtual Result<std::vector<Subscription>> confirmed_subscriptions(std::string_view frequency) = 0;
  // Any status -> unsubscribed, pending outbox rows skipped; true when it changed.
  virtual Result<bool> unsubscribe(std::int64_t id) = 0;

  // Queues issue `issue_key` for every confirmed subscription of `frequency` that has no row for
  // it yet; returns how many rows were added. Message-IDs are "<issue.row@domain>".
  virtual Result<int> enqueue_issue(std::string_view frequency, std::string_view issue_key,
                                    std::string_view message_id_domain, std::int64_t now) = 0;
  // Claims up to `limit` rows that are due: pending with next_attempt_at <= now, or sending with an
  // expired claim (a sender died mid-transaction). Claimed rows become `sending` until now+lease_s.
  virtual Result<std::vector<OutboxItem>> claim_due(std::int64_t now, int limit, int lease_s) = 0;
  virtual Status mark_sent(std::int64_t id, std::int64_t now) = 0;
  virtual Status mark_skipped(std::int64_t id, std::string_view reason) = 0;
  virtual Status mark_retry(std::int64_t id, std::int64_t next_attempt_at, std::string_view error) = 0;
  // Permanent failure: the row is failed for good, the subscription's bounce count grows and the
  // subscription is paused once it reaches `pause_after`. A successful send resets the count.
  virtual Status mark_failed(std::int64_t id, std::string_view error, int pause_after) = 0;

  virtual Result<std::vector<OutboxItem>> outbox(std::int64_t subscription_id) = 0;
  virtual Result<OutboxCounts> outbox_counts() = 0;
  // The earliest next_attempt_at of pending rows (0: none); the sender sleeps until then.
  virtual Result<std::int64_t> next_due_at() = 0;
};

}  // namespace paperboy::store
