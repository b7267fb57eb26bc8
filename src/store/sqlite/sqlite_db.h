// Thin RAII layer over the SQLite C API used by the SQLite store: a connection that owns its
// prepared statements, and a statement cursor with typed bind/column helpers. Written here because
// the C API is all Debian ships; it stays small on purpose. A Connection is used by one thread at
// a time (the store's pool guarantees that).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();  // resets, so a cached statement is ready for reuse

  // Binding is 1-based, as in SQLite. Text is bound without copying: it must outlive step().
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  // Binds NULL for an empty string: optional metadata is stored as NULL.
  Statement& bind_optional(int index, std::string_view text);

  // Returns true while a row is available, false when done; errors as Status.
  Result<bool> step();
  // Makes the statement ready to be bound and stepped again.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // Runs to completion, ignoring rows.
  Status run();
  // Runs to completion, collecting column `col` of every row as text.
  Result<std::vector<std::string>> texts(int col);

  [[nodiscard]] std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  [[nodiscard]] double real(int col) const { return sqlite3_column_double(stmt_, col); }
  [[nodiscard]] std::string_view text(int col) const;
  [[nodiscard]] bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& path, int cache_mib);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A cached prepared statement for `sql` (prepared once per connection).
  Result<Statement> prepare(std::string_view sql);
  // Runs SQL text without parameters (schema, PRAGMA, BEGIN/COMMIT).
  Status exec(std::string_view sql);
  [[nodiscard]] std::string last_error() const;
  [[nodiscard]] sqlite3* raw() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Read connections to one database file, opened on demand and reused. A Lease hands its
// connection back when it dies. Used by every SQLite-backed reader (the store, the lexical index).
// Thread-safe; the pool must outlive its leases.
class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (conn_) pool_->release(std::move(conn_));
    }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  ReaderPool(std::string path, int cache_mib) : path_(std::move(path)), cache_mib_(cache_mib) {}
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  Result<Lease> acquire();
  // Connections opened and lent out now (no upper limit).
  [[nodiscard]] PoolUse use();

 private:
  void release(std::unique_ptr<Connection> conn);

  std::string path_;
  int cache_mib_;
  std::mutex mu_;  // guards idle_ and open_
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

// Runs the body inside BEGIN IMMEDIATE ... COMMIT, rolling back on any failure.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

}  // namespace paperboy::store::sqlite
