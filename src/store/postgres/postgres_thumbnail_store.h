// PostgresThumbnailStore: the ThumbnailStore on a shared PostgreSQL database (migration component
// "thumbnails", see pg_migrations.h). Reads take pooled connections; each write is one upsert.
// generation() reads the table, so a thumbnail made by another instance (or `paperboy
// thumbnails`) shows on this one's cached pages too. Thread-safe, and safe across processes.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"
#include "store/thumbnail_store.h"

namespace paperboy::store::postgres {

std::span<const Migration> thumbnail_migrations();
inline constexpr std::string_view kThumbnailComponent = "thumbnails";

class PostgresThumbnailStore final : public ThumbnailStore {
 public:
  static Result<std::unique_ptr<PostgresThumbnailStore>> open(const std::string& url, int pool_size = 2);

  Result<std::vector<ThumbnailCandidate>> due(std::int64_t now, std::string_view since_day, int limit) override;
  Status record(const ThumbnailRecord& record) override;
  Result<std::optional<ThumbnailRecord>> get(std::string_view paper_id) override;
  Result<std::unordered_map<std::string, ThumbnailRef>> thumbnails_of(std::span<const std::string> paper_ids) override;
  Result<ThumbnailCounts> counts() override;
  Result<std::int64_t> generation() override;

 private:
  PostgresThumbnailStore(const std::string& url, int pool_size) : pool_(url, pool_size) {}
  PgPool pool_;
};

}  // namespace paperboy::store::postgres
