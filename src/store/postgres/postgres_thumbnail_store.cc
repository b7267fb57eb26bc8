#include "store/postgres/postgres_thumbnail_store.h"

#include <array>

namespace paperboy::store::postgres {
namespace {

// Append only, as every migration list. Same table and meaning as SQLite migration 9.
constexpr std::array<Migration, 1> kThumbnailMigrations = {{
    {1, "first-page thumbnails: which papers have one, failed for good, or wait for a retry",
     R"sql(
CREATE TABLE thumbnails (
  paper_id        text COLLATE "C" PRIMARY KEY,
  state           text COLLATE "C" NOT NULL,  -- ok, failed, retry
  hash            text NOT NULL DEFAULT '',   -- content hash of the image file (ok)
  width           integer NOT NULL DEFAULT 0,
  height          integer NOT NULL DEFAULT 0,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL DEFAULT 0,  -- unix seconds (retry)
  updated_at      bigint NOT NULL,
  error           text NOT NULL DEFAULT ''
);
CREATE INDEX thumbnails_state ON thumbnails(state, updated_at);
)sql"},
}};

ThumbnailState parse_state(std::string_view s) {
  if (s == "ok") return ThumbnailState::kOk;
  if (s == "failed") return ThumbnailState::kFailed;
  return ThumbnailState::kRetry;
}

}  // namespace

std::span<const Migration> thumbnail_migrations() {
  return kThumbnailMigrations;
}

Result<std::unique_ptr<PostgresThumbnailStore>> PostgresThumbnailStore::open(const std::string& url, int pool_size) {
  std::unique_ptr<PostgresThumbnailStore> store(new PostgresThumbnailStore(url, pool_size));
  auto conn = store->pool_.acquire();
  if (!conn) return fail(conn.error());
  if (Status s = migrate(**conn, kThumbnailComponent, thumbnail_migrations()); !s.is_ok()) {
    return fail(s.with_context(redact_url(url)));
  }
  return store;
}

Result<std::vector<ThumbnailCandidate>> PostgresThumbnailStore::due(std::int64_t now, std::string_view since_day,
                                                                    int limit) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(
      "SELECT p.id, p.listing_day, COALESCE(t.attempts, 0) FROM papers p "
      "LEFT JOIN thumbnails t ON t.paper_id = p.id "
      "WHERE p.listing_day >= $1 AND (t.paper_id IS NULL OR (t.state = 'retry' AND t.next_attempt_at <= $2)) "
      "ORDER BY p.listing_day DESC, p.published DESC, p.doc_id DESC LIMIT $3",
      Params().text(since_day).int64(now).int64(limit));
  if (!res) return fail(res.error());
  std::vector<ThumbnailCandidate> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int r = 0; r < res->rows(); ++r) {
    out.push_back({std::string(res->text(r, 0)), std::string(res->text(r, 1)), static_cast<int>(res->int64(r, 2))});
  }
  return out;
}

Status PostgresThumbnailStore::record(const ThumbnailRecord& r) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  return (*conn)->run(
      "INSERT INTO thumbnails(paper_id, state, hash, width, height, attempts, next_attempt_at, updated_at, error) "
      "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (paper_id) DO UPDATE SET state = EXCLUDED.state, "
      "hash = EXCLUDED.hash, width = EXCLUDED.width, height = EXCLUDED.height, attempts = EXCLUDED.attempts, "
      "next_attempt_at = EXCLUDED.next_attempt_at, updated_at = EXCLUDED.updated_at, error = EXCLUDED.error",
      Params()
          .text(r.paper_id)
          .text(thumbnail_state_name(r.state))
          .text(r.hash)
          .int64(r.width)
          .int64(r.height)
          .int64(r.attempts)
          .int64(r.next_attempt_at)
          .int64(r.updated_at)
          .text(r.error));
}

Result<std::optional<ThumbnailRecord>> PostgresThumbnailStore::get(std::string_view paper_id) {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(
      "SELECT paper_id, state, hash, width, height, attempts, next_attempt_at, updated_at, error FROM thumbnails "
      "WHERE paper_id = $1",
      Params().text(paper_id));
  if (!res) return fail(res.error());
  if (res->rows() == 0) return std::optional<ThumbnailRecord>();
  ThumbnailRecord r;
  r.paper_id = res->text(0, 0);
  r.state = parse_state(res->text(0, 1));
  r.hash = res->text(0, 2);
  r.width = static_cast<int>(res->int64(0, 3));
  r.height = static_cast<int>(res->int64(0, 4));
  r.attempts = static_cast<int>(res->int64(0, 5));
  r.next_attempt_at = res->int64(0, 6);
  r.updated_at = res->int64(0, 7);
  r.error = res->text(0, 8);
  return std::optional<ThumbnailRecord>(std::move(r));
}

Result<std::unordered_map<std::string, ThumbnailRef>> PostgresThumbnailStore::thumbnails_of(
    std::span<const std::string> paper_ids) {
  std::unordered_map<std::string, ThumbnailRef> out;
  if (paper_ids.empty()) return out;
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query(
      "SELECT paper_id, hash, width, height FROM thumbnails WHERE paper_id = ANY($1::text[]) AND state = 'ok'",
      Params().text(array_literal(std::vector<std::string>(paper_ids.begin(), paper_ids.end()))));
  if (!res) return fail(res.error());
  for (int r = 0; r < res->rows(); ++r) {
    out[std::string(res->text(r, 0))] = {std::string(res->text(r, 1)), static_cast<int>(res->int64(r, 2)),
                                         static_cast<int>(res->int64(r, 3))};
  }
  return out;
}

Result<ThumbnailCounts> PostgresThumbnailStore::counts() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  auto res = (*conn)->query("SELECT state, count(*) FROM thumbnails GROUP BY state");
  if (!res) return fail(res.error());
  ThumbnailCounts out;
  for (int r = 0; r < res->rows(); ++r) {
    std::int64_t n = res->int64(r, 1);
    switch (parse_state(res->text(r, 0))) {
      case ThumbnailState::kOk: out.ok = n; break;
      case ThumbnailState::kFailed: out.failed = n; break;
      case ThumbnailState::kRetry: out.retry = n; break;
    }
  }
  return out;
}

Result<std::int64_t> PostgresThumbnailStore::generation() {
  auto conn = pool_.acquire();
  if (!conn) return fail(conn.error());
  // As SQLite's: the newest second with a thumbnail, and how many were stored in it (index look-ups).
  auto res = (*conn)->query(
      "SELECT COALESCE(MAX(updated_at), 0), count(*) FROM thumbnails WHERE state = 'ok' AND updated_at = "
      "(SELECT MAX(updated_at) FROM thumbnails WHERE state = 'ok')");
  if (!res) return fail(res.error());
  return res->int64(0, 0) * 1000 + res->int64(0, 1);
}

}  // namespace paperboy::store::postgres
