// Bulk ingestion of arXiv metadata snapshot files (JSON lines, the layout of
// arxiv-metadata-oai-snapshot.json; plain, .gz or .zst) into the store: streaming, batched
// transactions, per-file resume checkpoints committed with each batch, bad lines reported with
// file and line and skipped. Used by `paperboy ingest` and by `paperboy serve` for the demo data.
// One call at a time per store; the stop flag may be set from a signal handler.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::ingest {

struct IngestOptions {
  int batch_size = 5000;                       // papers per transaction
  bool resume = true;                          // continue from a file's checkpoint when present
  bool progress_bar = false;                   // a live bar (terminal) instead of periodic log lines
  const std::atomic<bool>* stop = nullptr;     // set to stop cleanly after the current batch
  std::function<void(const std::string&)> on_reject;  // each rejected line's message; default logs it
};

struct IngestSummary {
  std::int64_t read = 0;  // lines read (excluding blank lines)
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t stale = 0;     // older than what the store has
  std::int64_t rejected = 0;  // malformed lines, skipped
  std::int64_t skipped_by_resume = 0;  // lines passed over because an earlier run stored them
  bool interrupted = false;
  double seconds = 0;
};

// Ingests each file in turn. Fails only when a file cannot be opened/read at all or the store
// fails; bad records are counted in `rejected`.
[[nodiscard]] Result<IngestSummary> ingest_snapshot_files(store::Store& store, const std::vector<std::string>& files,
                                                          const IngestOptions& options);

}  // namespace paperboy::ingest
