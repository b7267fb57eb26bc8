// SqliteThumbnailStore: the ThumbnailStore in the paper store's SQLite file (WAL), table of
// migration 9. Its own writer connection serialises writes behind a mutex; readers are pooled.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/thumbnail_store.h"

namespace paperboy::store::sqlite {

class SqliteThumbnailStore final : public ThumbnailStore {
 public:
  static Result<std::unique_ptr<SqliteThumbnailStore>> open(const std::string& path, int cache_mib);

  Result<std::vector<ThumbnailCandidate>> due(std::int64_t now, std::string_view since_day, int limit) override;
  Status record(const ThumbnailRecord& record) override;
  Result<std::optional<ThumbnailRecord>> get(std::string_view paper_id) override;
  Result<std::unordered_map<std::string, ThumbnailRef>> thumbnails_of(std::span<const std::string> paper_ids) override;
  Result<ThumbnailCounts> counts() override;
  Result<std::int64_t> generation() override;

 private:
  SqliteThumbnailStore(const std::string& path, int cache_mib, std::unique_ptr<Connection> writer)
      : writer_(std::move(writer)), readers_(path, cache_mib) {}

  std::mutex write_mu_;  // guards writer_
  std::unique_ptr<Connection> writer_;
  ReaderPool readers_;
};

}  // namespace paperboy::store::sqlite
