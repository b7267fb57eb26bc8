#include "search/options_from.h"

#include <filesystem>

namespace paperboy::search {

SearchOptions search_options_from(const config::Config& config) {
  const auto& s = config.search;
  SearchOptions o;
  o.index_dir = s.index_dir.empty() ? (std::filesystem::path(config.data_dir) / "index").string() : s.index_dir;
  o.dimension = s.dimension;
  o.min_train_docs = s.min_train_docs;
  o.candidates = s.candidates;
  o.hnsw_ef_search = s.ef_search;
  o.persist_interval_seconds = s.persist_interval_seconds;
  return o;
}

}  // namespace paperboy::search
