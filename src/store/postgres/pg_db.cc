#include "store/postgres/pg_db.h"

#include <charconv>

namespace paperboy::store::postgres {
namespace {

// libpq prints NOTICEs ("relation already exists, skipping") to stderr by default; they are not
// errors and would clutter every command's output.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

std::string trimmed(const char* message) {
  std::string m = message != nullptr ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// A server restart or idle timeout closes connections while they sit in the pool. PQconsumeInput
// reads what is pending without blocking: the first call takes the server's goodbye message, the
// second sees the closed socket. So a dead idle connection is replaced instead of failing the
// caller's first statement.
bool is_alive(PGconn* conn) {
  for (int i = 0; i < 2; ++i) {
    if (PQconsumeInput(conn) == 0) return false;
  }
  return PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
}

}  // namespace

std::string redact_url(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto at = url.find('@', scheme + 3);
  if (at == std::string_view::npos) return std::string(url);
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

std::string array_literal(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : elements[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

Params& Params::text(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::int64(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::optional_text(std::string_view value) {
  return value.empty() ? null() : text(value);
}

std::int64_t PgResult::int64(int row, int col) const {
  std::string_view v = text(row, col);
  std::int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(res_.get());
  std::int64_t out = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), out);
  return out;
}

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return fail(Status::resource_exhausted("libpq: out of memory connecting"));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return fail(Status::unavailable("cannot connect to " + redact_url(url) + ": " + message));
  }
  PQsetNoticeProcessor(conn, &ignore_notice, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    std::string message = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return fail(Status::io_error("cannot set client encoding UTF8 on " + redact_url(url) + ": " + message));
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

Status PgConnection::error_status(PGresult* res, std::string_view what) const {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  std::string message = trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  message = "postgresql: " + std::string(what) + ": " + (sqlstate.empty() ? "" : "[" + sqlstate + "] ") + message;
  if (sqlstate == "40001" || sqlstate == "40P01") return Status::conflict(message);
  if (sqlstate == "23505") return Status::already_exists(message);
  if (sqlstate == "53100") return Status::storage_full(message);  // disk_full
  if (sqlstate.starts_with("08") || PQstatus(conn_) == CONNECTION_BAD) return Status::unavailable(message);
  return Status::io_error(message);
}

Result<PgResult> PgConnection::query(std::string_view sql, const Params& params) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    // Named server-side statements live as long as the connection, so each SQL text is parsed and
    // planned once per connection, like the SQLite statement cache.
    std::string name = "pb_" + std::to_string(prepared_.size() + 1);
    PgResult prep(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
    if (prep.raw() == nullptr || PQresultStatus(prep.raw()) != PGRES_COMMAND_OK) {
      return fail(error_status(prep.raw(), "prepare " + key.substr(0, 80)));
    }
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.values_.size());
  lengths.reserve(params.values_.size());
  for (const auto& v : params.values_) {
    values.push_back(v ? v->c_str() : nullptr);
    lengths.push_back(v ? static_cast<int>(v->size()) : 0);
  }
  PgResult res(PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(), lengths.data(), nullptr, 0));
  ExecStatusType st = res.raw() != nullptr ? PQresultStatus(res.raw()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return fail(error_status(res.raw(), std::string(sql.substr(0, 80))));
  }
  return res;
}

Status PgConnection::run(std::string_view sql, const Params& params) {
  auto res = query(sql, params);
  return res ? Status::ok() : res.error();
}

Status PgConnection::exec(std::string_view sql) {
  std::string text(sql);
  PgResult res(PQexec(conn_, text.c_str()));
  ExecStatusType st = res.raw() != nullptr ? PQresultStatus(res.raw()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return error_status(res.raw(), text.substr(0, 80));
  return Status::ok();
}

bool PgConnection::is_reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result<PgTransaction> PgTransaction::begin(PgConnection& conn, Isolation isolation) {
  std::string_view sql = "BEGIN ISOLATION LEVEL READ COMMITTED";
  if (isolation == Isolation::kRepeatableRead) sql = "BEGIN ISOLATION LEVEL REPEATABLE READ";
  if (isolation == Isolation::kSerializable) sql = "BEGIN ISOLATION LEVEL SERIALIZABLE";
  if (Status s = conn.exec(sql); !s.is_ok()) return fail(s);
  return PgTransaction(&conn);
}

PgTransaction::~PgTransaction() {
  if (conn_ != nullptr) (void)conn_->exec("ROLLBACK");
}

Status PgTransaction::commit() {
  PgConnection* conn = conn_;
  conn_ = nullptr;
  return conn->exec("COMMIT");
}

Status lock_for_transaction(PgConnection& conn, std::int64_t key) {
  return conn.run("SELECT pg_advisory_xact_lock($1::bigint)", Params().int64(key));
}

PoolUse PgPool::use() {
  std::lock_guard lock(mu_);
  return {.open = open_, .in_use = open_ - static_cast<int>(idle_.size()), .max = max_size_};
}

Result<PgPool::Lease> PgPool::acquire() {
  {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (is_alive(conn->raw())) return Lease(this, std::move(conn));
      --open_;
    }
    ++open_;  // reserve the slot before connecting outside the lock
  }
  auto conn = PgConnection::connect(url_);
  if (!conn) {
    std::lock_guard lock(mu_);
    --open_;
    freed_.notify_one();
    return fail(conn.error());
  }
  return Lease(this, std::move(*conn));
}

void PgPool::release(std::unique_ptr<PgConnection> conn) {
  bool reusable = conn->is_reusable();
  if (!reusable) conn.reset();
  std::lock_guard lock(mu_);
  if (reusable) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  freed_.notify_one();
}

Status run_transaction(PgPool& pool, Isolation isolation, const std::function<Status(PgConnection&)>& body,
                       int max_attempts) {
  Status last;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    auto conn = pool.acquire();
    if (!conn) return conn.error();
    auto tx = PgTransaction::begin(**conn, isolation);
    if (!tx) return tx.error();
    last = body(**conn);
    if (last.is_ok()) last = tx->commit();
    if (last.code() != StatusCode::kConflict) return last;
  }
  return last.with_context("gave up after " + std::to_string(max_attempts) + " attempts");
}

Result<std::optional<SessionLock>> SessionLock::try_acquire(const std::string& url, std::int64_t key) {
  auto conn = PgConnection::connect(url);
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query("SELECT pg_try_advisory_lock($1::bigint)", Params().int64(key));
  if (!res) return fail(res.error());
  if (res->text(0, 0) != "t") return std::optional<SessionLock>();
  return std::optional<SessionLock>(SessionLock(std::move(*conn), key));
}

Status SessionLock::check() {
  if (!conn_) return Status::unavailable("no lock connection");
  return conn_->run("SELECT 1");
}

SessionLock::~SessionLock() {
  // Closing the connection would release it too; unlocking first keeps the intent explicit.
  if (conn_) (void)conn_->run("SELECT pg_advisory_unlock($1::bigint)", Params().int64(key_));
}

}  // namespace paperboy::store::postgres
