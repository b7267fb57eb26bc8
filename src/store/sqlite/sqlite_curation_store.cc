#include "store/sqlite/sqlite_curation_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/sqlite/migrations.h"

namespace paperboy::store::sqlite {
namespace {

constexpr std::string_view kSubmissionColumns = "paper_id, account_id, listing_day, submitted_at";

Submission read_submission(const Statement& row) {
  return {std::string(row.text(0)), row.int64(1), std::string(row.text(2)), row.int64(3)};
}

Result<std::vector<Submission>> read_submissions(Statement& stmt) {
  std::vector<Submission> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(read_submission(stmt));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<SqliteCurationStore>> SqliteCurationStore::open(const std::string& path, int cache_mib) {
  int cache = std::max(8, cache_mib / 4);
  auto writer = Connection::open(path, cache);
  if (!writer) return fail(writer.error());
  if (Status s = migrate(**writer); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<SqliteCurationStore>(new SqliteCurationStore(path, cache, std::move(*writer)));
}

Result<SubmissionOutcome> SqliteCurationStore::record_submission(const Submission& submission) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return fail(tx.error());
  // The primary key makes the first submission win; a later one reads it back in the same
  // transaction, so two accounts submitting at once both learn who was first.
  auto insert = writer_->prepare("INSERT INTO submissions(" + std::string(kSubmissionColumns) +
                                 ") VALUES(?,?,?,?) ON CONFLICT(paper_id) DO NOTHING");
  if (!insert) return fail(insert.error());
  insert->bind(1, submission.paper_id)
      .bind(2, submission.account_id)
      .bind(3, submission.listing_day)
      .bind(4, submission.submitted_at);
  if (Status s = insert->run(); !s.is_ok()) return fail(s);
  bool is_new = sqlite3_changes(writer_->raw()) > 0;
  auto read = writer_->prepare("SELECT " + std::string(kSubmissionColumns) + " FROM submissions WHERE paper_id = ?");
  if (!read) return fail(read.error());
  read->bind(1, submission.paper_id);
  auto rows = read_submissions(*read);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return fail(Status::internal("submission of " + submission.paper_id + " vanished"));
  if (Status s = tx->commit(); !s.is_ok()) return fail(s);
  if (is_new) generation_.fetch_add(1);
  return SubmissionOutcome{std::move(rows->front()), is_new};
}

Result<std::optional<Submission>> SqliteCurationStore::get_submission(std::string_view paper_id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(kSubmissionColumns) + " FROM submissions WHERE paper_id = ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, paper_id);
  auto rows = read_submissions(*stmt);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<Submission>();
  return std::optional<Submission>(std::move(rows->front()));
}

Result<std::vector<Submission>> SqliteCurationStore::submissions_between(std::string_view from_day,
                                                                         std::string_view to_day) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT " + std::string(kSubmissionColumns) +
                               " FROM submissions WHERE listing_day BETWEEN ? AND ? "
                               "ORDER BY listing_day DESC, submitted_at DESC, paper_id DESC");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, from_day).bind(2, to_day);
  return read_submissions(*stmt);
}

Result<std::vector<Submission>> SqliteCurationStore::submissions_by(std::int64_t account_id, int limit) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt =
      (*conn)->prepare("SELECT " + std::string(kSubmissionColumns) +
                       " FROM submissions WHERE account_id = ? ORDER BY submitted_at DESC, paper_id DESC LIMIT ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, account_id).bind(2, limit);
  return read_submissions(*stmt);
}

Result<std::string> SqliteCurationStore::newest_submission_day() {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT COALESCE(MAX(listing_day), '') FROM submissions");
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return std::string(stmt->text(0));
}

Status SqliteCurationStore::set_flag(std::string_view paper_id, std::string_view listing_day, CurationFlag flag,
                                     bool on, std::int64_t account_id, std::int64_t now) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return tx.error();
  // Two statement texts rather than a column name spliced from input: the column is ours.
  auto stmt = writer_->prepare(
      flag == CurationFlag::kFeatured
          ? "INSERT INTO paper_curation(paper_id, is_featured, listing_day, changed_by, changed_at) "
            "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(paper_id) DO UPDATE SET is_featured = ?2, listing_day = ?3, "
            "changed_by = ?4, changed_at = ?5"
          : "INSERT INTO paper_curation(paper_id, is_hidden, listing_day, changed_by, changed_at) "
            "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(paper_id) DO UPDATE SET is_hidden = ?2, listing_day = ?3, "
            "changed_by = ?4, changed_at = ?5");
  if (!stmt) return stmt.error();
  stmt->bind(1, paper_id).bind(2, on ? 1 : 0).bind(3, listing_day).bind(4, account_id).bind(5, now);
  PB_RETURN_IF_ERROR(stmt->run());
  PB_RETURN_IF_ERROR(tx->commit());
  generation_.fetch_add(1);
  return Status::ok();
}

Result<std::unordered_map<std::string, CurationFlags>> SqliteCurationStore::flags_of(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, CurationFlags> out;
  if (paper_ids.empty()) return out;
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(
      "SELECT paper_id, is_featured, is_hidden FROM paper_curation "
      "WHERE paper_id IN (SELECT value FROM json_each(?)) AND (is_featured = 1 OR is_hidden = 1)");
  if (!stmt) return fail(stmt.error());
  // One JSON array parameter read back with json_each(): one cached statement whatever the
  // batch size, and no SQL built from values.
  std::string ids = nlohmann::json(std::vector<std::string>(paper_ids.begin(), paper_ids.end()))
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  stmt->bind(1, ids);
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out[std::string(stmt->text(0))] = {stmt->int64(1) != 0, stmt->int64(2) != 0};
  }
  return out;
}

// The paper ids a statement returns in its first column.
Result<std::vector<std::string>> SqliteCurationStore::ids(std::string_view sql, std::string_view from_day,
                                                          std::string_view to_day) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(sql);
  if (!stmt) return fail(stmt.error());
  if (!from_day.empty()) stmt->bind(1, from_day).bind(2, to_day);
  return stmt->texts(0);
}

Result<std::vector<std::string>> SqliteCurationStore::flagged(CurationFlag flag) {
  return ids(flag == CurationFlag::kFeatured
                 ? "SELECT paper_id FROM paper_curation WHERE is_featured = 1 ORDER BY paper_id"
                 : "SELECT paper_id FROM paper_curation WHERE is_hidden = 1 ORDER BY paper_id",
             "", "");
}

Result<std::vector<std::string>> SqliteCurationStore::flagged_between(CurationFlag flag, std::string_view from_day,
                                                                      std::string_view to_day) {
  return ids(flag == CurationFlag::kFeatured
                 ? "SELECT paper_id FROM paper_curation WHERE is_featured = 1 AND listing_day BETWEEN ? AND ? "
                   "ORDER BY paper_id"
                 : "SELECT paper_id FROM paper_curation WHERE is_hidden = 1 AND listing_day BETWEEN ? AND ? "
                   "ORDER BY paper_id",
             from_day.empty() ? "0000-00-00" : from_day, to_day.empty() ? "9999-99-99" : to_day);
}

}  // namespace paperboy::store::sqlite
