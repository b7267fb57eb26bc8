// PostgresCurationStore: the CurationStore on a shared PostgreSQL database (migration component
// "curation", see pg_migrations.h), for several Paperboy instances on one database. Reads take
// pooled connections; each write is one statement (an upsert), atomic on its own. Thread-safe, and
// safe across processes sharing the database. curation_generation() counts this process's
// changes only, as the vote generation does; other instances' changes show after the page cache's
// time-to-live.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>

#include "store/curation_store.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"

namespace paperboy::store::postgres {

// The curation tables' migrations (component kCurationComponent).
std::span<const Migration> curation_migrations();
inline constexpr std::string_view kCurationComponent = "curation";

class PostgresCurationStore final : public CurationStore {
 public:
  // Connects and migrates the curation component (refusing a newer one).
  static Result<std::unique_ptr<PostgresCurationStore>> open(const std::string& url, int pool_size = 4);

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
  PostgresCurationStore(const std::string& url, int pool_size) : pool_(url, pool_size) {}

  // Runs a statement selecting paper ids.
  Result<std::vector<std::string>> ids(std::string_view sql, const Params& params);

  PgPool pool_;
  std::atomic<std::int64_t> generation_{0};
};

}  // namespace paperboy::store::postgres
