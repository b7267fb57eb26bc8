// The version rules every Store applies on upsert, in one place so SQLite and PostgreSQL decide
// identically: a newer version (or newer metadata of the same version) replaces the record and
// extends the version history; identical content changes nothing; an older record never overwrites
// a newer one but may add version dates we did not know. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/paper.h"
#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

// What a store keeps about the stored copy to decide an upsert without loading the whole record.
struct StoredSummary {
  int latest_version = 0;
  std::string update_date;
  std::uint64_t content_hash = 0;
  std::vector<core::Version> versions;
};

struct UpsertDecision {
  UpsertOutcome outcome = UpsertOutcome::kUnchanged;
  core::Paper to_write;  // the record to store when outcome is kUpdated
};

// Decides an upsert of `incoming` over an existing paper. `load_current` reads the full stored
// record (inside the writer's transaction); it is called only on the rare path where an older
// record adds version dates.
Result<UpsertDecision> decide_upsert(const core::Paper& incoming, const StoredSummary& existing,
                                     const std::function<Result<core::Paper>()>& load_current);

// Appends `outcome` to result.outcomes and bumps its counter.
void record_outcome(BatchResult& result, UpsertOutcome outcome);

}  // namespace paperboy::store
