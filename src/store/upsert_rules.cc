#include "store/upsert_rules.h"

namespace paperboy::store {

Result<UpsertDecision> decide_upsert(const core::Paper& incoming, const StoredSummary& existing,
                                     const std::function<Result<core::Paper>()>& load_current) {
  UpsertDecision out;
  bool incoming_is_older =
      incoming.latest_version() < existing.latest_version ||
      (incoming.latest_version() == existing.latest_version && incoming.update_date < existing.update_date);
  if (incoming_is_older) {
    // Never overwrite newer metadata; only learn version dates we did not have.
    auto merged = core::merge_versions(existing.versions, incoming.versions);
    if (merged == existing.versions) {
      out.outcome = UpsertOutcome::kStale;
      return out;
    }
    auto current = load_current();
    if (!current) return fail(current.error());
    out.to_write = std::move(*current);
    out.to_write.versions = std::move(merged);
    out.outcome = UpsertOutcome::kUpdated;
    return out;
  }
  out.to_write = incoming;
  out.to_write.versions = core::merge_versions(incoming.versions, existing.versions);
  out.outcome = out.to_write.content_hash() == existing.content_hash ? UpsertOutcome::kUnchanged
                                                                      : UpsertOutcome::kUpdated;
  return out;
}

void record_outcome(BatchResult& result, UpsertOutcome outcome) {
  result.outcomes.push_back(outcome);
  switch (outcome) {
    case UpsertOutcome::kInserted: ++result.inserted; break;
    case UpsertOutcome::kUpdated: ++result.updated; break;
    case UpsertOutcome::kUnchanged: ++result.unchanged; break;
    case UpsertOutcome::kStale: ++result.stale; break;
  }
}

}  // namespace paperboy::store
