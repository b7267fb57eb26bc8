#include "store/sqlite/sqlite_thumbnail_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/sqlite/migrations.h"

namespace paperboy::store::sqlite {
namespace {

// The newest second a thumbnail was stored in, and how many were stored in it: two look-ups in
// the (state, updated_at) index, however many thumbnails there are (the web server asks every
// second).
constexpr std::string_view kGenerationSql =
    "SELECT COALESCE(MAX(updated_at), 0), count(*) FROM thumbnails WHERE state = 'ok' AND updated_at = "
    "(SELECT MAX(updated_at) FROM thumbnails WHERE state = 'ok')";

ThumbnailState parse_state(std::string_view s) {
  if (s == "ok") return ThumbnailState::kOk;
  if (s == "failed") return ThumbnailState::kFailed;
  return ThumbnailState::kRetry;
}

}  // namespace

Result<std::unique_ptr<SqliteThumbnailStore>> SqliteThumbnailStore::open(const std::string& path, int cache_mib) {
  int cache = std::max(8, cache_mib / 4);
  auto writer = Connection::open(path, cache);
  if (!writer) return fail(writer.error());
  if (Status s = migrate(**writer); !s.is_ok()) return fail(s.with_context(path));
  return std::unique_ptr<SqliteThumbnailStore>(new SqliteThumbnailStore(path, cache, std::move(*writer)));
}

Result<std::vector<ThumbnailCandidate>> SqliteThumbnailStore::due(std::int64_t now, std::string_view since_day,
                                                                  int limit) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  // Walks the listing index newest first (its order is the index's, rowid last) and stops after
  // `limit` papers that need work.
  auto stmt = (*conn)->prepare(
      "SELECT p.id, p.listing_day, COALESCE(t.attempts, 0) FROM papers p "
      "LEFT JOIN thumbnails t ON t.paper_id = p.id "
      "WHERE p.listing_day >= ?1 AND (t.paper_id IS NULL OR (t.state = 'retry' AND t.next_attempt_at <= ?2)) "
      "ORDER BY p.listing_day DESC, p.published DESC, p.doc_id DESC LIMIT ?3");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, since_day).bind(2, now).bind(3, limit);
  std::vector<ThumbnailCandidate> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back({std::string(stmt->text(0)), std::string(stmt->text(1)), static_cast<int>(stmt->int64(2))});
  }
  return out;
}

Status SqliteThumbnailStore::record(const ThumbnailRecord& r) {
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->prepare(
      "INSERT INTO thumbnails(paper_id, state, hash, width, height, attempts, next_attempt_at, updated_at, error) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(paper_id) DO UPDATE SET state = ?2, hash = ?3, "
      "width = ?4, height = ?5, attempts = ?6, next_attempt_at = ?7, updated_at = ?8, error = ?9");
  if (!stmt) return stmt.error();
  stmt->bind(1, r.paper_id)
      .bind(2, thumbnail_state_name(r.state))
      .bind(3, r.hash)
      .bind(4, r.width)
      .bind(5, r.height)
      .bind(6, r.attempts)
      .bind(7, r.next_attempt_at)
      .bind(8, r.updated_at)
      .bind(9, r.error);
  return stmt->run();
}

Result<std::optional<ThumbnailRecord>> SqliteThumbnailStore::get(std::string_view paper_id) {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(
      "SELECT paper_id, state, hash, width, height, attempts, next_attempt_at, updated_at, error FROM thumbnails "
      "WHERE paper_id = ?");
  if (!stmt) return fail(stmt.error());
  stmt->bind(1, paper_id);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ThumbnailRecord>();
  ThumbnailRecord r;
  r.paper_id = stmt->text(0);
  r.state = parse_state(stmt->text(1));
  r.hash = stmt->text(2);
  r.width = static_cast<int>(stmt->int64(3));
  r.height = static_cast<int>(stmt->int64(4));
  r.attempts = static_cast<int>(stmt->int64(5));
  r.next_attempt_at = stmt->int64(6);
  r.updated_at = stmt->int64(7);
  r.error = stmt->text(8);
  return std::optional<ThumbnailRecord>(std::move(r));
}

Result<std::unordered_map<std::string, ThumbnailRef>> SqliteThumbnailStore::thumbnails_of(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, ThumbnailRef> out;
  if (paper_ids.empty()) return out;
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  // One JSON array parameter (as flags_of): one cached statement whatever the batch size.
  auto stmt = (*conn)->prepare(
      "SELECT paper_id, hash, width, height FROM thumbnails "
      "WHERE paper_id IN (SELECT value FROM json_each(?)) AND state = 'ok'");
  if (!stmt) return fail(stmt.error());
  std::string ids = nlohmann::json(std::vector<std::string>(paper_ids.begin(), paper_ids.end()))
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  stmt->bind(1, ids);
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out[std::string(stmt->text(0))] = {std::string(stmt->text(1)), static_cast<int>(stmt->int64(2)),
                                       static_cast<int>(stmt->int64(3))};
  }
  return out;
}

Result<ThumbnailCounts> SqliteThumbnailStore::counts() {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare("SELECT state, count(*) FROM thumbnails GROUP BY state");
  if (!stmt) return fail(stmt.error());
  ThumbnailCounts out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    std::int64_t n = stmt->int64(1);
    switch (parse_state(stmt->text(0))) {
      case ThumbnailState::kOk: out.ok = n; break;
      case ThumbnailState::kFailed: out.failed = n; break;
      case ThumbnailState::kRetry: out.retry = n; break;
    }
  }
  return out;
}

Result<std::int64_t> SqliteThumbnailStore::generation() {
  auto conn = readers_.acquire();
  if (!conn) return fail(conn.error());
  auto stmt = (*conn)->prepare(kGenerationSql);
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return stmt->int64(0) * 1000 + stmt->int64(1);
}

}  // namespace paperboy::store::sqlite
