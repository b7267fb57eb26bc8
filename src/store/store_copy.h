// Copying one store into another and proving the copy: `paperboy migrate --from sqlite:PATH --to
// postgresql://...` runs these. Works between any two Store implementations through the Store
// interface alone: papers travel in change-sequence order in batches, each with its full version
// history, through the target's ordinary upsert (so the target assigns its own doc ids and change
// sequence), then every state entry. Not thread-safe; one copy at a time per target.
#pragma once

#include <cstdint>
#include <functional>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

// A summary of a store's content that two backends agree on exactly when they hold the same papers
// (every field and version) and the same state. Order-independent.
struct StoreDigest {
  std::int64_t papers = 0;
  std::int64_t state_entries = 0;
  std::uint64_t papers_checksum = 0;  // sum of Paper::content_hash() over all papers, mod 2^64
  std::uint64_t state_checksum = 0;   // sum of XXH3(key, value) over all entries, mod 2^64
  bool operator==(const StoreDigest&) const = default;
};

Result<StoreDigest> digest_store(Store& store, int batch_size = 2000);

struct CopyOptions {
  int batch_size = 1000;
  // Copy into a target that already holds papers or state (upserts merge under the version rules).
  bool allow_non_empty_target = false;
  // Called after each batch with the number of papers copied so far.
  std::function<void(std::int64_t)> on_progress;
};

struct CopyReport {
  BatchResult totals;  // outcomes summed over all batches (outcomes vector left empty)
  std::int64_t state_entries = 0;
  StoreDigest source, target;
  // Papers of the source missing from the target or different there, and state likewise.
  std::int64_t missing_or_different_papers = 0;
  std::int64_t missing_or_different_state = 0;
  [[nodiscard]] bool verified() const { return missing_or_different_papers == 0 && missing_or_different_state == 0; }
};

// Copies everything from `source` into `target`, then verifies paper by paper and entry by entry.
// Refuses (kAlreadyExists) a target that is not empty unless options.allow_non_empty_target.
Result<CopyReport> copy_store(Store& source, Store& target, const CopyOptions& options = {});

}  // namespace paperboy::store
