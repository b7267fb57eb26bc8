// Reciprocal-rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009) of a lexical and a semantic
// ranking into one: score(d) = sum over rankings of 1 / (k + rank(d)). Rank fusion needs no score
// calibration between BM25 and cosine, which differ in scale per query. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "search/search_service.h"

namespace paperboy::search {

// Each input: (doc id, that side's score), best first. Output best first; ties by doc id. The
// semantic side's terms are multiplied by `semantic_weight`.
[[nodiscard]] std::vector<SearchHit> fuse_rrf(const std::vector<std::pair<std::int64_t, double>>& lexical,
                                              const std::vector<std::pair<std::int64_t, double>>& semantic, int k,
                                              double semantic_weight = 1.0);

}  // namespace paperboy::search
