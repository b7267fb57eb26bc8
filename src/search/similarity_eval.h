// `paperboy eval similar DIR`: ranks each query paper's judged candidate pool in the layout of
// CSFCube (papers.jsonl, queries.jsonl, qrels.tsv) and reports NDCG at 20% of the pool size with
// graded gains, DCG = g1 + sum_{i>=2} g_i / log2(i), averaged over queries, for each mode. The
// vectors are trained on a corpus file plus the evaluation papers. Single-threaded.
#pragma once

#include <string>

#include "core/status.h"
#include "search/lsa_encoder.h"

namespace paperboy::search {

struct SimilarEvalOptions {
  std::string corpus_path;  // JSON lines (.zst ok) with "title" and "abstract"; empty: eval papers only
  long corpus_limit = 0;    // 0: every corpus line
  LsaOptions lsa;
  double semantic_weight = -1;  // < 0: the product's default blend weight
};

struct SimilarEvalReport {
  double ndcg_lexical = 0;
  double ndcg_semantic = 0;
  double ndcg_hybrid = 0;
  int queries = 0;
  long training_texts = 0;
  double train_seconds = 0;
};

[[nodiscard]] Result<SimilarEvalReport> evaluate_similar(const std::string& dir, const SimilarEvalOptions& options);

// NDCG of `ranked_grades` (the grades in system order) cut at `k`, against the ideal order of
// `all_grades`. DCG = g1 + sum_{i>=2} g_i / log2(i).
[[nodiscard]] double ndcg_at(const std::vector<int>& ranked_grades, std::vector<int> all_grades, size_t k);

}  // namespace paperboy::search
