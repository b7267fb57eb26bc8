// Encoder: turns text (a paper's title and abstract, or a query) into a unit-length dense vector
// whose inner products measure topical similarity. The default implementation is LsaEncoder,
// trained in-process on the corpus itself; a stronger one (an OpenAI-compatible embeddings
// endpoint a user runs) can plug in behind the same interface. Implementations are immutable once
// built and thread-safe for concurrent encode() calls.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paperboy::search {

// A sparse tf-idf vector: (term index, weight), unit length.
using SparseVector = std::vector<std::pair<int, float>>;

class Encoder {
 public:
  virtual ~Encoder() = default;
  [[nodiscard]] virtual int dimension() const = 0;
  // A unit-length vector of dimension() floats, or an empty vector when the text carries nothing
  // the encoder knows (every word unseen in training).
  [[nodiscard]] virtual std::vector<float> encode(std::string_view text) const = 0;
  // "lsa-256": shown in `paperboy stats` style output and stored with the vectors so that vectors
  // from different encoders are never mixed.
  [[nodiscard]] virtual std::string name() const = 0;
  // The sublinear tf-idf vector of `text` over the encoder's vocabulary (sorted by term index):
  // the lexical half of "similar papers" scoring (similarity.h). Empty for an encoder that has no
  // vocabulary of its own.
  [[nodiscard]] virtual SparseVector tfidf(std::string_view text) const = 0;
};

}  // namespace paperboy::search
