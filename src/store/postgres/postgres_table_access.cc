#include "store/postgres/postgres_table_access.h"

#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/postgres_curation_store.h"
#include "store/postgres/postgres_library_store.h"

namespace paperboy::store::postgres {
namespace {

class PostgresTableAccess final : public TableAccess {
 public:
  explicit PostgresTableAccess(std::unique_ptr<PgConnection> conn) : conn_(std::move(conn)) {}

  Result<std::vector<TableRow>> read_rows(const TableSpec& table) override {
    // Table and column names come from copied_tables(), never from input.
    auto res =
        conn_->query("SELECT " + std::string(table.postgres_select.empty() ? table.columns : table.postgres_select) +
                     " FROM " + std::string(table.name) + " ORDER BY 1");
    if (!res) return fail(res.error());
    const int n = static_cast<int>(table.column_count());
    std::vector<TableRow> out;
    out.reserve(static_cast<size_t>(res->rows()));
    for (int r = 0; r < res->rows(); ++r) {
      TableRow row;
      row.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        row.push_back(res->is_null(r, c) ? std::nullopt : std::optional<std::string>(std::string(res->text(r, c))));
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  Status insert_rows(const TableSpec& table, const std::vector<TableRow>& rows, bool skip_existing) override {
    std::string sql = "INSERT INTO " + std::string(table.name) + "(" + std::string(table.columns) + ") VALUES (";
    const size_t n = table.column_count();
    for (size_t i = 1; i <= n; ++i) sql += (i == 1 ? "$" : ", $") + std::to_string(i);
    sql += skip_existing ? ") ON CONFLICT DO NOTHING" : ")";
    auto tx = PgTransaction::begin(*conn_);
    if (!tx) return tx.error();
    for (const auto& row : rows) {
      // Untyped text parameters take the column's type: "42" into bigint is 42.
      Params params;
      for (const auto& field : row) {
        if (field) {
          params.text(*field);
        } else {
          params.null();
        }
      }
      PB_RETURN_IF_ERROR(conn_->run(sql, params));
    }
    if (!table.identity.empty()) {
      // Ids were copied as they are: the next generated id must come after the largest.
      PB_RETURN_IF_ERROR(conn_->run("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(" +
                                        std::string(table.identity) + ") FROM " + std::string(table.name) +
                                        "), 0) + 1, false)",
                                    Params().text(table.name).text(table.identity)));
    }
    return tx->commit();
  }

 private:
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace

Result<std::unique_ptr<TableAccess>> open_table_access(const std::string& url) {
  auto conn = PgConnection::connect(url);
  if (!conn) return fail(conn.error());
  if (Status s = migrate(**conn, kCommunityComponent, community_migrations()); !s.is_ok()) return fail(s);
  if (Status s = migrate(**conn, kMailComponent, mail_migrations()); !s.is_ok()) return fail(s);
  if (Status s = migrate(**conn, kCurationComponent, curation_migrations()); !s.is_ok()) return fail(s);
  if (Status s = migrate(**conn, kLibraryComponent, library_migrations()); !s.is_ok()) return fail(s);
  return std::unique_ptr<TableAccess>(new PostgresTableAccess(std::move(*conn)));
}

}  // namespace paperboy::store::postgres
