// Backups and checks of a store's database: `paperboy backup`, `restore` and `check` call these.
// SQLite: a consistent copy taken while `serve` writes (SQLite's online backup API reads one
// snapshot; in WAL mode writers go on meanwhile), restore into an empty database, and SQLite's own
// integrity and foreign-key checks. PostgreSQL: back up with pg_dump (README); restoring a SQLite
// backup into PostgreSQL goes through copy_store (store_copy.h), which refuses a non-empty target.
// Plain functions; each opens its own connections, so any thread may call them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace paperboy::store {

// The file of a SQLite store URL ("sqlite:PATH" or a plain path).
[[nodiscard]] std::string sqlite_store_path(std::string_view url);

// Copies the SQLite database `source_path` into a new file `dest_path` (which must not exist),
// page by page from one read snapshot, while other connections go on writing.
[[nodiscard]] Status backup_sqlite(const std::string& source_path, const std::string& dest_path);

// What is wrong with a SQLite database file: PRAGMA integrity_check and foreign_key_check
// findings, one line each; empty when sound. An error when the file cannot be opened at all.
[[nodiscard]] Result<std::vector<std::string>> sqlite_problems(const std::string& path);

// Rows in a SQLite store's tables that hold data (papers, state, accounts, votes, mail...): 0 for
// a fresh or missing file. Restore refuses a target where this is not 0.
[[nodiscard]] Result<std::int64_t> sqlite_stored_rows(const std::string& path);

// An integer from the `meta` table of an index database (the lexical index's 'cursor': the store
// change sequence it has applied); an error when the file or the key is missing.
[[nodiscard]] Result<std::int64_t> index_meta_value(const std::string& index_db_path, const std::string& key);

}  // namespace paperboy::store
