// Personal recommendations: a per-account model over the papers' LSA vectors and lexical features
// (shared authors, categories, follows), trained from what the person liked, that gives every
// candidate paper a score in [0,1] and a reason ("similar to X that you liked; shared authors: Y").
//
// The model is two-stage. With few likes, a generative model: a paper's affinity is its cosine to
// the nearest liked paper blended with its cosine to the likes' centroid; the affinities of liked
// papers (leave-one-out, shrunk towards a prior with few likes) and of background papers (a sample
// of the recent stream) are modelled as two Gaussians with a pooled variance, which turns an
// affinity into a posterior probability (a logistic in the affinity, so monotone). Lexical
// features add fixed log-odds. As likes grow, an L2-regularised logistic regression on [vector,
// lexical features] (likes against background papers) takes over: its weight is n / (n + 20).
// Both stages are balanced (even prior): a score of 0.5 means "as much like your likes as like
// the general stream".
//
// UserModel is immutable after training and thread-safe; Recommender is thread-safe (it keeps a
// small cache of background vectors under a mutex).
#pragma once

#include <Eigen/Core>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/paper.h"
#include "core/status.h"
#include "rank/user_signals.h"
#include "search/search_service.h"
#include "store/store.h"

namespace paperboy::rank {

struct RecommenderOptions {
  int window_days = 30;              // "Recommended for you" proposes papers listed in the newest N days
  int max_seeds = 20;                // most recent likes whose neighbours are searched (plus the centroid)
  int neighbours_per_seed = 40;      // ANN neighbours fetched per seed
  int max_likes = 200;               // likes the model trains on (most recent)
  int background_size = 256;         // recent papers standing for "the general stream"
  int min_likes_discriminative = 8;  // the logistic regression joins from this many likes
  double discriminative_half = 20;   // likes at which the regression weighs as much as the prior
  double l2 = 1.0;                   // the regression's L2 penalty (per unit of sample weight)
  int iterations = 60;               // regression optimisation steps
  int background_ttl_s = 600;        // how long a background sample is reused
  // Shared authors between liked papers and a candidate count as evidence (off in the author-
  // simulation evaluation, where names would make the task trivial).
  bool author_signals = true;
};

// A paper with its vector (unit length; empty when it has none): a liked paper, or one of the
// background sample.
struct PaperVector {
  core::Paper paper;
  std::vector<float> vector;
};

// A non-owning view of one: the background papers handed to training.
struct PaperRef {
  const core::Paper* paper = nullptr;
  std::span<const float> vector;
};

// Why a paper is recommended. Titles are real titles of liked papers.
struct RecommendationReason {
  struct Liked {
    std::string id, title;
    double similarity = 0;  // cosine of the vectors
  };
  std::vector<Liked> similar_liked;         // the nearest liked papers, nearest first (at most 2)
  std::vector<std::string> shared_authors;  // names of the candidate's authors who wrote a liked paper
  std::vector<std::string> shared_terms;    // words of the nearest liked titles found in the candidate
  std::vector<std::string> followed;        // followed categories / authors the paper matches

  // "Similar to “A” and “B” that you liked; shared authors: X; shared terms: graph, sparse".
  [[nodiscard]] std::string text() const;
};

struct ScoredPaper {
  double score = 0;  // in [0,1]
  RecommendationReason reason;
};

class UserModel {
 public:
  // `liked` papers without a vector still count for the lexical features. `background`: papers
  // of the recent stream (negatives and the calibration's other class);
  // `followed_*` from the signals. Fails when nothing is liked or followed.
  [[nodiscard]] static Result<UserModel> train(std::vector<PaperVector> liked, std::span<const PaperRef> background,
                                               std::vector<std::string> followed_categories,
                                               std::vector<std::string> followed_authors,
                                               const RecommenderOptions& options);

  // The score of `paper` with vector `vector` (may be empty: lexical features only), and why.
  [[nodiscard]] ScoredPaper score(const core::Paper& paper, std::span<const float> vector,
                                  bool with_reason = true) const;
  // The generative affinity alone (cosines, before calibration): for candidate search and tests.
  [[nodiscard]] double affinity(std::span<const float> vector) const;

  [[nodiscard]] int like_count() const { return static_cast<int>(liked_.size()); }
  // The weight of the logistic regression in the blend (0 with few likes).
  [[nodiscard]] double discriminative_weight() const { return blend_; }
  [[nodiscard]] const std::vector<float>& centroid() const { return centroid_; }
  [[nodiscard]] bool is_liked(const std::string& paper_id) const;
  [[nodiscard]] const std::vector<PaperVector>& liked() const { return liked_; }
  [[nodiscard]] const std::vector<std::string>& followed_categories() const { return followed_categories_; }

 private:
  struct Lexical {
    double shared_authors = 0;     // liked papers sharing an author (capped)
    double category_affinity = 0;  // share of likes with the candidate's primary category
    double followed = 0;           // followed categories/authors matched
  };
  Lexical lexical(const core::Paper& paper, const PaperVector* except, RecommendationReason* reason) const;
  double lexical_logit(const Lexical& f) const;
  // The regression's features of a paper, written to `row` (dimension_ + 3 floats).
  void features(std::span<const float> vector, const Lexical& f, float* row) const;
  // Cosines of `vector` with the liked papers that have vectors (rows of liked_matrix_).
  Eigen::VectorXf similarities(std::span<const float> vector) const;

  std::vector<PaperVector> liked_;
  std::vector<std::string> followed_categories_, followed_authors_;
  int dimension_ = 0;
  std::vector<float> centroid_;  // unit length, or empty
  // The liked vectors as a row-major matrix, and which liked_ entry each row is.
  std::vector<float> liked_matrix_;
  std::vector<size_t> matrix_rows_;
  // Generative calibration: logit = slope * (affinity - midpoint).
  double slope_ = 0, midpoint_ = 0;
  // Discriminative stage: weights of the raw vector and of the lexical features, bias, blend weight.
  std::vector<float> vector_weights_;
  std::array<double, 3> lexical_weights_{};
  double bias_ = 0, blend_ = 0;
  std::unordered_map<std::string, int> author_likes_;    // "keyname|initial" -> liked papers
  std::unordered_map<std::string, int> category_likes_;  // primary category -> liked papers
};

struct Recommendation {
  store::StoredPaper paper;
  double score = 0;
  RecommendationReason reason;
};

class Recommender {
 public:
  Recommender(store::Store& store, search::SearchService& search, UserSignalSource& signals,
              RecommenderOptions options = {});

  // The account's model, trained now from its signals; nullopt when it has liked and followed
  // nothing yet. `background`: papers of the stream; empty: a cached sample of recent papers.
  [[nodiscard]] Result<std::optional<UserModel>> model_for(std::int64_t account_id,
                                                           std::span<const PaperRef> background = {});
  // "Recommended for you": the best `limit` papers listed in the newest window_days, found by
  // nearest-neighbour search from the liked papers and their centroid (never a corpus scan),
  // liked papers left out. Empty when the account has no signals.
  [[nodiscard]] Result<std::vector<Recommendation>> recommend(std::int64_t account_id, int limit);
  // The best `limit` of `candidates` (a digest issue's papers) for the account.
  [[nodiscard]] Result<std::vector<Recommendation>> rank(std::int64_t account_id,
                                                         std::span<const store::StoredPaper> candidates, int limit);

  [[nodiscard]] const RecommenderOptions& options() const { return options_; }

 private:
  struct Background;
  struct CandidateVectors;
  Result<std::shared_ptr<const Background>> background();
  Result<std::shared_ptr<const CandidateVectors>> candidate_vectors(std::span<const store::StoredPaper> candidates);
  Result<std::vector<PaperVector>> liked_papers(const UserSignals& signals);
  // The best `limit` of `papers` (with their `vectors`), liked papers left out, reasons attached.
  static std::vector<Recommendation> best(const UserModel& model, std::span<const store::StoredPaper> papers,
                                          std::span<const std::vector<float>> vectors, int limit);

  store::Store& store_;
  search::SearchService& search_;
  UserSignalSource& signals_;
  RecommenderOptions options_;
  std::mutex mu_;  // guards the two caches below
  std::shared_ptr<const Background> background_;
  std::shared_ptr<const CandidateVectors> candidates_;
};

}  // namespace paperboy::rank
