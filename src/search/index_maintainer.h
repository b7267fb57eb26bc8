// IndexMaintainer: the search service's derived indexes (the FTS5 lexical index, the encoder and
// its vector index, the in-memory ranking index and the speller built beside it) and the work of
// keeping them current with the store: the first build, catching up on changes, training the
// encoder once there are enough papers, persisting the vector graph. Queries read the indexes
// through snapshot(). Thread-safe: one catch_up at a time; snapshot() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "search/search_service.h"

namespace paperboy::store {
class Store;
}

namespace paperboy::search {

class Encoder;
class LexicalIndex;
class PorterTokenizer;
class Speller;
class TermImpactIndex;
class VectorIndex;

// The indexes as they stand at one moment. The pointers keep what they point to alive while a
// query runs, even if the encoder is retrained meanwhile; each is thread-safe for concurrent reads.
struct IndexSnapshot {
  LexicalIndex* lexical = nullptr;                   // always set; lives as long as the maintainer
  std::shared_ptr<const Encoder> encoder;            // null until the store has min_train_docs papers
  std::shared_ptr<const VectorIndex> vectors;        // set with encoder
  std::shared_ptr<const TermImpactIndex> impact;     // null until built (and with RankingIndex::kOff)
  std::shared_ptr<const Speller> speller;            // set with impact, from the same texts
  std::shared_ptr<const PorterTokenizer> tokenizer;  // set with impact
};

class IndexMaintainer {
 public:
  // Opens the indexes under options.index_dir (creating them), brings them up to date with the
  // store and starts the ranking index build options.ranking_index asks for. Keeps a reference
  // to `store`.
  [[nodiscard]] static Result<std::unique_ptr<IndexMaintainer>> open(store::Store& store, const SearchOptions& options);
  // Waits for the ranking index build and writes the vector graph.
  ~IndexMaintainer();
  IndexMaintainer(const IndexMaintainer&) = delete;
  IndexMaintainer& operator=(const IndexMaintainer&) = delete;

  // Applies store changes made since the last call; cheap when nothing changed.
  [[nodiscard]] Status catch_up();
  // The change sequence number the last successful catch_up reached (-1 before the first).
  [[nodiscard]] std::int64_t indexed_seq() const { return indexed_seq_.load(); }
  [[nodiscard]] IndexSnapshot snapshot();

 private:
  IndexMaintainer(store::Store& store, SearchOptions options);
  Status open_indexes();
  Status train_vectors(bool count_first = true);
  Status follow_vectors();
  Status build_ranking_index();
  [[nodiscard]] std::string path(const char* name) const;

  store::Store& store_;
  const SearchOptions options_;
  std::unique_ptr<LexicalIndex> lexical_;
  std::mutex update_mu_;                       // one catch_up at a time
  std::atomic<std::int64_t> indexed_seq_{-1};  // where the last successful catch_up ended
  std::mutex state_mu_;  // guards the pointers below (swapped when the model is trained or the ranking index built)
  std::shared_ptr<const Encoder> encoder_;
  std::shared_ptr<VectorIndex> vectors_;
  std::shared_ptr<TermImpactIndex> impact_;
  std::shared_ptr<const Speller> speller_;
  std::shared_ptr<const PorterTokenizer> tokenizer_;
  std::chrono::steady_clock::time_point last_save_ = std::chrono::steady_clock::now();
  std::jthread ranking_builder_;
};

}  // namespace paperboy::search
