// PostgresJobLease: the JobLease (store/job_lease.h) on PostgreSQL, a session-level advisory lock
// on its own connection, tried with pg_try_advisory_lock on every refresh() while not held and
// checked with a round trip while held. Thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "store/job_lease.h"
#include "store/postgres/pg_db.h"

namespace paperboy::store::postgres {

class PostgresJobLease final : public JobLease {
 public:
  // `key`: one of lock_keys, one per job.
  PostgresJobLease(std::string url, std::string job, std::int64_t key)
      : url_(std::move(url)), job_(std::move(job)), key_(key) {}

  Result<bool> refresh() override;
  [[nodiscard]] bool is_held() const override { return held_.load(); }
  [[nodiscard]] const std::string& job() const override { return job_; }

 private:
  const std::string url_, job_;
  const std::int64_t key_;
  std::mutex mu_;  // guards lock_
  std::optional<SessionLock> lock_;
  std::atomic<bool> held_{false};
};

}  // namespace paperboy::store::postgres
