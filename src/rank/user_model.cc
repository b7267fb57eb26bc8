// The personal recommendation model, UserModel (see recommender.h for its two stages): training,
// calibration, scoring and reasons. Pure computation over papers and vectors.
#include "rank/recommender.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "core/time.h"

namespace paperboy::rank {
namespace {

using Clock = std::chrono::steady_clock;

// The affinity blends the nearest liked paper (sharp interests) with the centroid (the overall
// taste): the nearest alone over-rewards near-duplicates of one like.
constexpr double kNearestWeight = 0.6;
// Generative prior with few likes: liked papers are assumed this many background standard
// deviations above the background mean, worth this many pseudo-observations.
constexpr double kPriorSeparation = 3.0;
constexpr double kPriorStrength = 3.0;
// Fixed log-odds of the lexical features in the generative stage.
constexpr double kSharedAuthorLogit = 1.2;
constexpr double kCategoryLogit = 1.0;
constexpr double kFollowedLogit = 1.0;
constexpr int kReasonLiked = 2;
constexpr int kReasonTerms = 3;
constexpr int kLexicalFeatures = 3;  // shared authors, category affinity, follows

double dot(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size() || a.empty()) return 0;
  const auto n = static_cast<Eigen::Index>(a.size());
  return Eigen::Map<const Eigen::VectorXf>(a.data(), n).dot(Eigen::Map<const Eigen::VectorXf>(b.data(), n));
}

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

std::vector<float> normalised(std::vector<double> sum) {
  double n = 0;
  for (double x : sum) n += x * x;
  std::vector<float> out;
  if (n <= 0) return out;
  n = std::sqrt(n);
  for (double x : sum) out.push_back(static_cast<float>(x / n));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "hinton|g": family name and first initial, so "G. Hinton" and "Geoffrey Hinton" meet.
std::string author_key(const core::Author& a) {
  std::string key = lower(a.keyname) + "|";
  if (!a.forenames.empty()) key += static_cast<char>(std::tolower(static_cast<unsigned char>(a.forenames[0])));
  return key;
}

bool is_stopword(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "with",   "from",    "that",    "this",   "using",   "based",  "towards",   "toward",   "into",    "over",
      "under",  "their",   "these",   "those",  "than",    "when",   "where",     "which",    "while",   "what",
      "via",    "about",   "through", "across", "between", "beyond", "without",   "within",   "study",   "approach",
      "method", "methods", "model",   "models", "paper",   "novel",  "efficient", "learning", "towards", "more"};
  return kStop.contains(w);
}

// Lower-cased words of at least four letters, stopwords left out, in order of appearance.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  auto flush = [&] {
    if (w.size() >= 4 && !is_stopword(w) && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    w.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

struct MeanSd {
  double mean = 0, sd = 0;
  size_t n = 0;
};

MeanSd mean_sd(const std::vector<double>& xs) {
  MeanSd m;
  m.n = xs.size();
  if (xs.empty()) return m;
  m.mean = std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
  double v = 0;
  for (double x : xs) v += (x - m.mean) * (x - m.mean);
  m.sd = std::sqrt(v / static_cast<double>(xs.size()));
  return m;
}

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Balanced, L2-regularised logistic regression by Adam on the full batch: small problems (a few
// hundred rows of a few hundred features), where this converges in tens of steps. `x` holds one
// row per example.
void fit_logistic(const RowMatrix& x, const Eigen::VectorXf& y, double l2, int iterations, Eigen::VectorXf& w,
                  float& b) {
  const auto n = static_cast<float>(x.rows());
  w = Eigen::VectorXf::Zero(x.cols());
  b = 0;
  const float pos = y.sum(), neg = n - pos;
  if (pos == 0 || neg == 0) return;
  // Each class weighs half: the even prior the generative stage also uses.
  const Eigen::ArrayXf weight = (y.array() * (n / (2 * pos))) + ((1 - y.array()) * (n / (2 * neg)));
  Eigen::ArrayXf m = Eigen::ArrayXf::Zero(x.cols()), v = Eigen::ArrayXf::Zero(x.cols());
  float mb = 0, vb = 0;
  constexpr float kRate = 0.05F, kB1 = 0.9F, kB2 = 0.999F, kEps = 1e-8F;
  for (int t = 1; t <= iterations; ++t) {
    Eigen::ArrayXf z = (x * w).array() + b;
    Eigen::VectorXf err = ((1 / (1 + (-z).exp())) - y.array()) * weight;
    Eigen::ArrayXf g = (x.transpose() * err).array() / n + static_cast<float>(l2) * w.array() / n;
    const float gb = err.sum() / n;
    const float c1 = 1 - std::pow(kB1, static_cast<float>(t)), c2 = 1 - std::pow(kB2, static_cast<float>(t));
    m = kB1 * m + (1 - kB1) * g;
    v = kB2 * v + (1 - kB2) * g * g;
    w.array() -= kRate * (m / c1) / ((v / c2).sqrt() + kEps);
    mb = kB1 * mb + (1 - kB1) * gb;
    vb = kB2 * vb + (1 - kB2) * gb * gb;
    b -= kRate * (mb / c1) / (std::sqrt(vb / c2) + kEps);
  }
}

}  // namespace

std::string RecommendationReason::text() const {
  std::string out;
  auto quoted = [](const std::string& t) { return "\u201c" + t + "\u201d"; };
  if (!similar_liked.empty()) {
    out = "Similar to " + quoted(similar_liked[0].title);
    if (similar_liked.size() > 1) out += " and " + quoted(similar_liked[1].title);
    out += ", which you liked";
  }
  auto add = [&](const std::string& label, const std::vector<std::string>& items) {
    if (items.empty()) return;
    std::string list;
    for (const auto& i : items) list += (list.empty() ? "" : ", ") + i;
    out += (out.empty() ? "" : "; ") + label + list;
  };
  add("shared authors: ", shared_authors);
  add("shared terms: ", shared_terms);
  add("you follow ", followed);
  return out.empty() ? "Recent in what you follow" : out;
}

Result<UserModel> UserModel::train(std::vector<PaperVector> liked, std::span<const PaperRef> background,
                                   std::vector<std::string> followed_categories,
                                   std::vector<std::string> followed_authors, const RecommenderOptions& options) {
  if (liked.empty() && followed_categories.empty() && followed_authors.empty()) {
    return fail(Status::invalid_argument("recommendations need at least one liked paper or follow"));
  }
  if (std::cmp_greater(liked.size(), options.max_likes)) liked.resize(static_cast<size_t>(options.max_likes));
  UserModel m;
  m.liked_ = std::move(liked);
  m.followed_categories_ = std::move(followed_categories);
  for (const auto& a : followed_authors) m.followed_authors_.push_back(lower(a));
  for (const auto& l : m.liked_) {
    if (!l.vector.empty()) m.dimension_ = static_cast<int>(l.vector.size());
    std::unordered_set<std::string> seen;
    for (const auto& a : l.paper.authors) {
      if (options.author_signals && seen.insert(author_key(a)).second) ++m.author_likes_[author_key(a)];
    }
    if (!l.paper.categories.empty()) ++m.category_likes_[l.paper.primary_category()];
  }
  std::vector<double> sum(static_cast<size_t>(m.dimension_), 0.0);
  for (size_t k = 0; k < m.liked_.size(); ++k) {
    const auto& v = m.liked_[k].vector;
    if (std::cmp_not_equal(v.size(), m.dimension_) || m.dimension_ == 0) continue;
    m.matrix_rows_.push_back(k);
    m.liked_matrix_.insert(m.liked_matrix_.end(), v.begin(), v.end());
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += v[i];
  }
  m.centroid_ = normalised(sum);
  const auto n_pos = static_cast<Eigen::Index>(m.matrix_rows_.size());
  const Eigen::Map<const RowMatrix> liked_rows(m.liked_matrix_.data(), n_pos, m.dimension_);

  // Generative calibration: background affinities against leave-one-out affinities of the likes.
  std::vector<double> neg, pos;
  for (const auto& b : background) {
    if (std::cmp_equal(b.vector.size(), m.dimension_) && m.dimension_ > 0) neg.push_back(m.affinity(b.vector));
  }
  if (n_pos >= 2) {
    // With unit vectors l_i and s = sum of them: the nearest other like is the row maximum of the
    // Gram matrix off its diagonal, and the cosine to the centroid of the others is
    // (l_i.s - 1) / |s - l_i|, where |s - l_i|^2 = |s|^2 - 2 l_i.s + 1.
    RowMatrix gram = liked_rows * liked_rows.transpose();
    Eigen::VectorXf dot_sum = gram.rowwise().sum();
    const double sum_sq = dot_sum.sum();
    gram.diagonal().setConstant(-2);
    for (Eigen::Index i = 0; i < n_pos; ++i) {
      const double rest_sq = sum_sq - 2 * dot_sum(i) + 1;
      const double to_rest = rest_sq > 1e-12 ? (dot_sum(i) - 1) / std::sqrt(rest_sq) : 0;
      pos.push_back(kNearestWeight * gram.row(i).maxCoeff() + (1 - kNearestWeight) * to_rest);
    }
  }
  MeanSd bn = mean_sd(neg);
  if (bn.n < 2 || bn.sd <= 1e-6) bn = {0.1, 0.1, 0};  // no stream to compare with: a vague default
  MeanSd lp = mean_sd(pos);
  const double prior = bn.mean + kPriorSeparation * bn.sd;
  const double mean_pos =
      (lp.mean * static_cast<double>(lp.n) + prior * kPriorStrength) / (static_cast<double>(lp.n) + kPriorStrength);
  double var = kPriorStrength * bn.sd * bn.sd;
  for (double x : pos) var += (x - mean_pos) * (x - mean_pos);
  for (double x : neg) var += (x - bn.mean) * (x - bn.mean);
  var /= static_cast<double>(pos.size() + neg.size()) + kPriorStrength;
  // Equal-variance Gaussians give a logistic in the affinity (linear discriminant analysis).
  m.slope_ = std::max(mean_pos - bn.mean, 1e-3) / std::max(var, 1e-6);
  m.midpoint_ = (mean_pos + bn.mean) / 2;

  // Discriminative stage once there are enough likes.
  if (n_pos >= options.min_likes_discriminative && !neg.empty()) {
    std::vector<const PaperRef*> negatives;
    for (const auto& b : background) {
      if (std::cmp_equal(b.vector.size(), m.dimension_) && b.paper != nullptr && !m.is_liked(b.paper->id)) {
        negatives.push_back(&b);
      }
    }
    RowMatrix x(n_pos + static_cast<Eigen::Index>(negatives.size()), m.dimension_ + kLexicalFeatures);
    Eigen::VectorXf y = Eigen::VectorXf::Zero(x.rows());
    for (Eigen::Index i = 0; i < n_pos; ++i) {
      const PaperVector& l = m.liked_[m.matrix_rows_[static_cast<size_t>(i)]];
      m.features(l.vector, m.lexical(l.paper, &l, nullptr), x.row(i).data());
      y(i) = 1;
    }
    for (size_t k = 0; k < negatives.size(); ++k) {
      m.features(negatives[k]->vector, m.lexical(*negatives[k]->paper, nullptr, nullptr),
                 x.row(n_pos + static_cast<Eigen::Index>(k)).data());
    }
    Eigen::VectorXf w;
    float b = 0;
    fit_logistic(x, y, options.l2, options.iterations, w, b);
    // Folded so that scoring is one dot product with the raw vector plus the lexical terms.
    const float scale = std::sqrt(static_cast<float>(m.dimension_));
    m.vector_weights_.resize(static_cast<size_t>(m.dimension_));
    for (int i = 0; i < m.dimension_; ++i) m.vector_weights_[static_cast<size_t>(i)] = w(i) * scale;
    for (int i = 0; i < kLexicalFeatures; ++i) m.lexical_weights_[static_cast<size_t>(i)] = w(m.dimension_ + i);
    m.bias_ = b;
    m.blend_ = static_cast<double>(n_pos) / (static_cast<double>(n_pos) + options.discriminative_half);
  }
  return m;
}

Eigen::VectorXf UserModel::similarities(std::span<const float> vector) const {
  const Eigen::Map<const RowMatrix> liked(liked_matrix_.data(), static_cast<Eigen::Index>(matrix_rows_.size()),
                                          dimension_);
  return liked * Eigen::Map<const Eigen::VectorXf>(vector.data(), dimension_);
}

double UserModel::affinity(std::span<const float> vector) const {
  if (centroid_.empty() || std::cmp_not_equal(vector.size(), dimension_)) return 0;
  const double nearest = similarities(vector).maxCoeff();
  return kNearestWeight * nearest + (1 - kNearestWeight) * dot(vector, centroid_);
}

bool UserModel::is_liked(const std::string& paper_id) const {
  return std::any_of(liked_.begin(), liked_.end(), [&](const PaperVector& l) { return l.paper.id == paper_id; });
}

UserModel::Lexical UserModel::lexical(const core::Paper& paper, const PaperVector* except,
                                      RecommendationReason* reason) const {
  Lexical f;
  std::unordered_set<std::string> except_authors;
  if (except != nullptr) {
    for (const auto& a : except->paper.authors) except_authors.insert(author_key(a));
  }
  for (const auto& a : paper.authors) {
    auto it = author_likes_.find(author_key(a));
    int n = it == author_likes_.end() ? 0 : it->second - (except_authors.contains(author_key(a)) ? 1 : 0);
    if (n > 0) {
      f.shared_authors = std::min(2.0, f.shared_authors + 1);
      if (reason != nullptr && reason->shared_authors.size() < 3) reason->shared_authors.push_back(a.display_name());
    }
    if (std::find(followed_authors_.begin(), followed_authors_.end(), lower(a.keyname)) != followed_authors_.end()) {
      f.followed = std::min(2.0, f.followed + 1);
      if (reason != nullptr) reason->followed.push_back(a.display_name());
    }
  }
  const double likes = static_cast<double>(liked_.size()) - (except != nullptr ? 1 : 0);
  if (!paper.categories.empty() && likes > 0) {
    auto it = category_likes_.find(paper.primary_category());
    double n = it == category_likes_.end() ? 0 : it->second;
    if (except != nullptr && !except->paper.categories.empty() &&
        except->paper.primary_category() == paper.primary_category())
      --n;
    f.category_affinity = n / likes;
  }
  for (const auto& c : paper.categories) {
    if (std::find(followed_categories_.begin(), followed_categories_.end(), c) != followed_categories_.end()) {
      f.followed = std::min(2.0, f.followed + 1);
      if (reason != nullptr) reason->followed.push_back(c);
      break;
    }
  }
  return f;
}

double UserModel::lexical_logit(const Lexical& f) const {
  // Category affinity is centred: a paper outside every liked category loses as much as one in
  // the only liked category gains.
  const double category = liked_.empty() ? 0 : kCategoryLogit * (f.category_affinity - 0.5);
  return kSharedAuthorLogit * f.shared_authors + category + kFollowedLogit * f.followed;
}

void UserModel::features(std::span<const float> vector, const Lexical& f, float* row) const {
  // Vector components are ~1/sqrt(d) in size: scaled to ~1 like the lexical features.
  const float scale = std::sqrt(static_cast<float>(std::max(dimension_, 1)));
  for (int i = 0; i < dimension_; ++i)
    row[i] = std::cmp_less(i, vector.size()) ? vector[static_cast<size_t>(i)] * scale : 0;
  row[dimension_] = static_cast<float>(f.shared_authors);
  row[dimension_ + 1] = static_cast<float>(f.category_affinity);
  row[dimension_ + 2] = static_cast<float>(f.followed);
}

ScoredPaper UserModel::score(const core::Paper& paper, std::span<const float> vector, bool with_reason) const {
  ScoredPaper out;
  RecommendationReason* reason = with_reason ? &out.reason : nullptr;
  Lexical f = lexical(paper, nullptr, reason);
  const bool has_vector = !centroid_.empty() && std::cmp_equal(vector.size(), dimension_);
  double logit = lexical_logit(f);
  if (has_vector) logit += slope_ * (affinity(vector) - midpoint_);
  double p = sigmoid(logit);
  if (blend_ > 0 && has_vector) {
    const double z = bias_ + dot(vector, vector_weights_) + lexical_weights_[0] * f.shared_authors +
                     lexical_weights_[1] * f.category_affinity + lexical_weights_[2] * f.followed;
    p = (1 - blend_) * p + blend_ * sigmoid(z);
  }
  out.score = p;
  if (!with_reason || !has_vector) return out;
  std::vector<std::pair<double, const PaperVector*>> nearest;
  const Eigen::VectorXf sims = similarities(vector);
  for (size_t k = 0; k < matrix_rows_.size(); ++k)
    nearest.emplace_back(sims(static_cast<Eigen::Index>(k)), &liked_[matrix_rows_[k]]);
  std::ranges::sort(nearest, [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < nearest.size() && std::cmp_less(i, kReasonLiked); ++i) {
    // A second liked paper is named only when it is nearly as close as the first.
    if (i > 0 && nearest[i].first < 0.8 * nearest[0].first) break;
    out.reason.similar_liked.push_back({nearest[i].second->paper.id, nearest[i].second->paper.title, nearest[i].first});
  }
  std::vector<std::string> mine = words(paper.title + " " + paper.abstract);
  std::unordered_set<std::string> have(mine.begin(), mine.end());
  for (const auto& l : out.reason.similar_liked) {
    for (const auto& w : words(l.title)) {
      if (out.reason.shared_terms.size() >= static_cast<size_t>(kReasonTerms)) break;
      if (have.contains(w) && std::ranges::find(out.reason.shared_terms, w) == out.reason.shared_terms.end()) {
        out.reason.shared_terms.push_back(w);
      }
    }
  }
  return out;
}

}  // namespace paperboy::rank
