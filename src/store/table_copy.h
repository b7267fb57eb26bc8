// Copying the tables beside the papers (accounts, sessions, API tokens, votes, digest subscriptions
// and the outbox) from one database to another, verifiably: `paperboy migrate` runs this after
// copy_store(). Rows travel as text, column by column, keeping their ids (votes point at accounts,
// the outbox at subscriptions), and each side is summarised by a row count and an
// order-independent checksum read back from the database. Tables are read whole: they are small
// next to the papers. Not thread-safe; one copy at a time per target.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

// One copied table: its name, its columns (every column, the key first) and its identity column
// ("" when none), whose generator the target moves past the copied ids.
struct TableSpec {
  std::string_view name;
  std::string_view columns;  // comma-separated, as in SQL
  std::string_view identity;
  // What PostgreSQL selects instead of `columns` when its types print differently from SQLite's
  // (booleans: 't'/'f' against 1/0), so both sides hash alike; empty: `columns`.
  std::string_view postgres_select = {};
  [[nodiscard]] size_t column_count() const { return static_cast<size_t>(std::ranges::count(columns, ',')) + 1; }
};

// The copied tables, parents before children (foreign keys hold at every step).
std::span<const TableSpec> copied_tables();

// A row as text (NULL as nullopt), in the order of TableSpec::columns.
using TableRow = std::vector<std::optional<std::string>>;

// Raw row access for copying; each backend's tables, created and migrated on open.
class TableAccess {
 public:
  virtual ~TableAccess() = default;
  // Every row, ordered by the first column.
  virtual Result<std::vector<TableRow>> read_rows(const TableSpec& table) = 0;
  // Inserts the rows in one transaction; `skip_existing` leaves rows whose key is taken alone.
  virtual Status insert_rows(const TableSpec& table, const std::vector<TableRow>& rows, bool skip_existing) = 0;
};

struct TableCopyReport {
  std::string table;
  std::int64_t source_rows = 0, target_rows = 0;
  std::uint64_t source_checksum = 0, target_checksum = 0;  // sum of XXH3 over rows, mod 2^64
  std::int64_t missing_or_different = 0;                   // source rows not found identical in the target
};

// Copies every table of copied_tables() and verifies it row by row. Refuses (kAlreadyExists) a
// target whose tables hold rows unless `allow_non_empty_target`.
Result<std::vector<TableCopyReport>> copy_tables(TableAccess& source, TableAccess& target, bool allow_non_empty_target);

}  // namespace paperboy::store
