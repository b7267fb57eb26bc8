// How two papers' similarity is scored for "similar papers": a blend of the cosine of their
// sublinear tf-idf vectors (lexical) and of their encoder vectors (semantic). The search service
// re-scores its candidates with this, and `paperboy eval similar` ranks judged pools with the very
// same function, so the evaluation measures what users get. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "search/encoder.h"
#include "search/search_service.h"

namespace paperboy::search {

struct PaperSignature {
  SparseVector tfidf;        // sorted by term index
  std::vector<float> dense;  // unit length, or empty
};

[[nodiscard]] PaperSignature paper_signature(const Encoder& encoder, std::string_view title, std::string_view abstract);

// The weight of the semantic cosine in hybrid mode (lexical weighs 1). Chosen on csfcube-dev
// (see bench/README figures): the blend beats either side alone over a broad range around it.
inline constexpr double kSemanticBlendWeight = 0.5;

// Higher is more similar. kLexical: tf-idf cosine; kSemantic: encoder cosine; kHybrid: the blend.
[[nodiscard]] double paper_similarity(const PaperSignature& a, const PaperSignature& b, Mode mode,
                                      double semantic_weight = kSemanticBlendWeight);

}  // namespace paperboy::search
