// Thin RAII layer over libpq used by the PostgreSQL store (and, later, by the community and mail
// tables on PostgreSQL): a connection that prepares each distinct SQL text once under a generated
// name, out-of-line text parameters ($1, $2, ...), a result, a transaction with an isolation level,
// a retry loop for serialization failures, advisory-lock helpers and a connection pool.
// Written by hand because Debian ships only the C API (libpq); it stays small on purpose.
// A PgConnection is used by one thread at a time (the pool guarantees that); PgPool is thread-safe.
#pragma once

#include <libpq-fe.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store::postgres {

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db", for error messages.
std::string redact_url(std::string_view url);

// An array value in PostgreSQL's text form ({"a","b\\"c"}), every element quoted and escaped,
// to bind as ONE parameter of type text[] or bigint[] (`= ANY($1::text[])`): a batch look-up in one
// round trip without building SQL from values.
std::string array_literal(const std::vector<std::string>& elements);

// Parameters of one statement, sent out of line in text format (never spliced into the SQL), so
// any byte sequence a text column accepts travels unchanged. Values are copied.
class Params {
 public:
  Params& text(std::string_view value);
  Params& int64(std::int64_t value);
  Params& null();
  // NULL for an empty string: optional metadata is stored as NULL.
  Params& optional_text(std::string_view value);
  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }

 private:
  friend class PgConnection;
  std::vector<std::optional<std::string>> values_;
};

// The rows of one statement's result (text format).
class PgResult {
 public:
  explicit PgResult(PGresult* res) : res_(res, &PQclear) {}
  [[nodiscard]] int rows() const { return PQntuples(res_.get()); }
  [[nodiscard]] bool is_null(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
  // NULL reads as "".
  [[nodiscard]] std::string_view text(int row, int col) const {
    return {PQgetvalue(res_.get(), row, col), static_cast<size_t>(PQgetlength(res_.get(), row, col))};
  }
  [[nodiscard]] std::int64_t int64(int row, int col) const;  // NULL or non-numeric reads as 0
  // Rows changed by INSERT/UPDATE/DELETE.
  [[nodiscard]] std::int64_t affected() const;
  [[nodiscard]] PGresult* raw() const { return res_.get(); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> res_;
};

class PgConnection {
 public:
  // `url`: a libpq connection URI (postgresql://USER@HOST:PORT/DB) or key=value string.
  static Result<std::unique_ptr<PgConnection>> connect(const std::string& url);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Runs `sql` as a prepared statement: prepared once per connection under a generated name, then
  // executed with `params` bound to $1, $2, ... Errors carry the SQLSTATE-derived code (below).
  Result<PgResult> query(std::string_view sql, const Params& params = {});
  // Like query(), for statements whose rows nobody reads.
  Status run(std::string_view sql, const Params& params = {});
  // Runs SQL text without parameters (schema scripts, BEGIN/COMMIT); may hold several statements.
  Status exec(std::string_view sql);

  // Whether the server connection is healthy and outside any transaction (safe to reuse).
  [[nodiscard]] bool is_reusable() const;
  [[nodiscard]] PGconn* raw() const { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Status error_status(PGresult* res, std::string_view what) const;

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// SQLSTATE classes map onto StatusCode as follows, so callers can react without parsing text:
//   40001 serialization_failure, 40P01 deadlock_detected -> kConflict (retry the transaction)
//   23505 unique_violation -> kAlreadyExists; 08xxx connection errors -> kUnavailable
//   everything else -> kIoError. The SQLSTATE itself is in the message: "[40001] ...".

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

// BEGIN ... COMMIT on one connection, rolled back when destroyed uncommitted.
class PgTransaction {
 public:
  static Result<PgTransaction> begin(PgConnection& conn, Isolation isolation = Isolation::kReadCommitted);
  PgTransaction(PgTransaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  PgTransaction& operator=(PgTransaction&&) = delete;
  PgTransaction(const PgTransaction&) = delete;
  ~PgTransaction();
  Status commit();

 private:
  explicit PgTransaction(PgConnection* conn) : conn_(conn) {}
  PgConnection* conn_;
};

// Advisory-lock keys (one namespace for every part using PostgreSQL, so keys never collide).
// Transaction-level keys serialise a kind of write across all instances; session-level keys elect
// the one instance that runs a scheduled job.
namespace lock_keys {
inline constexpr std::int64_t kMigrations = 0x7062'0001;    // schema migrations (any component)
inline constexpr std::int64_t kPaperWrites = 0x7062'0002;   // writes that take change_seq values
inline constexpr std::int64_t kHarvestJob = 0x7062'0101;    // session-level: the scheduled harvest
inline constexpr std::int64_t kDigestJob = 0x7062'0102;     // session-level: the digest schedule
inline constexpr std::int64_t kThumbnailJob = 0x7062'0103;  // session-level: the thumbnail job
}  // namespace lock_keys

// pg_advisory_xact_lock: blocks until this transaction holds `key`; released at commit/rollback.
Status lock_for_transaction(PgConnection& conn, std::int64_t key);

// Connections to one database, opened on demand (up to max_size; acquire() waits beyond that) and
// reused. A connection that broke or was left inside a transaction is dropped, not reused.
// Thread-safe; the pool must outlive its leases.
class PgPool {
 public:
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (conn_) pool_->release(std::move(conn_));
    }
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  PgPool(std::string url, int max_size) : url_(std::move(url)), max_size_(max_size) {}
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  Result<Lease> acquire();
  [[nodiscard]] const std::string& url() const { return url_; }
  // Connections open (lent out or idle) and lent out now, and the most it opens.
  [[nodiscard]] PoolUse use();

 private:
  void release(std::unique_ptr<PgConnection> conn);

  std::string url_;
  int max_size_;
  std::mutex mu_;  // guards idle_ and open_
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // connections handed out or idle
};

// Runs `body` in a transaction of `isolation` on a pooled connection and commits; when the body or
// the commit fails with kConflict (serialization failure, deadlock) the whole transaction is
// retried, up to `max_attempts` times. The body must be safe to run again (no side effects outside
// the database). For votes, the digest outbox and other read-modify-write paths.
Status run_transaction(PgPool& pool, Isolation isolation, const std::function<Status(PgConnection&)>& body,
                       int max_attempts = 5);

// A session-level advisory lock held on its own connection for as long as this object lives (or
// until that connection dies, when PostgreSQL releases it): the "exactly one instance runs this
// job" primitive. Thread-compatible.
class SessionLock {
 public:
  // Tries once (pg_try_advisory_lock); nullopt when another session holds it.
  static Result<std::optional<SessionLock>> try_acquire(const std::string& url, std::int64_t key);
  SessionLock(SessionLock&&) noexcept = default;
  SessionLock& operator=(SessionLock&&) noexcept = default;
  ~SessionLock();

  // Whether the lock's connection still works (one round trip). The lock lives exactly as long as
  // that session: when this fails the server has released it, or will as soon as it notices.
  Status check();

 private:
  SessionLock(std::unique_ptr<PgConnection> conn, std::int64_t key) : conn_(std::move(conn)), key_(key) {}
  std::unique_ptr<PgConnection> conn_;
  std::int64_t key_ = 0;
};

}  // namespace paperboy::store::postgres
