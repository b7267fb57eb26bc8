// JobLease: whether this instance is the one that runs a scheduled job ("harvest", "digest") when
// several `paperboy serve` instances share one database. The schedulers call refresh() on every
// tick and do their work only while it says true. On PostgreSQL the lease is a session-level
// advisory lock (pg_try_advisory_lock) held on a dedicated connection: exactly one instance holds
// it; when that instance dies its connection closes, PostgreSQL releases the lock, and the next
// refresh() of another instance takes it. On SQLite (one process per database file) the lease is
// always held. Thread-safe: refresh() from the scheduler's thread, is_held() from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

class JobLease {
 public:
  virtual ~JobLease() = default;
  // Takes the lease if it is free, or checks that this instance still holds it. True while held;
  // an error (database unreachable) means not held.
  virtual Result<bool> refresh() = 0;
  // The answer of the last refresh(), without a round trip (for /healthz).
  [[nodiscard]] virtual bool is_held() const = 0;
  [[nodiscard]] virtual const std::string& job() const = 0;
};

}  // namespace paperboy::store
