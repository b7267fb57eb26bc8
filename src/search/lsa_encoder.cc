#include "search/lsa_encoder.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "search/text_analyzer.h"

namespace paperboy::search {
namespace {

using DenseMatrix = Eigen::MatrixXf;
using SparseRows = Eigen::SparseMatrix<float, Eigen::RowMajor>;

constexpr std::uint32_t kMagic = 0x4c534131;  // "LSA1"

// Orthonormalises the columns of `y` in place by Cholesky QR, done twice ("CholeskyQR2",
// Fukaya et al. 2014): two Gram products are much cheaper than Householder QR on a tall matrix, and
// the second pass restores the orthogonality the first loses to rounding. The Gram matrix is
// formed in double precision.
void orthonormalise(DenseMatrix& y) {
  for (int pass = 0; pass < 2; ++pass) {
    Eigen::MatrixXd gram = (y.transpose() * y).cast<double>();
    gram.diagonal().array() += 1e-6 * std::max(1.0, gram.diagonal().maxCoeff());
    Eigen::LLT<Eigen::MatrixXd> llt(gram);
    Eigen::MatrixXf r_inv = llt.matrixU().solve(Eigen::MatrixXd::Identity(gram.rows(), gram.cols())).cast<float>();
    y = y * r_inv;
  }
}

std::vector<std::pair<int, int>> count_ids(std::vector<int>& ids) {
  std::sort(ids.begin(), ids.end());
  std::vector<std::pair<int, int>> counts;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    counts.emplace_back(ids[i], static_cast<int>(j - i));
    i = j;
  }
  return counts;
}

template <typename Index>
std::vector<std::pair<int, int>> count_terms(const std::vector<std::string>& words, const Index& index) {
  std::vector<int> ids;
  ids.reserve(words.size());
  for (const auto& w : words) {
    auto it = index.find(w);
    if (it != index.end()) ids.push_back(it->second);
  }
  return count_ids(ids);
}

template <typename T>
void write_pod(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <typename T>
bool read_pod(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof(T)));
}

}  // namespace

Result<std::unique_ptr<LsaEncoder>> LsaEncoder::train(std::span<const std::string> texts, const LsaOptions& options) {
  const size_t n = texts.size();
  std::vector<std::vector<std::string>> docs(n);
  std::unordered_map<std::string, int> df;
  for (size_t i = 0; i < n; ++i) {
    docs[i] = analyze(texts[i]);
    std::vector<std::string> uniq = docs[i];
    std::sort(uniq.begin(), uniq.end());
    uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
    for (auto& w : uniq) ++df[w];
  }
  const auto max_df = static_cast<int>(std::max(2.0, options.max_df_fraction * static_cast<double>(n)));
  std::vector<std::pair<int, std::string>> kept;
  for (auto& [w, c] : df) {
    if (c >= options.min_df && c <= max_df) kept.emplace_back(c, w);
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  if (std::cmp_greater(kept.size(), options.max_vocabulary)) kept.resize(static_cast<size_t>(options.max_vocabulary));
  const int dim = options.dimension;
  if (kept.size() < static_cast<size_t>(dim) + 8 || n < 2) {
    return fail(Status::invalid_argument("LSA training: " + std::to_string(n) + " texts share only " +
                                         std::to_string(kept.size()) + " terms; need more than " +
                                         std::to_string(dim + 8) + " for " + std::to_string(dim) + " dimensions"));
  }

  std::unique_ptr<LsaEncoder> enc(new LsaEncoder());
  enc->dimension_ = dim;
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  for (auto& [c, w] : kept) {
    enc->index_.emplace(w, static_cast<int>(enc->terms_.size()));
    enc->terms_.push_back(w);
    enc->idf_.push_back(static_cast<float>(std::log(static_cast<double>(n + 1) / (c + 1)) + 1.0));
  }
  const auto vocab = static_cast<Eigen::Index>(enc->terms_.size());

  // The document-term matrix of unit-length sublinear tf-idf rows.
  std::vector<Eigen::Triplet<float>> triplets;
  for (size_t i = 0; i < n; ++i) {
    auto counts = count_terms(docs[i], enc->index_);
    double norm = 0;
    std::vector<float> w(counts.size());
    for (size_t k = 0; k < counts.size(); ++k) {
      w[k] = static_cast<float>((1.0 + std::log(counts[k].second)) * enc->idf_[static_cast<size_t>(counts[k].first)]);
      norm += static_cast<double>(w[k]) * w[k];
    }
    if (norm <= 0) continue;
    auto inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (size_t k = 0; k < counts.size(); ++k) triplets.emplace_back(static_cast<int>(i), counts[k].first, w[k] * inv);
    docs[i] = {};
  }
  SparseRows a(static_cast<Eigen::Index>(n), vocab);
  a.setFromTriplets(triplets.begin(), triplets.end());
  triplets = {};

  // Randomized range finder with power iterations, then the small SVD of B = Q^T A via B B^T.
  const int width = std::min<int>(dim + 16, static_cast<int>(std::min<Eigen::Index>(vocab, static_cast<Eigen::Index>(n))));
  std::mt19937_64 rng(options.seed);
  std::normal_distribution<float> gauss(0.0F, 1.0F);
  DenseMatrix omega(vocab, width);
  for (Eigen::Index j = 0; j < omega.cols(); ++j) {
    for (Eigen::Index i = 0; i < omega.rows(); ++i) omega(i, j) = gauss(rng);
  }
  DenseMatrix q = a * omega;
  omega = DenseMatrix();
  orthonormalise(q);
  for (int it = 0; it < options.power_iterations; ++it) {
    DenseMatrix z = a.transpose() * q;
    orthonormalise(z);
    q = a * z;
    orthonormalise(q);
  }
  DenseMatrix bt = a.transpose() * q;  // vocab x width = B^T
  Eigen::MatrixXd bbt = (bt.transpose() * bt).cast<double>();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(bbt);
  // Eigenvalues ascend; the top `dim` give the leading singular vectors: V_k = B^T U_k S_k^-1.
  // With fewer texts than dimensions (min_train_docs may be below dimension) there are only
  // `width` singular vectors: the remaining dimensions stay zero instead of reading before the
  // first eigenvalue.
  DenseMatrix proj = DenseMatrix::Zero(vocab, dim);
  for (int k = 0; k < std::min<int>(dim, static_cast<int>(eig.eigenvalues().size())); ++k) {
    Eigen::Index col = eig.eigenvalues().size() - 1 - k;
    double sigma = std::sqrt(std::max(eig.eigenvalues()(col), 1e-12));
    Eigen::VectorXf u = (eig.eigenvectors().col(col) / sigma).cast<float>();
    proj.col(k) = bt * u;
  }
  enc->projection_.resize(static_cast<size_t>(vocab) * static_cast<size_t>(dim));
  for (Eigen::Index t = 0; t < vocab; ++t) {
    for (int k = 0; k < dim; ++k) enc->projection_[static_cast<size_t>(t) * static_cast<size_t>(dim) + static_cast<size_t>(k)] = proj(t, k);
  }
  return enc;
}

SparseVector LsaEncoder::tfidf(std::string_view text) const {
  std::vector<int> ids;
  for_each_term(text, [&](std::string_view w) {
    auto it = index_.find(w);
    if (it != index_.end()) ids.push_back(it->second);
  });
  auto counts = count_ids(ids);
  SparseVector v;
  v.reserve(counts.size());
  double norm = 0;
  for (auto [t, c] : counts) {
    auto w = static_cast<float>((1.0 + std::log(c)) * idf_[static_cast<size_t>(t)]);
    v.emplace_back(t, w);
    norm += static_cast<double>(w) * w;
  }
  if (norm > 0) {
    auto inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (auto& [t, w] : v) w *= inv;
  }
  return v;
}

std::vector<float> LsaEncoder::project(const SparseVector& v) const {
  if (v.empty()) return {};
  std::vector<float> out(static_cast<size_t>(dimension_), 0.0F);
  const auto d = static_cast<size_t>(dimension_);
  for (auto [t, w] : v) {
    const float* row = projection_.data() + static_cast<size_t>(t) * d;
    for (size_t k = 0; k < d; ++k) out[k] += w * row[k];
  }
  double norm = 0;
  for (float x : out) norm += static_cast<double>(x) * x;
  if (norm <= 0) return {};
  auto inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& x : out) x *= inv;
  return out;
}

std::vector<float> LsaEncoder::encode(std::string_view text) const { return project(tfidf(text)); }

std::vector<std::string> LsaEncoder::top_terms(std::string_view text, int count) const {
  SparseVector v = tfidf(text);
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size() && std::cmp_less(out.size(), count); ++i) out.push_back(terms_[static_cast<size_t>(v[i].first)]);
  return out;
}

Status LsaEncoder::save(const std::string& path) const {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::io_error("cannot write " + tmp);
    write_pod(out, kMagic);
    write_pod(out, static_cast<std::int32_t>(dimension_));
    write_pod(out, static_cast<std::int64_t>(terms_.size()));
    for (size_t i = 0; i < terms_.size(); ++i) {
      write_pod(out, static_cast<std::uint32_t>(terms_[i].size()));
      out.write(terms_[i].data(), static_cast<std::streamsize>(terms_[i].size()));
      write_pod(out, idf_[i]);
    }
    out.write(reinterpret_cast<const char*>(projection_.data()), static_cast<std::streamsize>(projection_.size() * sizeof(float)));
    out.flush();
    if (!out) return Status::io_error("writing " + tmp + " failed (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::io_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
  return Status::ok();
}

Result<std::unique_ptr<LsaEncoder>> LsaEncoder::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Status::not_found("no encoder model at " + path));
  std::uint32_t magic = 0;
  std::int32_t dim = 0;
  std::int64_t vocab = 0;
  auto corrupt = [&](const std::string& what) {
    return fail(Status::io_error(path + ": corrupt encoder model (" + what + "); run `paperboy reindex`"));
  };
  if (!read_pod(in, magic) || magic != kMagic) return corrupt("bad magic");
  if (!read_pod(in, dim) || !read_pod(in, vocab) || dim <= 0 || dim > 4096 || vocab <= 0 || vocab > 10'000'000) {
    return corrupt("bad header");
  }
  std::unique_ptr<LsaEncoder> enc(new LsaEncoder());
  enc->dimension_ = dim;
  enc->terms_.reserve(static_cast<size_t>(vocab));
  for (std::int64_t i = 0; i < vocab; ++i) {
    std::uint32_t len = 0;
    float idf = 0;
    if (!read_pod(in, len) || len > 1024) return corrupt("bad term");
    std::string term(len, '\0');
    if (!in.read(term.data(), len) || !read_pod(in, idf)) return corrupt("truncated vocabulary");
    enc->index_.emplace(term, static_cast<int>(i));
    enc->terms_.push_back(std::move(term));
    enc->idf_.push_back(idf);
  }
  enc->projection_.resize(static_cast<size_t>(vocab) * static_cast<size_t>(dim));
  if (!in.read(reinterpret_cast<char*>(enc->projection_.data()), static_cast<std::streamsize>(enc->projection_.size() * sizeof(float)))) {
    return corrupt("truncated projection");
  }
  return enc;
}

}  // namespace paperboy::search
