#include "store/postgres/postgres_job_lease.h"

namespace paperboy::store::postgres {

Result<bool> PostgresJobLease::refresh() {
  std::lock_guard lock(mu_);
  // A dead session took its lock with it; another instance may hold it by now.
  if (lock_ && !lock_->check().is_ok()) lock_.reset();
  if (!lock_) {
    auto taken = SessionLock::try_acquire(url_, key_);
    if (!taken) {
      held_ = false;
      return fail(taken.error().with_context("job lease '" + job_ + "'"));
    }
    lock_ = std::move(*taken);
  }
  held_ = lock_.has_value();
  return held_.load();
}

}  // namespace paperboy::store::postgres
