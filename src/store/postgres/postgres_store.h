// PostgresStore: the Store on a shared PostgreSQL database, for several Paperboy instances on one
// database. Readers take pooled connections (READ COMMITTED, one statement per call); each
// WriteBatch is one transaction. Thread-safe, and safe across processes sharing the database.
//
// Change sequence and commit order. change_seq values come from the SEQUENCE paper_change_seq, drawn
// inside the write transaction. A sequence alone is not enough for followers: writer A could draw 5,
// writer B draw 6 and commit first; a follower reading `change_seq > 4` would see 6, move its cursor
// past 5, and never see A's row when it commits. So every transaction that draws change_seq values
// first takes the transaction-level advisory lock lock_keys::kPaperWrites (pg_advisory_xact_lock),
// in every instance. PostgreSQL releases it only after the commit is visible, so the next writer
// draws larger values and becomes visible later: the committed rows always form a prefix of the
// sequence order, and `papers_changed_since(max seen)` never misses a row. Readers never take it.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/pg_db.h"
#include "store/store.h"

namespace paperboy::store::postgres {

class PostgresStore final : public Store {
 public:
  // Connects, migrates the store's schema (refusing a newer one) and returns the store.
  // `pool_size`: the most connections this process opens to the database.
  static Result<std::unique_ptr<PostgresStore>> open(const std::string& url, int pool_size = 8);

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
  Result<std::string> put_state_if_absent(std::string_view key, std::string_view value) override;
  Status delete_state(std::string_view key) override;

  // The pool, for other parts that keep their tables in the same database (community, mail).
  PgPool& pool() { return pool_; }
  PoolUse pool_use() override { return pool_.use(); }

 private:
  PostgresStore(const std::string& url, int pool_size) : pool_(url, pool_size) {}

  PgPool pool_;
};

}  // namespace paperboy::store::postgres
