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

struct IngestSummary;

struct IngestOptions {
  int batch_size = 5000;                       // papers per transaction
  bool resume = true;                          // continue from a file's checkpoint when present
  bool progress_bar = false;                   // a live bar (terminal) instead of periodic log lines
  const std::atomic<bool>* stop = nullptr;     // set to stop cleanly after the current batch
  // Each rejected line as "FILE:LINE: message", called on the caller's thread after the batch holding
  // the line commits. Default: a warning in the log (the first 100 per call, then a count).
  std::function<void(const std::string&)> on_reject;
  // Called on the caller's thread after each committed batch with the running totals (tests use
  // it to interrupt at a known point; a UI could show it).
  std::function<void(const IngestSummary&)> on_batch_committed;
};

struct IngestSummary {
  std::int64_t read = 0;  // lines read (excluding blank lines)
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t stale = 0;     // older than what the store has
  std::int64_t rejected = 0;  // malformed lines, skipped
  std::int64_t skipped_by_resume = 0;  // records passed over because an earlier run stored them
  std::int64_t batches = 0;            // transactions committed
  bool interrupted = false;
  double seconds = 0;
};

// The state key under which a file's resume checkpoint is kept: "ingest.checkpoint:<absolute path>".
[[nodiscard]] std::string checkpoint_key(const std::string& path);

// Ingests each file in turn. Fails only when a file cannot be opened/read at all or the store
// fails; bad records are counted in `rejected`.
[[nodiscard]] Result<IngestSummary> ingest_snapshot_files(store::Store& store, const std::vector<std::string>& files,
                                                          const IngestOptions& options);

}  // namespace paperboy::ingest
