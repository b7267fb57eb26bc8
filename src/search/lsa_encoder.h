// LsaEncoder: latent semantic analysis trained on the corpus itself. Texts become sublinear
// tf-idf vectors over the corpus vocabulary; a truncated SVD of the document-term matrix (computed
// by randomized range finding, Halko-Martinsson-Tropp 2011, Alg. 4.4) gives the term->concept
// projection; a text's vector is its tf-idf vector projected and normalised. Training 141k papers
// takes well under a minute on 2 cores. Used by the search service and `paperboy eval similar`.
// Immutable after training/loading; encode() is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "search/encoder.h"

namespace paperboy::search {

struct LsaOptions {
  int dimension = 256;
  int min_df = 2;                // terms in fewer documents are noise (typos, one-off symbols)
  double max_df_fraction = 0.5;  // terms in more than half the documents carry no topic
  int max_vocabulary = 120000;   // most frequent terms kept beyond that
  int power_iterations = 2;      // sharpens the spectrum; 2 is the usual sweet spot
  std::uint64_t seed = 42;
};

class LsaEncoder final : public Encoder {
 public:
  // Trains on `texts` (each a paper's encoder_text). Fails when the texts share too few terms.
  [[nodiscard]] static Result<std::unique_ptr<LsaEncoder>> train(std::span<const std::string> texts,
                                                                 const LsaOptions& options);
  [[nodiscard]] static Result<std::unique_ptr<LsaEncoder>> load(const std::string& path);
  // Writes atomically (a temporary file renamed over `path`).
  [[nodiscard]] Status save(const std::string& path) const;

  [[nodiscard]] int dimension() const override { return dimension_; }
  [[nodiscard]] std::vector<float> encode(std::string_view text) const override;
  [[nodiscard]] std::string name() const override { return "lsa-" + std::to_string(dimension_); }

  [[nodiscard]] SparseVector tfidf(std::string_view text) const override;
  // The highest-weighted terms of `text`, for building a "more like this" lexical query.
  [[nodiscard]] std::vector<std::string> top_terms(std::string_view text, int count) const;
  [[nodiscard]] size_t vocabulary_size() const { return terms_.size(); }

 private:
  LsaEncoder() = default;
  [[nodiscard]] std::vector<float> project(const SparseVector& v) const;

  int dimension_ = 0;
  std::vector<std::string> terms_;
  struct TermHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Transparent, so query-time lookups take string views without allocating.
  std::unordered_map<std::string, int, TermHash, std::equal_to<>> index_;
  std::vector<float> idf_;
  std::vector<float> projection_;  // terms_.size() x dimension_, row-major
};

}  // namespace paperboy::search
