#include "store/postgres/postgres_mail_store.h"

#include "store/mail_codec.h"
#include "store/postgres/pg_migrations.h"

namespace paperboy::store::postgres {
namespace {

#define SUBSCRIPTION_COLUMNS \
  "s.id, s.email, s.frequency, s.kind, s.categories, s.account_id, s.status, s.bounces, s.created_at, s.confirmed_at"
// Outbox columns followed by the subscription's: read_item() reads them in this order.
#define OUTBOX_COLUMNS                                                                                         \
  "o.id, o.subscription_id, o.issue_key, o.state, o.attempts, o.next_attempt_at, COALESCE(o.last_error, ''), " \
  "o.message_id, o.created_at, COALESCE(o.sent_at, 0), " SUBSCRIPTION_COLUMNS

// Reads SUBSCRIPTION_COLUMNS starting at column `at` (NULL integers read as 0).
Subscription read_subscription(const PgResult& res, int row, int at) {
  Subscription s;
  s.id = res.int64(row, at);
  s.email = res.text(row, at + 1);
  s.frequency = res.text(row, at + 2);
  s.kind = res.text(row, at + 3);
  s.categories = split_categories(res.text(row, at + 4));
  s.account_id = res.int64(row, at + 5);
  s.status = parse_subscription_status(res.text(row, at + 6));
  s.bounces = static_cast<int>(res.int64(row, at + 7));
  s.created_at = res.int64(row, at + 8);
  s.confirmed_at = res.int64(row, at + 9);
  return s;
}

OutboxItem read_item(const PgResult& res, int row) {
  OutboxItem item;
  item.id = res.int64(row, 0);
  item.subscription_id = res.int64(row, 1);
  item.issue_key = res.text(row, 2);
  item.state = parse_outbox_state(res.text(row, 3));
  item.attempts = static_cast<int>(res.int64(row, 4));
  item.next_attempt_at = res.int64(row, 5);
  item.last_error = res.text(row, 6);
  item.message_id = res.text(row, 7);
  item.created_at = res.int64(row, 8);
  item.sent_at = res.int64(row, 9);
  item.subscription = read_subscription(res, row, 10);
  return item;
}

Result<std::vector<OutboxItem>> read_items(const Result<PgResult>& res) {
  if (!res) return fail(res.error());
  std::vector<OutboxItem> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int r = 0; r < res->rows(); ++r) out.push_back(read_item(*res, r));
  return out;
}

Result<std::optional<Subscription>> one_subscription(const Result<PgResult>& res) {
  if (!res) return fail(res.error());
  if (res->rows() == 0) return std::optional<Subscription>();
  return std::optional<Subscription>(read_subscription(*res, 0, 0));
}

Params& account_param(Params& p, std::int64_t account_id) {
  return account_id > 0 ? p.int64(account_id) : p.null();
}

Status as_status(const Result<PgResult>& res) {
  return res ? Status::ok() : res.error();
}

}  // namespace

Result<std::unique_ptr<PostgresMailStore>> PostgresMailStore::open(const std::string& url, int pool_size) {
  std::unique_ptr<PostgresMailStore> store(new PostgresMailStore(url, pool_size));
  auto conn = store->pool_.acquire();
  if (!conn) return fail(conn.error());
  if (Status s = migrate(**conn, kMailComponent, mail_migrations()); !s.is_ok()) {
    return fail(s.with_context(redact_url(url)));
  }
  return store;
}

Result<PgResult> PostgresMailStore::query(std::string_view sql, const Params& params) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  return (*conn)->query(sql, params);
}

Result<std::optional<Subscription>> PostgresMailStore::subscription(std::int64_t id) {
  return one_subscription(
      query("SELECT " SUBSCRIPTION_COLUMNS " FROM mail_subscriptions s WHERE s.id = $1", Params().int64(id)));
}

Result<std::optional<Subscription>> PostgresMailStore::subscription_by_email(std::string_view email) {
  return one_subscription(query("SELECT " SUBSCRIPTION_COLUMNS " FROM mail_subscriptions s WHERE s.email = $1",
                                Params().text(lower_email(email))));
}

Result<SubscribeOutcome> PostgresMailStore::subscribe(const SubscriptionRequest& request, std::int64_t now,
                                                      std::int64_t resend_after_s) {
  const std::string email = lower_email(request.email);
  const std::string cats = join_categories(request.categories);
  SubscribeOutcome out;
  Status s = run_transaction(pool_, Isolation::kReadCommitted, [&](PgConnection& conn) -> Status {
    out = {};
    Params insert;
    insert.text(email).text(request.frequency).text(request.kind).text(cats);
    account_param(insert, request.account_id).int64(now);
    auto inserted = conn.query(
        "INSERT INTO mail_subscriptions(email, frequency, kind, categories, account_id, status, created_at, "
        "confirm_sent_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) ON CONFLICT (email) DO NOTHING RETURNING id",
        insert);
    if (!inserted) return inserted.error();
    std::int64_t id = 0;
    if (inserted->rows() > 0) {
      id = inserted->int64(0, 0);
      out.confirmation_queued = true;
    } else {
      // The address exists: lock its row so a concurrent request for it waits for this one.
      auto existing = conn.query("SELECT " SUBSCRIPTION_COLUMNS
                                 ", COALESCE(s.confirm_sent_at, 0) FROM mail_subscriptions s "
                                 "WHERE s.email = $1 FOR UPDATE",
                                 Params().text(email));
      if (!existing) return existing.error();
      if (existing->rows() == 0) return Status::conflict("subscription vanished while subscribing; retry");
      Subscription current = read_subscription(*existing, 0, 0);
      if (current.status == SubscriptionStatus::kConfirmed) {
        out.subscription = std::move(current);
        return Status::ok();  // nothing changes, nothing is queued
      }
      id = current.id;
      bool recently_sent =
          current.status == SubscriptionStatus::kPending && existing->int64(0, 10) > now - resend_after_s;
      Params update;
      update.int64(id).text(request.frequency).text(request.kind).text(cats);
      account_param(update, request.account_id).int64(recently_sent ? 1 : 0).int64(now);
      PB_RETURN_IF_ERROR(conn.run(
          "UPDATE mail_subscriptions SET frequency = $2, kind = $3, categories = $4, account_id = $5, "
          "status = 'pending', bounces = 0, confirm_sent_at = CASE WHEN $6::int = 1 THEN confirm_sent_at ELSE $7 END "
          "WHERE id = $1",
          update));
      out.confirmation_queued = !recently_sent;
    }
    if (out.confirmation_queued) {
      PB_RETURN_IF_ERROR(conn.run(
          "INSERT INTO mail_outbox(subscription_id, issue_key, state, next_attempt_at, message_id, created_at) "
          "VALUES ($1, $2, 'pending', $3, $4, $3) ON CONFLICT (subscription_id, issue_key) DO NOTHING",
          Params()
              .int64(id)
              .text("confirm:" + std::to_string(now))
              .int64(now)
              .text("confirm." + std::to_string(id) + "." + std::to_string(now))));
    }
    auto sub = one_subscription(
        conn.query("SELECT " SUBSCRIPTION_COLUMNS " FROM mail_subscriptions s WHERE s.id = $1", Params().int64(id)));
    if (!sub) return sub.error();
    if (!*sub) return Status::conflict("subscription vanished while subscribing; retry");
    out.subscription = std::move(**sub);
    return Status::ok();
  });
  if (!s.is_ok()) return fail(s);
  return out;
}

Result<bool> PostgresMailStore::confirm(std::int64_t id, std::int64_t now) {
  auto res = query(
      "UPDATE mail_subscriptions SET status = 'confirmed', confirmed_at = $2, bounces = 0 "
      "WHERE id = $1 AND status = 'pending'",
      Params().int64(id).int64(now));
  if (!res) return fail(res.error());
  return res->affected() > 0;
}

Result<std::vector<Subscription>> PostgresMailStore::confirmed_subscriptions(std::string_view frequency) {
  auto res = query("SELECT " SUBSCRIPTION_COLUMNS
                   " FROM mail_subscriptions s WHERE s.status = 'confirmed' AND ($1 = '' OR s.frequency = $1) "
                   "ORDER BY s.id",
                   Params().text(frequency));
  if (!res) return fail(res.error());
  std::vector<Subscription> out;
  for (int r = 0; r < res->rows(); ++r) out.push_back(read_subscription(*res, r, 0));
  return out;
}

Result<bool> PostgresMailStore::unsubscribe(std::int64_t id) {
  // One statement: the status change and the skipped rows commit together.
  auto res = query(
      "WITH changed AS (UPDATE mail_subscriptions SET status = 'unsubscribed' "
      "  WHERE id = $1 AND status <> 'unsubscribed' RETURNING id), "
      "skipped AS (UPDATE mail_outbox SET state = 'skipped', last_error = 'unsubscribed' "
      "  WHERE subscription_id = $1 AND state = 'pending' RETURNING id) "
      "SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM skipped)",
      Params().int64(id));
  if (!res) return fail(res.error());
  return res->int64(0, 0) > 0;
}

Result<int> PostgresMailStore::enqueue_issue(std::string_view frequency, std::string_view issue_key,
                                             std::string_view message_id_domain, std::int64_t now) {
  auto res = query(
      "INSERT INTO mail_outbox(subscription_id, issue_key, state, next_attempt_at, message_id, created_at) "
      "SELECT id, $1, 'pending', $2::bigint, replace($1, ':', '.') || '.' || id || '@' || $3, $2::bigint "
      "FROM mail_subscriptions WHERE status = 'confirmed' AND frequency = $4 "
      "ON CONFLICT (subscription_id, issue_key) DO NOTHING",
      Params().text(issue_key).int64(now).text(message_id_domain).text(frequency));
  if (!res) return fail(res.error());
  return static_cast<int>(res->affected());
}

Result<std::vector<OutboxItem>> PostgresMailStore::claim_due(std::int64_t now, int limit, int lease_s) {
  // See the header: SKIP LOCKED plus the re-checked WHERE make a claim exclusive across processes.
  return read_items(
      query("WITH due AS (SELECT id FROM mail_outbox "
            "  WHERE (state = 'pending' AND next_attempt_at <= $1) OR (state = 'sending' AND claimed_until <= $1) "
            "  ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED), "
            "o AS (UPDATE mail_outbox m SET state = 'sending', attempts = m.attempts + 1, claimed_until = $3 "
            "  FROM due WHERE m.id = due.id RETURNING m.*) "
            "SELECT " OUTBOX_COLUMNS " FROM o JOIN mail_subscriptions s ON s.id = o.subscription_id "
            "ORDER BY o.next_attempt_at, o.id",
            Params().int64(now).int64(limit).int64(now + lease_s)));
}

Status PostgresMailStore::mark_sent(std::int64_t id, std::int64_t now) {
  return as_status(
      query("WITH o AS (UPDATE mail_outbox SET state = 'sent', sent_at = $2, last_error = NULL WHERE id = $1 "
            "  RETURNING subscription_id) "
            "UPDATE mail_subscriptions SET bounces = 0 WHERE id IN (SELECT subscription_id FROM o)",
            Params().int64(id).int64(now)));
}

Status PostgresMailStore::mark_skipped(std::int64_t id, std::string_view reason) {
  return as_status(query("UPDATE mail_outbox SET state = 'skipped', last_error = $2 WHERE id = $1",
                         Params().int64(id).text(reason)));
}

Status PostgresMailStore::mark_retry(std::int64_t id, std::int64_t next_attempt_at, std::string_view error) {
  return as_status(
      query("UPDATE mail_outbox SET state = 'pending', next_attempt_at = $2, claimed_until = 0, last_error = $3 "
            "WHERE id = $1",
            Params().int64(id).int64(next_attempt_at).text(error)));
}

Status PostgresMailStore::mark_failed(std::int64_t id, std::string_view error, int pause_after) {
  return as_status(
      query("WITH o AS (UPDATE mail_outbox SET state = 'failed', last_error = $2, claimed_until = 0 WHERE id = $1 "
            "  RETURNING subscription_id) "
            "UPDATE mail_subscriptions SET bounces = bounces + 1, "
            "  status = CASE WHEN bounces + 1 >= $3 AND status = 'confirmed' THEN 'paused' ELSE status END "
            "WHERE id IN (SELECT subscription_id FROM o)",
            Params().int64(id).text(error).int64(pause_after)));
}

Result<std::vector<OutboxItem>> PostgresMailStore::outbox(std::int64_t subscription_id) {
  return read_items(query("SELECT " OUTBOX_COLUMNS
                          " FROM mail_outbox o JOIN mail_subscriptions s ON s.id = o.subscription_id "
                          "WHERE o.subscription_id = $1 ORDER BY o.id",
                          Params().int64(subscription_id)));
}

Result<OutboxCounts> PostgresMailStore::outbox_counts() {
  auto res = query("SELECT state, count(*) FROM mail_outbox GROUP BY state", {});
  if (!res) return fail(res.error());
  OutboxCounts c;
  for (int r = 0; r < res->rows(); ++r) {
    std::int64_t n = res->int64(r, 1);
    switch (parse_outbox_state(res->text(r, 0))) {
      case OutboxState::kPending: c.pending = n; break;
      case OutboxState::kSending: c.sending = n; break;
      case OutboxState::kSent: c.sent = n; break;
      case OutboxState::kFailed: c.failed = n; break;
      case OutboxState::kSkipped: c.skipped = n; break;
    }
  }
  return c;
}

Result<std::int64_t> PostgresMailStore::next_due_at() {
  auto res = query(
      "SELECT MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE claimed_until END) FROM mail_outbox "
      "WHERE state IN ('pending', 'sending')",
      {});
  if (!res) return fail(res.error());
  return res->int64(0, 0);  // NULL (nothing due) reads as 0
}

}  // namespace paperboy::store::postgres
