#include "store/sqlite/sqlite_table_access.h"

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace paperboy::store::sqlite {
namespace {

class SqliteTableAccess final : public TableAccess {
 public:
  explicit SqliteTableAccess(std::unique_ptr<Connection> db) : db_(std::move(db)) {}

  Result<std::vector<TableRow>> read_rows(const TableSpec& table) override {
    // Table and column names come from copied_tables(), never from input.
    auto st = db_->prepare("SELECT " + std::string(table.columns) + " FROM " + std::string(table.name) + " ORDER BY 1");
    if (!st) return fail(st.error());
    const int n = static_cast<int>(table.column_count());
    std::vector<TableRow> out;
    for (;;) {
      auto row = st->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      TableRow r;
      r.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        r.push_back(st->is_null(c) ? std::nullopt : std::optional<std::string>(std::string(st->text(c))));
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  Status insert_rows(const TableSpec& table, const std::vector<TableRow>& rows, bool skip_existing) override {
    std::string sql = "INSERT INTO " + std::string(table.name) + "(" + std::string(table.columns) + ") VALUES (";
    const size_t n = table.column_count();
    for (size_t i = 1; i <= n; ++i) sql += (i == 1 ? "?" : ", ?") + std::to_string(i);
    sql += skip_existing ? ") ON CONFLICT DO NOTHING" : ")";
    auto tx = Transaction::begin(*db_);
    if (!tx) return tx.error();
    for (const auto& row : rows) {
      auto st = db_->prepare(sql);
      if (!st) return st.error();
      // Text into an INTEGER column is stored as the integer it spells (column affinity).
      for (size_t c = 0; c < row.size(); ++c) {
        if (row[c]) {
          st->bind(static_cast<int>(c + 1), std::string_view(*row[c]));
        } else {
          st->bind_null(static_cast<int>(c + 1));
        }
      }
      PB_RETURN_IF_ERROR(st->run());
    }
    return tx->commit();
  }

 private:
  std::unique_ptr<Connection> db_;
};

}  // namespace

Result<std::unique_ptr<TableAccess>> open_table_access(const std::string& path) {
  auto db = Connection::open(path, 16);
  if (!db) return fail(db.error());
  if (Status s = migrate(**db); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<TableAccess>(new SqliteTableAccess(std::move(*db)));
}

}  // namespace paperboy::store::sqlite
