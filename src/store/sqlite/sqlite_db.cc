#include "store/sqlite/sqlite_db.h"

#include <string>

namespace paperboy::store::sqlite {

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind_optional(int index, std::string_view text) {
  return text.empty() ? bind_null(index) : bind(index, text);
}

Result<std::vector<std::string>> Statement::texts(int col) {
  std::vector<std::string> out;
  for (;;) {
    auto row = step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    out.emplace_back(text(col));
  }
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  std::string msg = std::string("sqlite: ") + sqlite3_errmsg(db);
  if (rc == SQLITE_FULL) return fail(Status::storage_full(msg + " (disk full?)"));
  if (rc == SQLITE_CONSTRAINT) return fail(Status::conflict(msg));
  return fail(Status::io_error(msg));
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) {
      sqlite3_reset(stmt_);
      return r.error();
    }
    if (!*r) {
      // Ready for the next bind/run cycle: binding a finished statement is misuse in SQLite.
      sqlite3_reset(stmt_);
      return Status::ok();
    }
  }
}

std::string_view Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, int cache_mib) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return fail(Status::io_error("cannot open database " + path + ": " + msg));
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 0);
  std::string pragmas =
      "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA "
      "temp_store=MEMORY; "
      "PRAGMA cache_size=-" +
      std::to_string(cache_mib * 1024) + ";";
  if (Status s = conn->exec(pragmas); !s.is_ok()) return fail(s.with_context("configuring " + path));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return Statement(it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return fail(Status::internal("sqlite prepare failed: " + last_error() + " in: " + key));
  cache_.emplace(std::move(key), stmt);
  return Statement(stmt);
}

Status Connection::exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : last_error();
    sqlite3_free(err);
    if (rc == SQLITE_FULL) return Status::storage_full("sqlite: " + msg + " (disk full?)");
    return Status::io_error("sqlite: " + msg);
  }
  return Status::ok();
}

std::string Connection::last_error() const {
  return sqlite3_errmsg(db_);
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  auto conn = Connection::open(path_, cache_mib_);
  if (!conn) return fail(conn.error());
  {
    std::lock_guard lock(mu_);
    ++open_;
  }
  return Lease(this, std::move(*conn));
}

PoolUse ReaderPool::use() {
  std::lock_guard lock(mu_);
  return {.open = open_, .in_use = open_ - static_cast<int>(idle_.size()), .max = 0};
}

void ReaderPool::release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
}

Result<Transaction> Transaction::begin(Connection& conn) {
  if (Status s = conn.exec("BEGIN IMMEDIATE"); !s.is_ok()) return fail(s);
  return Transaction(&conn);
}

Transaction::~Transaction() {
  if (conn_ != nullptr) (void)conn_->exec("ROLLBACK");
}

Status Transaction::commit() {
  Status s = conn_->exec("COMMIT");
  if (s.is_ok()) conn_ = nullptr;
  return s;
}

}  // namespace paperboy::store::sqlite
