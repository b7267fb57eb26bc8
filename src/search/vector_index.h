// VectorIndex: approximate nearest neighbours over unit-length document vectors (inner product),
// backed by hnswlib. Labels are the store's doc ids. Persisted as one file written atomically
// (temporary file + rename) together with a small sidecar holding the store change sequence it
// reflects; replaying changes is idempotent (re-adding a label replaces its vector), so a crash
// between the two renames only causes a harmless replay. Thread-safe: concurrent searches, updates
// exclusive.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace paperboy::search {

struct VectorIndexOptions {
  int dimension = 256;
  int m = 16;                 // graph degree: recall vs memory
  int ef_construction = 100;  // build-time beam: recall vs build time
  int ef_search = 128;        // query-time beam (at least k)
};

class VectorIndex {
 public:
  // Opens `path` (and `path`.cursor) when present, else an empty index.
  [[nodiscard]] static Result<std::unique_ptr<VectorIndex>> open(const std::string& path, const VectorIndexOptions& options);
  ~VectorIndex();

  [[nodiscard]] std::int64_t cursor() const;
  void set_cursor(std::int64_t cursor);
  // Adds or replaces the vector for `doc_id`. `vector` must have dimension() floats.
  [[nodiscard]] Status upsert(std::int64_t doc_id, const std::vector<float>& vector);
  // Adds many vectors using `threads` threads (bulk build).
  [[nodiscard]] Status upsert_many(const std::vector<std::pair<std::int64_t, std::vector<float>>>& items, int threads);
  // The `k` nearest doc ids with their inner products, best first.
  [[nodiscard]] std::vector<std::pair<std::int64_t, float>> search(const std::vector<float>& query, int k) const;
  // The stored vector of `doc_id`, or empty.
  [[nodiscard]] std::vector<float> vector_of(std::int64_t doc_id) const;
  [[nodiscard]] size_t size() const;
  [[nodiscard]] int dimension() const { return options_.dimension; }
  // Writes the index and its cursor atomically; a no-op when nothing changed since the last save.
  [[nodiscard]] Status save();

 private:
  struct Impl;
  explicit VectorIndex(std::unique_ptr<Impl> impl, VectorIndexOptions options);
  std::unique_ptr<Impl> impl_;
  VectorIndexOptions options_;
};

}  // namespace paperboy::search
