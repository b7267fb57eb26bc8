// Recommender: gathers what a UserModel trains on (signals, liked papers and their vectors, a
// background sample of the recent stream) and what it ranks (nearest neighbours of the likes in
// the recent window, or a digest issue's papers).
#include "rank/recommender.h"

#include <algorithm>
#include <unordered_set>

#include "core/time.h"

namespace paperboy::rank {
namespace {

using Clock = std::chrono::steady_clock;

// Papers listed in the newest `window_days` days, as days since 1970-01-01 (inclusive bounds).
Result<std::pair<std::int64_t, std::int64_t>> recent_window(store::Store& store, int window_days) {
  auto newest = store.newest_listing_day();
  if (!newest) return fail(newest.error());
  if (newest->empty()) return std::pair<std::int64_t, std::int64_t>{0, -1};
  auto t = core::parse_iso8601(*newest);
  if (!t) return fail(Status::internal("bad listing day " + *newest));
  std::int64_t last = *t / 86400;
  return std::pair<std::int64_t, std::int64_t>{last - window_days + 1, last};
}

// Up to `n` evenly spaced elements' indexes of a range of `size`.
std::vector<size_t> spread(size_t size, size_t n) {
  std::vector<size_t> out;
  if (size == 0 || n == 0) return out;
  const size_t take = std::min(size, n);
  for (size_t i = 0; i < take; ++i) out.push_back(i * size / take);
  return out;
}

}  // namespace

// A sample of the recent stream with vectors, shared by every model trained meanwhile.
struct Recommender::Background {
  std::vector<PaperVector> papers;
  std::vector<PaperRef> refs;
  Clock::time_point at;
};

// The vectors of one digest issue's candidates, reused while the same candidates come again (every
// personal subscriber of an issue ranks the same papers).
struct Recommender::CandidateVectors {
  std::uint64_t fingerprint = 0;
  std::vector<std::vector<float>> vectors;
};

Recommender::Recommender(store::Store& store, search::SearchService& search, UserSignalSource& signals,
                         RecommenderOptions options)
    : store_(store), search_(search), signals_(signals), options_(options) {}

Result<std::shared_ptr<const Recommender::Background>> Recommender::background() {
  {
    std::lock_guard lock(mu_);
    if (background_ && Clock::now() - background_->at < std::chrono::seconds(options_.background_ttl_s)) {
      return background_;
    }
  }
  auto window = recent_window(store_, options_.window_days);
  if (!window) return fail(window.error());
  auto out = std::make_shared<Background>();
  out->at = Clock::now();
  if (window->first <= window->second) {
    store::ListingQuery q;
    q.from_day = core::format_iso_date(window->first * 86400);
    q.to_day = core::format_iso_date(window->second * 86400);
    // The listing is newest first: spreading the sample over a longer page covers several days.
    q.limit = options_.background_size * 8;
    auto papers = store_.list_papers(q);
    if (!papers) return fail(papers.error());
    std::vector<std::int64_t> ids;
    for (size_t i : spread(papers->size(), static_cast<size_t>(options_.background_size))) {
      ids.push_back((*papers)[i].doc_id);
      out->papers.push_back({std::move((*papers)[i].paper), {}});
    }
    auto vectors = search_.vectors_of(ids);
    if (!vectors) return fail(vectors.error());
    for (size_t i = 0; i < ids.size(); ++i) out->papers[i].vector = std::move((*vectors)[i]);
  }
  for (const auto& p : out->papers) out->refs.push_back({&p.paper, p.vector});
  std::lock_guard lock(mu_);
  background_ = out;
  return std::shared_ptr<const Background>(out);
}

Result<std::shared_ptr<const Recommender::CandidateVectors>> Recommender::candidate_vectors(
    std::span<const store::StoredPaper> candidates) {
  // FNV-1a over (doc id, change sequence): a changed paper may have a changed vector.
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::int64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<std::uint64_t>(v >> (8 * i)) & 0xff;
      h *= 1099511628211ULL;
    }
  };
  std::vector<std::int64_t> ids;
  ids.reserve(candidates.size());
  for (const auto& c : candidates) {
    mix(c.doc_id);
    mix(c.change_seq);
    ids.push_back(c.doc_id);
  }
  {
    std::lock_guard lock(mu_);
    if (candidates_ && candidates_->fingerprint == h && candidates_->vectors.size() == candidates.size()) {
      return candidates_;
    }
  }
  auto vectors = search_.vectors_of(ids);
  if (!vectors) return fail(vectors.error());
  auto out = std::make_shared<CandidateVectors>(CandidateVectors{h, std::move(*vectors)});
  std::lock_guard lock(mu_);
  candidates_ = out;
  return std::shared_ptr<const CandidateVectors>(out);
}

Result<std::vector<PaperVector>> Recommender::liked_papers(const UserSignals& signals) {
  std::vector<PaperVector> out;
  std::vector<std::int64_t> ids;
  for (const auto& id : signals.positive_ids()) {
    if (std::cmp_greater_equal(out.size(), options_.max_likes)) break;
    auto sp = store_.get_paper(id);
    if (!sp) return fail(sp.error());
    if (!*sp) continue;  // a liked paper that has left the store
    ids.push_back((*sp)->doc_id);
    out.push_back({std::move((*sp)->paper), {}});
  }
  auto vectors = search_.vectors_of(ids);
  if (!vectors) return fail(vectors.error());
  for (size_t i = 0; i < out.size(); ++i) out[i].vector = std::move((*vectors)[i]);
  return out;
}

Result<std::optional<UserModel>> Recommender::model_for(std::int64_t account_id, std::span<const PaperRef> background) {
  auto signals = signals_.signals(account_id);
  if (!signals) return fail(signals.error());
  if (signals->is_empty()) return std::optional<UserModel>();
  auto liked = liked_papers(*signals);
  if (!liked) return fail(liked.error());
  std::shared_ptr<const Background> sample;
  if (background.empty()) {
    auto b = this->background();
    if (!b) return fail(b.error());
    sample = *b;
    background = sample->refs;
  }
  if (liked->empty() && signals->followed_categories.empty() && signals->followed_authors.empty()) {
    return std::optional<UserModel>();  // every liked paper is gone
  }
  auto model = UserModel::train(std::move(*liked), background, signals->followed_categories, signals->followed_authors,
                                options_);
  if (!model) return fail(model.error());
  return std::optional<UserModel>(std::move(*model));
}

std::vector<Recommendation> Recommender::best(const UserModel& model, std::span<const store::StoredPaper> papers,
                                              std::span<const std::vector<float>> vectors, int limit) {
  std::vector<std::pair<double, size_t>> order;
  order.reserve(papers.size());
  for (size_t i = 0; i < papers.size(); ++i) {
    if (model.is_liked(papers[i].paper.id)) continue;
    order.emplace_back(model.score(papers[i].paper, vectors[i], false).score, i);
  }
  const size_t n = std::min(order.size(), static_cast<size_t>(std::max(limit, 0)));
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), [&](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : papers[a.second].paper.id > papers[b.second].paper.id;
      });
  std::vector<Recommendation> out;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = order[k].second;
    ScoredPaper s = model.score(papers[i].paper, vectors[i], true);
    out.push_back({papers[i], s.score, std::move(s.reason)});
  }
  return out;
}

Result<std::vector<Recommendation>> Recommender::recommend(std::int64_t account_id, int limit) {
  if (limit <= 0 || limit > 200) return fail(Status::invalid_argument("limit must be 1..200"));
  auto model = model_for(account_id);
  if (!model) return fail(model.error());
  std::vector<Recommendation> none;
  if (!*model) return none;
  const UserModel& m = **model;
  auto window = recent_window(store_, options_.window_days);
  if (!window) return fail(window.error());
  if (window->first > window->second) return none;

  // Candidates: the window's nearest neighbours of the centroid and of the most recent likes.
  std::vector<std::int64_t> ids;
  std::unordered_set<std::int64_t> seen;
  std::vector<const std::vector<float>*> seeds;
  if (!m.centroid().empty()) seeds.push_back(&m.centroid());
  for (const auto& l : m.liked()) {
    if (std::cmp_greater_equal(seeds.size(), options_.max_seeds + 1)) break;
    if (!l.vector.empty()) seeds.push_back(&l.vector);
  }
  for (const auto* seed : seeds) {
    auto hits = search_.nearest(*seed, options_.neighbours_per_seed, window->first, window->second);
    if (!hits) return fail(hits.error());
    for (const auto& h : *hits) {
      if (seen.insert(h.doc_id).second) ids.push_back(h.doc_id);
    }
  }
  auto papers = store_.get_papers_by_doc_id(ids);
  if (!papers) return fail(papers.error());
  // Follows bring the window's newest papers in those categories (no vector needed to qualify).
  if (!m.followed_categories().empty()) {
    store::ListingQuery q{core::format_iso_date(window->first * 86400), core::format_iso_date(window->second * 86400),
                          m.followed_categories(), options_.neighbours_per_seed * 2, 0};
    auto followed = store_.list_papers(q);
    if (!followed) return fail(followed.error());
    for (auto& sp : *followed) {
      if (seen.insert(sp.doc_id).second) papers->push_back(std::move(sp));
    }
  }
  std::vector<std::int64_t> doc_ids;
  for (const auto& sp : *papers) doc_ids.push_back(sp.doc_id);
  auto vectors = search_.vectors_of(doc_ids);
  if (!vectors) return fail(vectors.error());
  return best(m, *papers, *vectors, limit);
}

Result<std::vector<Recommendation>> Recommender::rank(std::int64_t account_id,
                                                      std::span<const store::StoredPaper> candidates, int limit) {
  if (candidates.empty()) return std::vector<Recommendation>();
  auto vectors = candidate_vectors(candidates);
  if (!vectors) return fail(vectors.error());
  // The issue's own papers stand for the stream the person is compared against.
  std::vector<PaperRef> background;
  for (size_t i : spread(candidates.size(), static_cast<size_t>(options_.background_size))) {
    background.push_back({&candidates[i].paper, (*vectors)->vectors[i]});
  }
  auto model = model_for(account_id, background);
  if (!model) return fail(model.error());
  if (!*model) return std::vector<Recommendation>();
  return best(**model, candidates, (*vectors)->vectors, limit);
}

}  // namespace paperboy::rank
