// The personal recommendation model, UserModel (see recommender.h for its two stages): training,
// calibration, scoring and reasons. Pure computation over papers and vectors.
#include "rank/recommender.h"

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

double dot(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size() || a.empty()) return 0;
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
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

// Balanced, L2-regularised logistic regression by Adam on the full batch: small problems (a few
// hundred rows of a few hundred features), where this converges in tens of steps.
void fit_logistic(const std::vector<std::vector<double>>& x, const std::vector<int>& y, double l2, int iterations,
                  std::vector<double>& w, double& b) {
  const size_t n = x.size(), d = x.empty() ? 0 : x[0].size();
  w.assign(d, 0.0);
  b = 0;
  const double pos = static_cast<double>(std::count(y.begin(), y.end(), 1));
  const double neg = static_cast<double>(n) - pos;
  if (pos == 0 || neg == 0) return;
  // Each class weighs half: the even prior the generative stage also uses.
  const double wpos = static_cast<double>(n) / (2 * pos), wneg = static_cast<double>(n) / (2 * neg);
  std::vector<double> m(d + 1, 0), v(d + 1, 0), g(d + 1);
  constexpr double kRate = 0.05, kB1 = 0.9, kB2 = 0.999, kEps = 1e-8;
  for (int t = 1; t <= iterations; ++t) {
    std::fill(g.begin(), g.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      double z = b;
      for (size_t j = 0; j < d; ++j) z += w[j] * x[i][j];
      double err = (sigmoid(z) - y[i]) * (y[i] == 1 ? wpos : wneg);
      for (size_t j = 0; j < d; ++j) g[j] += err * x[i][j];
      g[d] += err;
    }
    for (size_t j = 0; j < d; ++j) g[j] = g[j] / static_cast<double>(n) + l2 * w[j] / static_cast<double>(n);
    g[d] /= static_cast<double>(n);
    const double c1 = 1 - std::pow(kB1, t), c2 = 1 - std::pow(kB2, t);
    for (size_t j = 0; j <= d; ++j) {
      m[j] = kB1 * m[j] + (1 - kB1) * g[j];
      v[j] = kB2 * v[j] + (1 - kB2) * g[j] * g[j];
      double step = kRate * (m[j] / c1) / (std::sqrt(v[j] / c2) + kEps);
      if (j < d) {
        w[j] -= step;
      } else {
        b -= step;
      }
    }
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
      if (seen.insert(author_key(a)).second) ++m.author_likes_[author_key(a)];
    }
    if (!l.paper.categories.empty()) ++m.category_likes_[l.paper.primary_category()];
  }
  std::vector<double> sum(static_cast<size_t>(m.dimension_), 0.0);
  std::vector<const PaperVector*> with_vectors;
  for (const auto& l : m.liked_) {
    if (std::cmp_not_equal(l.vector.size(), m.dimension_) || m.dimension_ == 0) continue;
    with_vectors.push_back(&l);
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += l.vector[i];
  }
  m.centroid_ = normalised(sum);

  // Generative calibration: background affinities against leave-one-out affinities of the likes.
  std::vector<double> neg, pos;
  for (const auto& b : background) {
    if (std::cmp_equal(b.vector.size(), m.dimension_) && m.dimension_ > 0) neg.push_back(m.affinity(b.vector));
  }
  if (with_vectors.size() >= 2) {
    for (const PaperVector* l : with_vectors) {
      std::vector<double> rest = sum;
      for (size_t i = 0; i < rest.size(); ++i) rest[i] -= l->vector[i];
      std::vector<float> c = normalised(rest);
      double nearest = -1;
      for (const PaperVector* o : with_vectors) {
        if (o != l) nearest = std::max(nearest, dot(l->vector, o->vector));
      }
      pos.push_back(kNearestWeight * nearest + (1 - kNearestWeight) * dot(l->vector, c));
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
  const int n_pos = static_cast<int>(with_vectors.size());
  if (n_pos >= options.min_likes_discriminative && !neg.empty()) {
    std::vector<std::vector<double>> x;
    std::vector<int> y;
    for (const PaperVector* l : with_vectors) {
      x.push_back(m.features(l->vector, m.lexical(l->paper, l, nullptr)));
      y.push_back(1);
    }
    for (const auto& b : background) {
      if (std::cmp_not_equal(b.vector.size(), m.dimension_) || b.paper == nullptr) continue;
      if (m.is_liked(b.paper->id)) continue;
      x.push_back(m.features(b.vector, m.lexical(*b.paper, nullptr, nullptr)));
      y.push_back(0);
    }
    fit_logistic(x, y, options.l2, options.iterations, m.weights_, m.bias_);
    m.blend_ = n_pos / (n_pos + options.discriminative_half);
  }
  return m;
}

double UserModel::affinity(std::span<const float> vector) const {
  if (centroid_.empty() || std::cmp_not_equal(vector.size(), dimension_)) return 0;
  double nearest = -1;
  for (const auto& l : liked_) {
    if (l.vector.size() == vector.size()) nearest = std::max(nearest, dot(vector, l.vector));
  }
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

std::vector<double> UserModel::features(std::span<const float> vector, const Lexical& f) const {
  // Vector components are ~1/sqrt(d) in size: scaled to ~1 like the lexical features.
  const double scale = std::sqrt(static_cast<double>(std::max(dimension_, 1)));
  std::vector<double> x;
  x.reserve(static_cast<size_t>(dimension_) + 3);
  for (int i = 0; i < dimension_; ++i) x.push_back(std::cmp_less(i, vector.size()) ? vector[i] * scale : 0.0);
  x.push_back(f.shared_authors);
  x.push_back(f.category_affinity);
  x.push_back(f.followed);
  return x;
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
    std::vector<double> x = features(vector, f);
    double z = bias_;
    for (size_t i = 0; i < x.size(); ++i) z += weights_[i] * x[i];
    p = (1 - blend_) * p + blend_ * sigmoid(z);
  }
  out.score = p;
  if (!with_reason || !has_vector) return out;
  std::vector<std::pair<double, const PaperVector*>> nearest;
  for (const auto& l : liked_) {
    if (l.vector.size() == vector.size()) nearest.emplace_back(dot(vector, l.vector), &l);
  }
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
