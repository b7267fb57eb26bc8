// SqliteCurationStore: the CurationStore in the paper store's SQLite file (WAL), tables of
// migration 5. Its own writer connection serialises curation writes behind a mutex; each write is
// one IMMEDIATE transaction (which also orders it against the other writers of the file through
// the busy timeout). Readers are pooled. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "store/curation_store.h"
#include "store/sqlite/sqlite_db.h"

namespace paperboy::store::sqlite {

class SqliteCurationStore final : public CurationStore {
 public:
  static Result<std::unique_ptr<SqliteCurationStore>> open(const std::string& path, int cache_mib);

  Result<SubmissionOutcome> record_submission(const Submission& submission) override;
  Result<std::optional<Submission>> get_submission(std::string_view paper_id) override;
  Result<std::vector<Submission>> submissions_between(std::string_view from_day, std::string_view to_day) override;
  Result<std::vector<Submission>> submissions_by(std::int64_t account_id, int limit) override;
  Result<std::string> newest_submission_day() override;
  Status set_flag(std::string_view paper_id, std::string_view listing_day, CurationFlag flag, bool on,
                  std::int64_t account_id, std::int64_t now) override;
  Result<std::unordered_map<std::string, CurationFlags>> flags_of(std::span<const std::string> paper_ids) override;
  Result<std::vector<std::string>> flagged(CurationFlag flag) override;
  Result<std::vector<std::string>> flagged_between(CurationFlag flag, std::string_view from_day,
                                                   std::string_view to_day) override;
  std::int64_t curation_generation() override { return generation_.load(); }

 private:
  SqliteCurationStore(const std::string& path, int cache_mib, std::unique_ptr<Connection> writer)
      : writer_(std::move(writer)), readers_(path, cache_mib) {}

  // Runs a statement selecting paper ids; binds [from_day, to_day] unless from_day is empty.
  Result<std::vector<std::string>> ids(std::string_view sql, std::string_view from_day, std::string_view to_day);

  std::mutex write_mu_;  // guards writer_
  std::unique_ptr<Connection> writer_;
  ReaderPool readers_;
  // Process-local: bumped on every change (cache validation within this server).
  std::atomic<std::int64_t> generation_{0};
};

}  // namespace paperboy::store::sqlite
