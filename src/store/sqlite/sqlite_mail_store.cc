#include "store/sqlite/sqlite_mail_store.h"

#include "store/mail_codec.h"
#include "store/sqlite/migrations.h"

namespace paperboy::store {

namespace sqlite {
namespace {

// A failed Status that converts to Status or to any Result<T>, so one early-return macro serves
// every function here.
struct Failure {
  Status status;
  operator Status() const { return status; }  // NOLINT(google-explicit-constructor)
  template <typename T>
  operator Result<T>() const {  // NOLINT(google-explicit-constructor)
    return fail(status);
  }
};

#define MAIL_RETURN_IF_ERROR(expr)                           \
  do {                                                       \
    ::paperboy::Status mail_status_ = (expr);                \
    if (!mail_status_.is_ok()) return Failure{mail_status_}; \
  } while (0)

constexpr std::string_view kSubscriptionColumns =
    "s.id, s.email, s.frequency, s.kind, s.categories, s.account_id, s.status, s.bounces, s.created_at, "
    "s.confirmed_at";

// Reads kSubscriptionColumns starting at column `at`.
Subscription read_subscription(const Statement& st, int at) {
  Subscription s;
  s.id = st.int64(at);
  s.email = st.text(at + 1);
  s.frequency = st.text(at + 2);
  s.kind = st.text(at + 3);
  s.categories = split_categories(st.text(at + 4));
  s.account_id = st.is_null(at + 5) ? 0 : st.int64(at + 5);
  s.status = parse_subscription_status(st.text(at + 6));
  s.bounces = static_cast<int>(st.int64(at + 7));
  s.created_at = st.int64(at + 8);
  s.confirmed_at = st.is_null(at + 9) ? 0 : st.int64(at + 9);
  return s;
}

}  // namespace

Result<std::unique_ptr<SqliteMailStore>> SqliteMailStore::open(const std::string& path, int cache_mib) {
  auto db = Connection::open(path, std::max(8, cache_mib / 4));
  if (!db) return fail(db.error());
  if (Status s = migrate(**db); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<SqliteMailStore>(new SqliteMailStore(std::move(*db)));
}

Result<std::optional<Subscription>> SqliteMailStore::find(std::string_view where, std::string_view key,
                                                          std::int64_t id) {
  auto st = db_->prepare("SELECT " + std::string(kSubscriptionColumns) + " FROM mail_subscriptions s WHERE " +
                         std::string(where));
  if (!st) return fail(st.error());
  if (key.empty()) {
    st->bind(1, id);
  } else {
    st->bind(1, key);
  }
  auto row = st->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Subscription>();
  return std::optional<Subscription>(read_subscription(*st, 0));
}

Result<std::optional<Subscription>> SqliteMailStore::subscription(std::int64_t id) {
  std::lock_guard lock(mu_);
  return find("s.id = ?", "", id);
}

Result<std::optional<Subscription>> SqliteMailStore::subscription_by_email(std::string_view email) {
  std::lock_guard lock(mu_);
  std::string key = lower_email(email);
  return find("s.email = ?", key, 0);
}

Result<SubscribeOutcome> SqliteMailStore::subscribe(const SubscriptionRequest& request, std::int64_t now,
                                                    std::int64_t resend_after_s) {
  std::lock_guard lock(mu_);
  auto tx = Transaction::begin(*db_);
  if (!tx) return fail(tx.error());
  std::string email = lower_email(request.email);
  auto existing = find("s.email = ?", email, 0);
  if (!existing) return fail(existing.error());
  std::string cats = join_categories(request.categories);
  SubscribeOutcome out;
  std::int64_t id = 0;
  if (*existing && (*existing)->status == SubscriptionStatus::kConfirmed) {
    out.subscription = **existing;
    return out;  // nothing to commit
  }
  if (*existing) {
    id = (*existing)->id;
    auto last = db_->prepare("SELECT COALESCE(confirm_sent_at, 0), status FROM mail_subscriptions WHERE id = ?");
    if (!last) return fail(last.error());
    last->bind(1, id);
    if (auto r = last->step(); !r) return fail(r.error());
    bool was_pending = last->text(1) == "pending";
    bool recently_sent = was_pending && last->int64(0) > now - resend_after_s;
    last->reset();
    auto up = db_->prepare(
        "UPDATE mail_subscriptions SET frequency = ?, kind = ?, categories = ?, account_id = ?, status = 'pending', "
        "bounces = 0, confirm_sent_at = CASE WHEN ? THEN confirm_sent_at ELSE ? END WHERE id = ?");
    if (!up) return fail(up.error());
    up->bind(1, request.frequency).bind(2, request.kind).bind(3, cats);
    if (request.account_id > 0) {
      up->bind(4, request.account_id);
    } else {
      up->bind_null(4);
    }
    up->bind(5, recently_sent ? 1 : 0).bind(6, now).bind(7, id);
    MAIL_RETURN_IF_ERROR(up->run());
    out.confirmation_queued = !recently_sent;
  } else {
    auto ins = db_->prepare(
        "INSERT INTO mail_subscriptions(email, frequency, kind, categories, account_id, status, created_at, "
        "confirm_sent_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)");
    if (!ins) return fail(ins.error());
    ins->bind(1, email).bind(2, request.frequency).bind(3, request.kind).bind(4, cats);
    if (request.account_id > 0) {
      ins->bind(5, request.account_id);
    } else {
      ins->bind_null(5);
    }
    ins->bind(6, now).bind(7, now);
    MAIL_RETURN_IF_ERROR(ins->run());
    id = sqlite3_last_insert_rowid(db_->raw());
    out.confirmation_queued = true;
  }
  if (out.confirmation_queued) {
    auto q = db_->prepare(
        "INSERT OR IGNORE INTO mail_outbox(subscription_id, issue_key, state, next_attempt_at, message_id, created_at) "
        "VALUES (?, ?, 'pending', ?, ?, ?)");
    if (!q) return fail(q.error());
    std::string key = "confirm:" + std::to_string(now);
    std::string mid = "confirm." + std::to_string(id) + "." + std::to_string(now);
    q->bind(1, id).bind(2, key).bind(3, now).bind(4, mid).bind(5, now);
    MAIL_RETURN_IF_ERROR(q->run());
  }
  auto sub = find("s.id = ?", "", id);
  if (!sub) return fail(sub.error());
  out.subscription = **sub;
  MAIL_RETURN_IF_ERROR(tx->commit());
  return out;
}

Result<bool> SqliteMailStore::confirm(std::int64_t id, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "UPDATE mail_subscriptions SET status = 'confirmed', confirmed_at = ?, bounces = 0 "
      "WHERE id = ? AND status = 'pending'");
  if (!st) return fail(st.error());
  st->bind(1, now).bind(2, id);
  MAIL_RETURN_IF_ERROR(st->run());
  return sqlite3_changes(db_->raw()) > 0;
}

Result<std::vector<Subscription>> SqliteMailStore::confirmed_subscriptions(std::string_view frequency) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT " + std::string(kSubscriptionColumns) +
                         " FROM mail_subscriptions s WHERE s.status = 'confirmed' AND (?1 = '' OR s.frequency = ?1) "
                         "ORDER BY s.id");
  if (!st) return fail(st.error());
  st->bind(1, frequency);
  std::vector<Subscription> out;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(read_subscription(*st, 0));
  }
  return out;
}

Result<bool> SqliteMailStore::unsubscribe(std::int64_t id) {
  std::lock_guard lock(mu_);
  auto tx = Transaction::begin(*db_);
  if (!tx) return fail(tx.error());
  auto st =
      db_->prepare("UPDATE mail_subscriptions SET status = 'unsubscribed' WHERE id = ? AND status != 'unsubscribed'");
  if (!st) return fail(st.error());
  st->bind(1, id);
  MAIL_RETURN_IF_ERROR(st->run());
  bool changed = sqlite3_changes(db_->raw()) > 0;
  st->reset();
  auto skip = db_->prepare(
      "UPDATE mail_outbox SET state = 'skipped', last_error = 'unsubscribed' WHERE subscription_id = ? AND state = "
      "'pending'");
  if (!skip) return fail(skip.error());
  skip->bind(1, id);
  MAIL_RETURN_IF_ERROR(skip->run());
  MAIL_RETURN_IF_ERROR(tx->commit());
  return changed;
}

Result<int> SqliteMailStore::enqueue_issue(std::string_view frequency, std::string_view issue_key,
                                           std::string_view message_id_domain, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "INSERT OR IGNORE INTO mail_outbox(subscription_id, issue_key, state, next_attempt_at, message_id, created_at) "
      "SELECT id, ?1, 'pending', ?2, replace(?1, ':', '.') || '.' || id || '@' || ?3, ?2 "
      "FROM mail_subscriptions WHERE status = 'confirmed' AND frequency = ?4");
  if (!st) return fail(st.error());
  st->bind(1, issue_key).bind(2, now).bind(3, message_id_domain).bind(4, frequency);
  MAIL_RETURN_IF_ERROR(st->run());
  return sqlite3_changes(db_->raw());
}

Result<std::vector<OutboxItem>> SqliteMailStore::select_outbox(std::string_view where, std::int64_t a, std::int64_t b) {
  auto st = db_->prepare(
      "SELECT o.id, o.subscription_id, o.issue_key, o.state, o.attempts, o.next_attempt_at, COALESCE(o.last_error, "
      "''), "
      "o.message_id, o.created_at, COALESCE(o.sent_at, 0), " +
      std::string(kSubscriptionColumns) +
      " FROM mail_outbox o JOIN mail_subscriptions s ON s.id = o.subscription_id WHERE " + std::string(where) +
      " ORDER BY o.id");
  if (!st) return fail(st.error());
  st->bind(1, a).bind(2, b);
  std::vector<OutboxItem> out;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    OutboxItem item;
    item.id = st->int64(0);
    item.subscription_id = st->int64(1);
    item.issue_key = st->text(2);
    item.state = parse_outbox_state(st->text(3));
    item.attempts = static_cast<int>(st->int64(4));
    item.next_attempt_at = st->int64(5);
    item.last_error = st->text(6);
    item.message_id = st->text(7);
    item.created_at = st->int64(8);
    item.sent_at = st->int64(9);
    item.subscription = read_subscription(*st, 10);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<OutboxItem>> SqliteMailStore::claim_due(std::int64_t now, int limit, int lease_s) {
  std::lock_guard lock(mu_);
  auto tx = Transaction::begin(*db_);
  if (!tx) return fail(tx.error());
  auto ids = db_->prepare(
      "SELECT id FROM mail_outbox WHERE (state = 'pending' AND next_attempt_at <= ?1) "
      "OR (state = 'sending' AND claimed_until <= ?1) ORDER BY next_attempt_at, id LIMIT ?2");
  if (!ids) return fail(ids.error());
  ids->bind(1, now).bind(2, limit);
  std::vector<std::int64_t> claimed;
  while (true) {
    auto row = ids->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    claimed.push_back(ids->int64(0));
  }
  ids->reset();
  std::vector<OutboxItem> out;
  for (std::int64_t id : claimed) {
    auto up = db_->prepare(
        "UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, claimed_until = ? WHERE id = ?");
    if (!up) return fail(up.error());
    up->bind(1, now + lease_s).bind(2, id);
    MAIL_RETURN_IF_ERROR(up->run());
    auto rows = select_outbox("o.id = ?1 AND ?2 = ?2", id, 0);
    if (!rows) return fail(rows.error());
    for (auto& r : *rows) out.push_back(std::move(r));
  }
  MAIL_RETURN_IF_ERROR(tx->commit());
  return out;
}

Status SqliteMailStore::exec_update(std::string_view sql, std::int64_t id, std::int64_t i2, std::string_view text) {
  auto st = db_->prepare(sql);
  if (!st) return st.error();
  st->bind(1, id).bind(2, i2).bind(3, text);
  return st->run();
}

Status SqliteMailStore::mark_sent(std::int64_t id, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto tx = Transaction::begin(*db_);
  if (!tx) return tx.error();
  MAIL_RETURN_IF_ERROR(exec_update(
      "UPDATE mail_outbox SET state = 'sent', sent_at = ?2, last_error = NULLIF(?3, '') WHERE id = ?1", id, now, ""));
  MAIL_RETURN_IF_ERROR(exec_update(
      "UPDATE mail_subscriptions SET bounces = 0 WHERE id = (SELECT subscription_id FROM mail_outbox WHERE id = ?1) "
      "AND ?2 = ?2 AND ?3 = ?3",
      id, 0, ""));
  return tx->commit();
}

Status SqliteMailStore::mark_skipped(std::int64_t id, std::string_view reason) {
  std::lock_guard lock(mu_);
  return exec_update("UPDATE mail_outbox SET state = 'skipped', last_error = ?3 WHERE id = ?1 AND ?2 = ?2", id, 0,
                     reason);
}

Status SqliteMailStore::mark_retry(std::int64_t id, std::int64_t next_attempt_at, std::string_view error) {
  std::lock_guard lock(mu_);
  return exec_update(
      "UPDATE mail_outbox SET state = 'pending', next_attempt_at = ?2, claimed_until = 0, last_error = ?3 WHERE id = "
      "?1",
      id, next_attempt_at, error);
}

Status SqliteMailStore::mark_failed(std::int64_t id, std::string_view error, int pause_after) {
  std::lock_guard lock(mu_);
  auto tx = Transaction::begin(*db_);
  if (!tx) return tx.error();
  MAIL_RETURN_IF_ERROR(exec_update(
      "UPDATE mail_outbox SET state = 'failed', last_error = ?3, claimed_until = 0 WHERE id = ?1 AND ?2 = ?2", id, 0,
      error));
  MAIL_RETURN_IF_ERROR(
      exec_update("UPDATE mail_subscriptions SET bounces = bounces + 1, "
                  "status = CASE WHEN bounces + 1 >= ?2 AND status = 'confirmed' THEN 'paused' ELSE status END "
                  "WHERE id = (SELECT subscription_id FROM mail_outbox WHERE id = ?1) AND ?3 = ?3",
                  id, pause_after, ""));
  return tx->commit();
}

Result<std::vector<OutboxItem>> SqliteMailStore::outbox(std::int64_t subscription_id) {
  std::lock_guard lock(mu_);
  return select_outbox("o.subscription_id = ?1 AND ?2 = ?2", subscription_id, 0);
}

Result<OutboxCounts> SqliteMailStore::outbox_counts() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT state, COUNT(*) FROM mail_outbox GROUP BY state");
  if (!st) return fail(st.error());
  OutboxCounts c;
  while (true) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    std::int64_t n = st->int64(1);
    switch (parse_outbox_state(st->text(0))) {
      case OutboxState::kPending: c.pending = n; break;
      case OutboxState::kSending: c.sending = n; break;
      case OutboxState::kSent: c.sent = n; break;
      case OutboxState::kFailed: c.failed = n; break;
      case OutboxState::kSkipped: c.skipped = n; break;
    }
  }
  return c;
}

Result<std::int64_t> SqliteMailStore::next_due_at() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE claimed_until END) FROM mail_outbox "
      "WHERE state IN ('pending', 'sending')");
  if (!st) return fail(st.error());
  auto row = st->step();
  if (!row) return fail(row.error());
  return st->is_null(0) ? 0 : st->int64(0);
}

}  // namespace sqlite
}  // namespace paperboy::store
