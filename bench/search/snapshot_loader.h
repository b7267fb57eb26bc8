// Loads arXiv snapshot JSON lines into memory for the search tests and benchmarks, through
// src/ingest's line reader and record parser (bad lines are skipped), and stores them in batches.
// Real ingestion, with checkpoints and reporting, is ingest::ingest_snapshot_files. Single-threaded.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/paper.h"
#include "core/status.h"
#include "store/store.h"

namespace paperboy::bench {

// Reads up to `limit` papers (0: all) from `path` (.zst ok).
[[nodiscard]] Result<std::vector<core::Paper>> read_snapshot_papers(const std::string& path, long limit = 0);

// Stores `papers` in batches of `batch` (WriteBatch via Store::apply).
[[nodiscard]] Status store_papers(store::Store& store, const std::vector<core::Paper>& papers, size_t batch = 5000);

// The shared corpus beside the repository (../shared/corpus/arxiv-cs-141k.jsonl.zst), or "" when absent.
[[nodiscard]] std::string shared_corpus_path();

}  // namespace paperboy::bench
