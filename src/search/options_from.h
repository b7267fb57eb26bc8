// The search part's options from the configuration (the `search` section and the data dir): where
// the indexes live, the vector dimension, candidates and HNSW effort. The option table has held
// every value to its range, so this cannot fail.
#pragma once

#include "config/config.h"
#include "search/search_service.h"

namespace paperboy::search {

// index_dir: search.index_dir, else <data_dir>/index.
[[nodiscard]] SearchOptions search_options_from(const config::Config& config);

}  // namespace paperboy::search
