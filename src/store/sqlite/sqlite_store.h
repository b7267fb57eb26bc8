// SqliteStore: the default Store, one SQLite database file in WAL mode. Readers take pooled
// connections and run concurrently with the single writer; writes are serialised by a mutex and
// run as one IMMEDIATE transaction per WriteBatch. Thread-safe.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace paperboy::store::sqlite {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, int cache_mib);

  Result<BatchResult> apply(const WriteBatch& batch) override;
  Result<std::optional<StoredPaper>> get_paper(std::string_view id) override;
  Result<std::optional<StoredPaper>> get_paper_by_doi(std::string_view doi) override;
  Result<std::vector<StoredPaper>> get_papers_by_doc_id(std::span<const std::int64_t> doc_ids) override;
  Result<std::vector<StoredPaper>> papers_changed_since(std::int64_t after_seq, int limit) override;
  Result<std::int64_t> max_change_seq() override;
  Result<std::vector<StoredPaper>> list_papers(const ListingQuery& query) override;
  Result<std::int64_t> count_papers(const ListingQuery& query) override;
  Result<std::string> newest_listing_day() override;
  Result<std::pair<std::string, std::string>> neighbour_listing_days(std::string_view day) override;
  Result<std::vector<StoredPaper>> list_papers_by_author(std::string_view keyname, std::string_view forenames,
                                                         int limit, int offset) override;
  Result<StoreStats> stats() override;
  Result<std::optional<std::string>> get_state(std::string_view key) override;
  Result<std::vector<std::pair<std::string, std::string>>> list_state() override;
  Status put_state(std::string_view key, std::string_view value) override;
  Status delete_state(std::string_view key) override;
  Result<std::string> put_state_if_absent(std::string_view key, std::string_view value) override;

  // The readers' pool (the single writer connection is not pooled).
  PoolUse pool_use() override { return readers_.use(); }

 private:
  // Readers get a smaller page cache than the writer: the writer is where bulk work happens.
  SqliteStore(const std::string& path, int cache_mib, std::unique_ptr<Connection> writer)
      : writer_(std::move(writer)), readers_(path, std::max(8, cache_mib / 4)) {}

  Result<ReaderPool::Lease> read_connection() { return readers_.acquire(); }

  Result<UpsertOutcome> upsert_one(const core::Paper& paper, std::int64_t& next_seq);

  std::mutex write_mu_;  // guards writer_
  std::unique_ptr<Connection> writer_;
  ReaderPool readers_;
};

}  // namespace paperboy::store::sqlite
