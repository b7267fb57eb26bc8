#include "search/similarity.h"

#include "search/text_analyzer.h"

namespace paperboy::search {

PaperSignature paper_signature(const Encoder& encoder, std::string_view title, std::string_view abstract) {
  const std::string text = encoder_text(title, abstract);
  PaperSignature s;
  s.tfidf = encoder.tfidf(text);
  s.dense = encoder.encode(text);
  return s;
}

namespace {

double sparse_dot(const SparseVector& a, const SparseVector& b) {
  double sum = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      sum += static_cast<double>(a[i].second) * b[j].second;
      ++i;
      ++j;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return sum;
}

double dense_dot(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  double sum = 0;
  for (size_t k = 0; k < a.size(); ++k) sum += static_cast<double>(a[k]) * b[k];
  return sum;
}

}  // namespace

double paper_similarity(const PaperSignature& a, const PaperSignature& b, Mode mode, double semantic_weight) {
  switch (mode) {
    case Mode::kLexical: return sparse_dot(a.tfidf, b.tfidf);
    case Mode::kSemantic: return dense_dot(a.dense, b.dense);
    case Mode::kHybrid: return sparse_dot(a.tfidf, b.tfidf) + semantic_weight * dense_dot(a.dense, b.dense);
  }
  return 0;
}

}  // namespace paperboy::search
