#include "store/backup.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace paperboy::store {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Result<Db> open_db(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return fail(
        Status::io_error("cannot open " + path + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory")));
  }
  sqlite3_busy_timeout(db.get(), 10000);
  return db;
}

// Runs a query whose rows are one text column each, appending the rows to `out`.
Status each_text_row(sqlite3* db, const char* sql, std::vector<std::string>& out) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return Status::io_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(raw); ++c) {
      const auto* text = sqlite3_column_text(raw, c);
      if (c > 0) row += ' ';
      row += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
    }
    out.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return Status::io_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  return Status::ok();
}

Result<std::int64_t> single_int(sqlite3* db, const std::string& sql) {
  std::vector<std::string> rows;
  if (Status s = each_text_row(db, sql.c_str(), rows); !s.is_ok()) return fail(s);
  if (rows.empty()) return fail(Status::not_found(sql + ": no row"));
  return std::stoll(rows.front());
}

}  // namespace

std::string sqlite_store_path(std::string_view url) {
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  return std::string(url);
}

Status backup_sqlite(const std::string& source_path, const std::string& dest_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source_path, ec))
    return Status::not_found("database " + source_path + " does not exist");
  if (std::filesystem::exists(dest_path, ec))
    return Status::already_exists(dest_path + " exists; back up into a new file");
  auto source = open_db(source_path, SQLITE_OPEN_READONLY);
  if (!source) return source.error();
  auto dest = open_db(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest) return dest.error();
  // All pages in one step: the copy reads one snapshot of the source (WAL keeps writers going),
  // where a step-by-step copy would restart whenever another connection wrote meanwhile.
  sqlite3_backup* backup = sqlite3_backup_init(dest->get(), "main", source->get(), "main");
  if (backup == nullptr) return Status::io_error("backup of " + source_path + ": " + sqlite3_errmsg(dest->get()));
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finished != SQLITE_OK) {
    std::string message = sqlite3_errmsg(dest->get());
    dest->reset();
    std::filesystem::remove(dest_path, ec);
    return Status::io_error("backup of " + source_path + " into " + dest_path + ": " + message);
  }
  // A backup is one self-contained file: no -wal beside it.
  std::vector<std::string> ignored;
  return each_text_row(dest->get(), "PRAGMA journal_mode=DELETE", ignored);
}

Result<std::vector<std::string>> sqlite_problems(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return fail(Status::not_found("database " + path + " does not exist"));
  auto db = open_db(path, SQLITE_OPEN_READONLY);
  if (!db) return fail(db.error());
  std::vector<std::string> rows;
  if (Status s = each_text_row(db->get(), "PRAGMA integrity_check", rows); !s.is_ok()) return fail(s);
  std::vector<std::string> problems;
  for (auto& r : rows) {
    if (r != "ok") problems.push_back("integrity: " + r);
  }
  rows.clear();
  if (Status s = each_text_row(db->get(), "PRAGMA foreign_key_check", rows); !s.is_ok()) return fail(s);
  for (auto& r : rows) problems.push_back("foreign key (table rowid parent fkid): " + r);
  return problems;
}

Result<std::int64_t> sqlite_stored_rows(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  auto db = open_db(path, SQLITE_OPEN_READONLY);
  if (!db) return fail(db.error());
  std::vector<std::string> tables;
  if (Status s = each_text_row(db->get(), "SELECT name FROM sqlite_master WHERE type = 'table'", tables); !s.is_ok()) {
    return fail(s);
  }
  std::int64_t rows = 0;
  for (const char* table : {"papers", "state", "accounts", "votes", "mail_subscriptions", "mail_outbox", "submissions",
                            "collections", "follows", "comments"}) {
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) continue;
    auto n = single_int(db->get(), std::string("SELECT count(*) FROM ") + table);
    if (!n) return fail(n.error());
    rows += *n;
  }
  return rows;
}

Result<std::int64_t> index_meta_value(const std::string& index_db_path, const std::string& key) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(index_db_path, ec))
    return fail(Status::not_found(index_db_path + " does not exist"));
  auto db = open_db(index_db_path, SQLITE_OPEN_READONLY);
  if (!db) return fail(db.error());
  std::string quoted;
  for (char c : key) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return single_int(db->get(), "SELECT value FROM meta WHERE key = '" + quoted + "'");
}

}  // namespace paperboy::store
