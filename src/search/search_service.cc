// The SearchService implementation: the lexical index, the LSA encoder and the vector index kept
// current with the store, and the query paths (lexical, semantic, hybrid, similar papers).
#include "search/search_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "core/job_guard.h"
#include "core/time.h"
#include "search/hybrid.h"
#include "search/lexical_index.h"
#include "search/lsa_encoder.h"
#include "search/query_parser.h"
#include "search/query_understanding.h"
#include "search/similarity.h"
#include "search/speller.h"
#include "search/term_impact_index.h"
#include "search/text_analyzer.h"
#include "search/vector_index.h"
#include "store/store.h"

namespace paperboy::search {

Result<Mode> parse_mode(std::string_view text) {
  if (text == "lexical") return Mode::kLexical;
  if (text == "semantic") return Mode::kSemantic;
  if (text == "hybrid") return Mode::kHybrid;
  return fail(
      Status::invalid_argument("unknown search mode '" + std::string(text) + "' (lexical, semantic or hybrid)"));
}

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::kLexical: return "lexical";
    case Mode::kSemantic: return "semantic";
    case Mode::kHybrid: return "hybrid";
  }
  return "hybrid";
}

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Ranked = std::vector<std::pair<std::int64_t, double>>;

constexpr int kSimilarQueryTerms = 12;  // terms of the example paper in the lexical "more like this" query
// The widest neighbour search nearest() makes to fill a day window.
constexpr size_t kMaxNearestScan = 20000;
// A query of this many plain words or more is read as natural language (see query_understanding.h).
constexpr size_t kNaturalLanguageWords = 3;
// The lexical side's best hits checked for an exact title match.
constexpr size_t kTitleCandidates = 10;
// The longest text accepted for "similar to this text" (an abstract or a draft's opening pages).
constexpr size_t kMaxSimilarText = 20000;

// What a result must satisfy beyond its words, evaluated in memory once the ranking index is
// ready: the index's own category and day filters, plus the sorted doc ids FTS5 found for the
// phrase / required / author part of the query and for the excluded terms.
struct Restriction {
  ImpactQuery query;
  bool has_allowed = false;
  std::vector<std::int64_t> allowed;
  std::vector<std::int64_t> excluded;

  [[nodiscard]] bool accepts(std::int64_t id) const {
    if (has_allowed && !std::binary_search(allowed.begin(), allowed.end(), id)) return false;
    return excluded.empty() || !std::binary_search(excluded.begin(), excluded.end(), id);
  }
};

bool has_prefix_word(const ParsedQuery& q) {
  auto prefixed = [](const std::string& w) { return !w.empty() && w.back() == '*'; };
  return std::any_of(q.words.begin(), q.words.end(), prefixed);
}

// The natural-language ranking defaults, tuned on the RealScholarQuery dev queries with
// `paperboy eval search ../shared/eval/realscholarquery-dev --grid` (README figures).
constexpr double kDefaultCoordination = 1.0;
constexpr double kDefaultSemanticWeight = 1.0;
constexpr int kDefaultFeedbackDocs = 10;
constexpr double kDefaultFeedbackWeight = 1.0;

SearchOptions with_defaults(SearchOptions o) {
  if (o.coordination < 0) o.coordination = kDefaultCoordination;
  if (o.semantic_weight < 0) o.semantic_weight = kDefaultSemanticWeight;
  if (o.feedback_docs < 0) o.feedback_docs = kDefaultFeedbackDocs;
  if (o.feedback_weight < 0) o.feedback_weight = kDefaultFeedbackWeight;
  return o;
}

class IndexedSearch final : public SearchService {
 public:
  IndexedSearch(store::Store& store, SearchOptions options)
      : store_(store), options_(with_defaults(std::move(options))) {}
  ~IndexedSearch() override {
    if (ranking_builder_.joinable()) ranking_builder_.join();
    if (vectors_) {
      if (Status s = vectors_->save(); !s.is_ok()) spdlog::warn("search: saving the vector index: {}", s.to_string());
    }
  }

  Status open() {
    std::error_code ec;
    fs::create_directories(options_.index_dir, ec);
    if (ec) return Status::io_error("cannot create " + options_.index_dir + ": " + ec.message());
    auto lex = LexicalIndex::open(path("lexical.db"));
    if (!lex) return lex.error();
    lexical_ = std::move(*lex);
    if (fs::exists(path("encoder.lsa"))) {
      auto enc = LsaEncoder::load(path("encoder.lsa"));
      if (!enc) return enc.error();
      auto vec = VectorIndex::open(path("vectors.hnsw"), vector_options((*enc)->dimension()));
      if (!vec) return vec.error();
      encoder_ = std::move(*enc);
      vectors_ = std::move(*vec);
    }
    PB_RETURN_IF_ERROR(catch_up());
    using Ranking = SearchOptions::RankingIndex;
    if (options_.ranking_index == Ranking::kAtOpen) return build_ranking_index();
    if (options_.ranking_index == Ranking::kBackground) {
      ranking_builder_ = std::jthread([this] {
        if (Status s = core::guard_job("ranking index build", [this] { return build_ranking_index(); }); !s.is_ok()) {
          spdlog::warn("search: in-memory ranking index not built ({}); FTS5 ranks instead", s.to_string());
        }
      });
    }
    return Status::ok();
  }

  Status catch_up() override {
    std::lock_guard lock(update_mu_);
    auto cursor = lexical_->cursor();
    if (!cursor) return cursor.error();
    bool bulk = *cursor == 0;
    std::int64_t after = *cursor;
    auto impact = impact_snapshot();
    std::vector<ImpactDoc> changed;
    // A first build trains the vectors on another thread while this one fills the lexical index:
    // FTS5 inserts are single-threaded, and the two only share reads of the store (141k papers:
    // 81 s one after the other).
    std::optional<std::future<Status>> training;
    if (bulk && !encoder_) {
      training = std::async(std::launch::async, [this] { return maybe_train(/*count_first=*/false); });
    }
    for (;;) {
      auto batch = store_.papers_changed_since(after, options_.catch_up_batch);
      if (!batch) return batch.error().with_context("search catch-up");
      if (batch->empty()) break;
      after = batch->back().change_seq;
      PB_RETURN_IF_ERROR(lexical_->apply(*batch, after));
      if (impact) {
        for (const auto& sp : *batch) changed.push_back(impact_doc(sp));
      }
    }
    if (impact && !changed.empty()) impact->upsert(*tokenizer_, std::move(changed));
    if (bulk && after > 0) PB_RETURN_IF_ERROR(lexical_->optimize());
    Status vectors = training ? training->get() : encoder_ ? follow_vectors() : maybe_train();
    if (vectors.is_ok()) indexed_seq_ = after;
    return vectors;
  }

  [[nodiscard]] std::int64_t indexed_seq() const override { return indexed_seq_.load(); }

  Result<SearchResponse> search(const SearchRequest& request) override {
    auto response = search_once(request);
    if (!response) return response;
    auto suggestion = suggest(request.query);
    if (!suggestion) return response;
    if (!response->hits.empty() || request.offset > 0) {
      response->suggestion = *suggestion;
      return response;
    }
    // Nothing found: a misspelt word is the usual reason. Show the suggestion's results.
    SearchRequest again = request;
    again.query = *suggestion;
    auto corrected = search_once(again);
    if (!corrected || corrected->hits.empty()) {
      response->suggestion = *suggestion;
      return response;
    }
    corrected->suggestion = *suggestion;
    corrected->explanation = "no results for \"" + request.query + "\"; showing results for \"" + *suggestion + "\"; " +
                             corrected->explanation;
    corrected->took_ms += response->took_ms;
    return corrected;
  }

  std::optional<std::string> suggest(std::string_view query) override {
    auto speller = speller_snapshot();
    if (!speller || navigational_arxiv_id(query)) return std::nullopt;
    return speller->suggest(query);
  }

  Result<SearchResponse> search_once(const SearchRequest& request) {
    auto started = Clock::now();
    if (request.limit <= 0 || request.limit > 1000 || request.offset < 0 || request.offset > 10000) {
      return fail(Status::invalid_argument("limit must be 1..1000 and offset 0..10000"));
    }
    // An arXiv id, URL or DOI names one paper.
    if (auto id = navigational_arxiv_id(request.query)) {
      auto doc = lexical_->doc_id_of(*id);
      if (!doc) return fail(doc.error());
      if (*doc) {
        SearchResponse response;
        response.explanation = "arXiv paper " + *id;
        response.total = 1;
        if (request.offset == 0) {
          SearchHit h;
          h.doc_id = **doc;
          h.score = 1;
          h.lexical_rank = 1;
          response.hits.push_back(h);
          if (Status s = attach_ids(response.hits); !s.is_ok()) return fail(s);
        }
        response.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        return response;
      }
    }
    auto parsed = parse_query(request.query, core::unix_now());
    if (!parsed) return fail(parsed.error());
    const ParsedQuery& typed = *parsed;
    // Natural-language and long queries: rank by their content words, any of them (more of them
    // better), with the request's instruction phrase and stop words left out.
    ParsedQuery q = typed;
    const bool natural = typed.words.size() >= kNaturalLanguageWords && !has_prefix_word(typed);
    if (natural) {
      auto content = content_words(typed.words, /*drop_instructions=*/true);
      if (!content.empty()) q.words = std::move(content);
    }
    if (!q.has_positive_text() && !q.has_filters()) {
      return fail(Status::invalid_argument(
          q.excluded.empty() ? "the query is empty: type some words, a \"phrase\" or a filter such as cat:cs.LG"
                             : "a query needs at least one word, phrase or filter besides the excluded terms"));
    }
    FtsQuery fts = to_fts_query(q);
    if (natural) fts.match = fts.match_any;
    SearchResponse response;
    response.highlight_terms = typed.highlight_terms();
    response.explanation = "searched for " + q.describe();
    const int want = request.offset + request.limit;
    Mode mode = request.mode;
    auto encoder = encoder_snapshot();
    std::vector<float> query_vector;
    if (mode != Mode::kLexical && q.has_positive_text()) {
      std::string text;
      for (const auto& t : q.highlight_terms()) text += t + " ";
      if (encoder) query_vector = encoder->encode(text);
      if (query_vector.empty()) {
        response.explanation +=
            encoder ? "; no query word is known to the semantic model, so lexical ranking was used"
                    : "; semantic search is not ready yet (too few papers), so lexical ranking was used";
        mode = Mode::kLexical;
      }
    }
    if (!q.has_positive_text()) mode = Mode::kLexical;

    auto impact = impact_snapshot();
    std::optional<Restriction> restriction;
    if (impact) {
      auto r = make_restriction(q, fts);
      if (!r) return fail(r.error());
      restriction = std::move(*r);
    }
    Ranked lexical, semantic;
    if (mode != Mode::kSemantic) {
      const int n = mode == Mode::kLexical ? want : std::max(want, options_.candidates);
      auto hits = impact && q.has_positive_text() && !has_prefix_word(q)
                      ? ranked_side(*impact, q, *restriction, n, natural, response)
                      : lexical_side(q, fts, n, response);
      if (!hits) return fail(hits.error());
      lexical = std::move(*hits);
    }
    if (mode == Mode::kHybrid && natural && options_.feedback_docs > 0 && options_.feedback_weight > 0) {
      query_vector = with_feedback(query_vector, lexical);
    }
    if (mode != Mode::kLexical) {
      auto hits = semantic_side(fts, query_vector, std::max(want, options_.candidates), impact.get(),
                                restriction ? &*restriction : nullptr);
      if (!hits) return fail(hits.error());
      semantic = std::move(*hits);
    }
    std::vector<SearchHit> fused =
        fuse_rrf(lexical, semantic, options_.rrf_k, natural ? options_.semantic_weight : 1.0);
    if (mode == Mode::kLexical) {
      for (auto& h : fused) h.score = h.lexical_score;
    } else if (mode == Mode::kSemantic) {
      for (auto& h : fused) h.score = h.semantic_score;
    }
    if (Status s = promote_exact_title(typed, lexical, fused); !s.is_ok()) return fail(s);
    response.total = static_cast<std::int64_t>(fused.size());
    std::vector<SearchHit> page;
    for (size_t i = static_cast<size_t>(request.offset); i < fused.size() && std::cmp_less(page.size(), request.limit);
         ++i) {
      page.push_back(fused[i]);
    }
    if (Status s = attach_ids(page); !s.is_ok()) return fail(s);
    response.hits = std::move(page);
    response.explanation += "; mode " + std::string(mode_name(mode));
    response.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return response;
  }

  Result<std::vector<SearchHit>> similar(std::string_view arxiv_id, int limit) override {
    std::string id(arxiv_id);
    return more_like(std::span<const std::string>(&id, 1), limit);
  }

  Result<std::vector<SearchHit>> more_like(std::span<const std::string> arxiv_ids, int limit) override {
    if (arxiv_ids.empty()) return fail(Status::invalid_argument("more like these: no paper ids given"));
    if (limit <= 0 || limit > 1000) return fail(Status::invalid_argument("limit must be 1..1000"));
    std::vector<std::int64_t> seeds;
    for (const auto& a : arxiv_ids) {
      auto d = lexical_->doc_id_of(a);
      if (!d) return fail(d.error());
      if (!*d) return fail(Status::not_found("paper " + a + " is not in the search index"));
      seeds.push_back(**d);
    }
    auto seed_docs = lexical_->docs(seeds);
    if (!seed_docs) return fail(seed_docs.error());
    std::string seed_text;
    for (const auto& d : *seed_docs) seed_text += encoder_text(d.title, d.abstract) + " ";
    std::unordered_set<std::int64_t> exclude(seeds.begin(), seeds.end());
    return similar_to(seed_text, exclude, limit);
  }

  Result<std::vector<SearchHit>> similar_to_text(std::string_view text, int limit) override {
    if (limit <= 0 || limit > 1000) return fail(Status::invalid_argument("limit must be 1..1000"));
    if (text.size() > kMaxSimilarText) {
      return fail(
          Status::invalid_argument("the text is longer than " + std::to_string(kMaxSimilarText / 1000) + " KB"));
    }
    if (analyze(text).empty()) return fail(Status::invalid_argument("the text has no words to compare"));
    std::unordered_set<std::int64_t> exclude;
    return similar_to(std::string(text), exclude, limit);
  }

  // Papers most like `seed_text`, `exclude` left out: nearest-vector candidates re-scored with the
  // lexical + semantic blend.
  Result<std::vector<SearchHit>> similar_to(const std::string& seed_text,
                                            const std::unordered_set<std::int64_t>& exclude, int limit) {
    auto encoder = encoder_snapshot();
    const size_t seeds_size = exclude.size();

    // Candidates: the nearest vectors, re-scored below with the lexical + semantic blend.
    std::vector<std::int64_t> candidates;
    std::unordered_set<std::int64_t> seen;
    auto add = [&](std::int64_t id) {
      if (!exclude.contains(id) && seen.insert(id).second) candidates.push_back(id);
    };
    PaperSignature seed_sig;
    auto vectors = vectors_snapshot();
    if (encoder) seed_sig = paper_signature(*encoder, "", seed_text);
    if (encoder && vectors && !seed_sig.dense.empty()) {
      for (const auto& [id, score] :
           vectors->search(seed_sig.dense, std::max(limit, options_.similar_candidates) + static_cast<int>(seeds_size)))
        add(id);
    } else {
      // No vectors yet: a lexical "more like this" query over the seeds' most frequent words. Only a
      // fallback: an OR of a dozen terms matches most of a large corpus, and BM25 must score all of it.
      std::vector<std::string> terms;
      for (auto& t : analyze(seed_text)) {
        if (std::cmp_less(terms.size(), kSimilarQueryTerms) && std::find(terms.begin(), terms.end(), t) == terms.end())
          terms.push_back(t);
      }
      std::string match;
      for (const auto& t : terms) match += (match.empty() ? "\"" : " OR \"") + t + "\"";
      if (!match.empty()) {
        auto hits =
            lexical_->search(match, INT64_MIN, INT64_MAX, options_.candidates + static_cast<int>(seeds_size), 0);
        if (!hits) return fail(hits.error());
        for (const auto& h : *hits) add(h.doc_id);
      }
    }
    // Re-score every candidate with the blend `paperboy eval similar` measures.
    auto docs = lexical_->docs(candidates);
    if (!docs) return fail(docs.error());
    std::vector<SearchHit> hits;
    for (const auto& d : *docs) {
      SearchHit h;
      h.doc_id = d.doc_id;
      h.id = d.arxiv_id;
      if (encoder) {
        // The indexed vector is the projection paper_signature would compute; reading it saves
        // a 256 x terms product per candidate.
        PaperSignature sig;
        sig.tfidf = encoder->tfidf(encoder_text(d.title, d.abstract));
        if (vectors) sig.dense = vectors->vector_of(d.doc_id);
        if (sig.dense.empty()) sig.dense = encoder->project(sig.tfidf);
        h.lexical_score = paper_similarity(seed_sig, sig, Mode::kLexical);
        h.semantic_score = paper_similarity(seed_sig, sig, Mode::kSemantic);
        h.score = h.lexical_score + kSemanticBlendWeight * h.semantic_score;
      }
      hits.push_back(std::move(h));
    }
    if (encoder) {
      std::stable_sort(hits.begin(), hits.end(),
                       [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
    }
    if (std::cmp_greater(hits.size(), limit)) hits.resize(static_cast<size_t>(limit));
    return hits;
  }

  Result<std::vector<std::vector<float>>> vectors_of(std::span<const std::int64_t> doc_ids) override {
    std::vector<std::vector<float>> out(doc_ids.size());
    auto vectors = vectors_snapshot();
    if (!vectors) return out;
    for (size_t i = 0; i < doc_ids.size(); ++i) out[i] = vectors->vector_of(doc_ids[i]);
    return out;
  }

  Result<std::vector<SearchHit>> nearest(const std::vector<float>& query, int limit, std::int64_t from_day,
                                         std::int64_t until_day) override {
    if (limit <= 0 || limit > 1000) return fail(Status::invalid_argument("limit must be 1..1000"));
    auto vectors = vectors_snapshot();
    std::vector<SearchHit> hits;
    if (!vectors || std::cmp_not_equal(query.size(), vectors->dimension())) return hits;
    const bool bounded = from_day != INT64_MIN || until_day != INT64_MAX;
    // hnswlib (Debian's) cannot filter inside the graph search: the day window is applied to the
    // neighbours found, widening the search while too few fall in the window.
    const auto size = static_cast<int>(std::min<size_t>(vectors->size(), kMaxNearestScan));
    for (int k = bounded ? limit * 8 : limit;; k *= 4) {
      k = std::min(k, size);
      auto found = vectors->search(query, k);
      std::vector<std::int64_t> ids;
      for (const auto& [id, score] : found) ids.push_back(id);
      if (bounded) {
        auto kept = in_days(ids, from_day, until_day);
        if (!kept) return fail(kept.error());
        ids = std::move(*kept);
      }
      if (std::cmp_greater_equal(ids.size(), limit) || k >= size) {
        std::unordered_set<std::int64_t> keep(ids.begin(), ids.end());
        for (const auto& [id, score] : found) {
          if (std::cmp_greater_equal(hits.size(), limit)) break;
          if (!keep.contains(id)) continue;
          SearchHit h;
          h.doc_id = id;
          h.score = h.semantic_score = score;
          h.semantic_rank = static_cast<int>(hits.size()) + 1;
          hits.push_back(h);
        }
        break;
      }
    }
    if (Status s = attach_ids(hits); !s.is_ok()) return fail(s);
    return hits;
  }

  int vector_dimension() override {
    auto vectors = vectors_snapshot();
    return vectors ? vectors->dimension() : 0;
  }

 private:
  std::string path(const char* name) const { return (fs::path(options_.index_dir) / name).string(); }

  VectorIndexOptions vector_options(int dimension) const {
    VectorIndexOptions v;
    v.dimension = dimension;
    v.m = options_.hnsw_m;
    v.ef_construction = options_.hnsw_ef_construction;
    v.ef_search = options_.hnsw_ef_search;
    return v;
  }

  std::shared_ptr<const LsaEncoder> encoder_snapshot() {
    std::lock_guard lock(state_mu_);
    return encoder_;
  }
  std::shared_ptr<VectorIndex> vectors_snapshot() {
    std::lock_guard lock(state_mu_);
    return vectors_;
  }
  std::shared_ptr<TermImpactIndex> impact_snapshot() {
    std::lock_guard lock(state_mu_);
    return impact_;
  }
  std::shared_ptr<const Speller> speller_snapshot() {
    std::lock_guard lock(state_mu_);
    return speller_;
  }

  // Builds the in-memory ranking index from the lexical index, then replays what changed meanwhile
  // and publishes it. Runs on the builder thread (or in open with kAtOpen).
  Status build_ranking_index() {
    auto started = Clock::now();
    auto tokenizer = lexical_->tokenizer();
    if (!tokenizer) return tokenizer.error();
    std::int64_t cursor = 0;
    std::vector<ImpactDoc> docs;
    {
      std::lock_guard lock(update_mu_);
      auto c = lexical_->cursor();
      if (!c) return c.error();
      cursor = *c;
      auto all = lexical_->all_docs();
      if (!all) return all.error();
      docs = std::move(*all);
    }
    const size_t count = docs.size();
    auto speller = std::make_shared<Speller>();
    for (const auto& d : docs) speller->add_document(d.title + " " + d.abstract);
    speller->finish();
    std::shared_ptr<TermImpactIndex> index =
        TermImpactIndex::build(*tokenizer, std::move(docs), options_.build_threads);
    std::lock_guard lock(update_mu_);
    std::vector<ImpactDoc> changed;
    for (std::int64_t after = cursor;;) {
      auto batch = store_.papers_changed_since(after, options_.catch_up_batch);
      if (!batch) return batch.error();
      if (batch->empty()) break;
      after = batch->back().change_seq;
      for (const auto& sp : *batch) changed.push_back(impact_doc(sp));
    }
    if (!changed.empty()) index->upsert(*tokenizer, std::move(changed));
    spdlog::info("search: in-memory ranking index over {} papers in {:.1f} s (~{} MiB)", count,
                 std::chrono::duration<double>(Clock::now() - started).count(), index->memory_bytes() >> 20);
    std::lock_guard state(state_mu_);
    tokenizer_ = *tokenizer;
    impact_ = std::move(index);
    speller_ = std::move(speller);
    return Status::ok();
  }

  Result<Restriction> make_restriction(const ParsedQuery& q, const FtsQuery& fts) {
    Restriction r;
    r.query.any_category = fts.category_tokens;
    r.query.from_day = fts.from_day;
    r.query.until_day = fts.until_day;
    if (!fts.text_constraint.empty()) {
      auto ids = lexical_->matching(fts.text_constraint);
      if (!ids) return fail(ids.error());
      r.allowed = std::move(*ids);
      r.has_allowed = true;
    }
    if (!fts.excluded.empty()) {
      auto ids = lexical_->matching(fts.excluded);
      if (!ids) return fail(ids.error());
      r.excluded = std::move(*ids);
    }
    for (const auto& group : {q.words, q.phrases, q.required}) {
      for (const auto& w : group) {
        for (auto& t : tokenizer_->tokens(w)) {
          if (std::find(r.query.terms.begin(), r.query.terms.end(), t) == r.query.terms.end())
            r.query.terms.push_back(std::move(t));
        }
      }
    }
    return r;
  }

  // Lexical ranking from the in-memory index: every word must occur; when no paper has them
  // all, papers with any of them (as the FTS5 path does).
  Result<Ranked> ranked_side(const TermImpactIndex& impact, const ParsedQuery& q, const Restriction& r, int limit,
                             bool natural, SearchResponse& response) {
    ImpactQuery iq = r.query;
    iq.accept = [&r](std::int64_t id) { return r.accepts(id); };
    if (natural) {
      iq.match_any = true;
      iq.coordination = options_.coordination;
    }
    auto hits = impact.search(iq, limit);
    if (hits.empty() && q.words.size() > 1) {
      iq.terms.clear();
      for (const auto& w : q.words) {
        for (auto& t : tokenizer_->tokens(w)) iq.terms.push_back(std::move(t));
      }
      iq.match_any = true;
      hits = impact.search(iq, limit);
      if (!hits.empty()) response.explanation += "; no paper has every word, so papers with some of them are shown";
    }
    Ranked out;
    out.reserve(hits.size());
    for (const auto& h : hits) out.emplace_back(h.doc_id, h.score);
    return out;
  }

  // Trains the encoder on every paper and builds the vector index, once the store has enough papers.
  // `count_first`: consult the lexical index's count before reading the store (cheap while a
  // small store waits for enough papers; not while the lexical index is being filled alongside).
  Status maybe_train(bool count_first = true) {
    if (count_first) {
      auto count = lexical_->count();
      if (!count) return count.error();
      if (*count < options_.min_train_docs) return Status::ok();
    }
    auto started = Clock::now();
    std::vector<std::string> texts;
    std::vector<std::int64_t> ids;
    std::int64_t after = 0;
    for (;;) {
      auto batch = store_.papers_changed_since(after, options_.catch_up_batch);
      if (!batch) return batch.error();
      if (batch->empty()) break;
      after = batch->back().change_seq;
      for (const auto& sp : *batch) {
        texts.push_back(encoder_text(sp.paper.title, sp.paper.abstract));
        ids.push_back(sp.doc_id);
      }
    }
    if (std::cmp_less(texts.size(), options_.min_train_docs)) return Status::ok();
    LsaOptions lsa;
    lsa.dimension = options_.dimension;
    auto enc = LsaEncoder::train(texts, lsa);
    if (!enc) return enc.error();
    auto trained = Clock::now();
    std::error_code ec;
    fs::remove(path("vectors.hnsw"), ec);
    fs::remove(path("vectors.hnsw.cursor"), ec);
    auto vec = VectorIndex::open(path("vectors.hnsw"), vector_options((*enc)->dimension()));
    if (!vec) return vec.error();
    std::vector<std::pair<std::int64_t, std::vector<float>>> items;
    items.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      auto v = (*enc)->encode(texts[i]);
      if (!v.empty()) items.emplace_back(ids[i], std::move(v));
    }
    texts = {};
    PB_RETURN_IF_ERROR((*vec)->upsert_many(items, options_.build_threads));
    (*vec)->set_cursor(after);
    PB_RETURN_IF_ERROR((*vec)->save());
    // The model is saved last: its presence marks a complete build.
    PB_RETURN_IF_ERROR((*enc)->save(path("encoder.lsa")));
    spdlog::info("search: trained {} on {} papers in {:.1f} s, vector graph in {:.1f} s", (*enc)->name(), ids.size(),
                 std::chrono::duration<double>(trained - started).count(),
                 std::chrono::duration<double>(Clock::now() - trained).count());
    std::lock_guard lock(state_mu_);
    encoder_ = std::move(*enc);
    vectors_ = std::move(*vec);
    last_save_ = Clock::now();
    return Status::ok();
  }

  // Encodes papers changed since the vector index's cursor.
  Status follow_vectors() {
    std::int64_t after = vectors_->cursor();
    bool changed = false;
    for (;;) {
      auto batch = store_.papers_changed_since(after, options_.catch_up_batch);
      if (!batch) return batch.error();
      if (batch->empty()) break;
      after = batch->back().change_seq;
      std::vector<std::pair<std::int64_t, std::vector<float>>> items;
      for (const auto& sp : *batch) {
        auto v = encoder_->encode(encoder_text(sp.paper.title, sp.paper.abstract));
        if (!v.empty()) items.emplace_back(sp.doc_id, std::move(v));
      }
      PB_RETURN_IF_ERROR(vectors_->upsert_many(items, options_.build_threads));
      vectors_->set_cursor(after);
      changed = true;
    }
    if (changed && (options_.persist_interval_seconds <= 0 ||
                    Clock::now() - last_save_ >= std::chrono::seconds(options_.persist_interval_seconds))) {
      PB_RETURN_IF_ERROR(vectors_->save());
      last_save_ = Clock::now();
    }
    return Status::ok();
  }

  Result<Ranked> lexical_side(const ParsedQuery& q, const FtsQuery& fts, int limit, SearchResponse& response) {
    Result<std::vector<LexicalHit>> hits;
    if (!q.has_positive_text() && fts.constraint.empty()) {
      hits = lexical_->newest(fts.from_day, fts.until_day, limit, 0);
      response.explanation += "; newest first";
    } else {
      const std::string& match = q.has_positive_text() ? fts.match : with_constraint_only(fts);
      hits = lexical_->search(match, fts.from_day, fts.until_day, limit, 0);
      if (hits && hits->empty() && !fts.match_any.empty() && fts.match_any != fts.match) {
        hits = lexical_->search(fts.match_any, fts.from_day, fts.until_day, limit, 0);
        if (hits && !hits->empty())
          response.explanation += "; no paper has every word, so papers with some of them are shown";
      }
    }
    if (!hits) return fail(hits.error());
    Ranked out;
    for (const auto& h : *hits) out.emplace_back(h.doc_id, h.score);
    return out;
  }

  static std::string with_constraint_only(const FtsQuery& fts) {
    if (fts.excluded.empty()) return fts.constraint;
    return "(" + fts.constraint + ") NOT (" + fts.excluded + ")";
  }

  Result<Ranked> semantic_side(const FtsQuery& fts, const std::vector<float>& query_vector, int limit,
                               const TermImpactIndex* impact, const Restriction* restriction) {
    auto vectors = vectors_snapshot();
    Ranked out;
    if (!vectors) return out;
    const bool constrained =
        !fts.constraint.empty() || !fts.excluded.empty() || fts.from_day != INT64_MIN || fts.until_day != INT64_MAX;
    // Filters are applied after the nearest-neighbour search, so look further when there are some.
    auto found = vectors->search(query_vector, constrained ? limit * 4 : limit);
    if (constrained && impact && restriction) {
      std::erase_if(found, [&](const auto& p) {
        return !impact->passes_filters(restriction->query, p.first) || !restriction->accepts(p.first);
      });
    } else if (constrained) {
      std::vector<std::int64_t> ids;
      for (const auto& [id, score] : found) ids.push_back(id);
      auto kept = lexical_->filter(ids, fts.constraint, fts.excluded, fts.from_day, fts.until_day);
      if (!kept) return fail(kept.error());
      std::unordered_set<std::int64_t> keep(kept->begin(), kept->end());
      std::erase_if(found, [&](const auto& p) { return !keep.contains(p.first); });
    }
    for (const auto& [id, score] : found) {
      if (std::cmp_greater_equal(out.size(), limit)) break;
      out.emplace_back(id, score);
    }
    return out;
  }

  // Pseudo-relevance feedback: `query` moved towards the centroid of the best lexical hits' vectors
  // (unit length again). Long queries name their topic in many words; the papers that match most of
  // them locate it in the vector space better than the query's own words do.
  std::vector<float> with_feedback(const std::vector<float>& query, const Ranked& lexical) {
    auto vectors = vectors_snapshot();
    if (!vectors || query.empty()) return query;
    std::vector<float> centroid(query.size(), 0.0F);
    int used = 0;
    for (size_t i = 0; i < lexical.size() && std::cmp_less(used, options_.feedback_docs); ++i) {
      auto v = vectors->vector_of(lexical[i].first);
      if (v.size() != centroid.size()) continue;
      for (size_t j = 0; j < v.size(); ++j) centroid[j] += v[j];
      ++used;
    }
    if (used == 0) return query;
    double norm = 0;
    for (float c : centroid) norm += static_cast<double>(c) * c;
    norm = std::sqrt(norm);
    if (norm == 0) return query;
    std::vector<float> out(query.size());
    double out_norm = 0;
    for (size_t j = 0; j < out.size(); ++j) {
      out[j] = static_cast<float>(query[j] + options_.feedback_weight * centroid[j] / norm);
      out_norm += static_cast<double>(out[j]) * out[j];
    }
    out_norm = std::sqrt(out_norm);
    for (float& x : out) x = static_cast<float>(x / out_norm);
    return out;
  }

  // A query that is a paper's exact title (as typed, punctuation and case aside) ranks that paper
  // first: the lexical side's best few hits are checked.
  Status promote_exact_title(const ParsedQuery& q, const Ranked& lexical, std::vector<SearchHit>& fused) {
    if (q.words.size() + q.phrases.size() < 2 || lexical.empty()) return Status::ok();
    std::string typed;
    for (const auto& w : q.words) typed += w + " ";
    for (const auto& p : q.phrases) typed += p + " ";
    const std::string wanted = normalise_title(typed);
    std::vector<std::int64_t> ids;
    for (size_t i = 0; i < lexical.size() && i < kTitleCandidates; ++i) ids.push_back(lexical[i].first);
    auto docs = lexical_->docs(ids);
    if (!docs) return docs.error();
    for (std::int64_t id : ids) {
      auto doc = std::find_if(docs->begin(), docs->end(), [id](const LexicalDoc& d) { return d.doc_id == id; });
      if (doc == docs->end() || normalise_title(doc->title) != wanted) continue;
      auto it = std::find_if(fused.begin(), fused.end(), [id](const SearchHit& h) { return h.doc_id == id; });
      if (it == fused.begin()) return Status::ok();
      SearchHit hit;
      if (it != fused.end()) {
        hit = *it;
        fused.erase(it);
      } else {
        hit.doc_id = id;
      }
      if (!fused.empty()) hit.score = std::max(hit.score, fused.front().score);
      fused.insert(fused.begin(), hit);
      return Status::ok();
    }
    return Status::ok();
  }

  // Which of `ids` are listed within the day bounds (order kept): the in-memory index when built,
  // else the lexical index.
  Result<std::vector<std::int64_t>> in_days(const std::vector<std::int64_t>& ids, std::int64_t from_day,
                                            std::int64_t until_day) {
    if (auto impact = impact_snapshot()) {
      ImpactQuery q;
      q.from_day = from_day;
      q.until_day = until_day;
      std::vector<std::int64_t> kept;
      for (std::int64_t id : ids) {
        if (impact->passes_filters(q, id)) kept.push_back(id);
      }
      return kept;
    }
    return lexical_->filter(ids, "", "", from_day, until_day);
  }

  Status attach_ids(std::vector<SearchHit>& hits) {
    std::vector<std::int64_t> ids;
    for (const auto& h : hits) ids.push_back(h.doc_id);
    auto by_id = lexical_->arxiv_ids(ids);
    if (!by_id) return by_id.error();
    for (auto& h : hits) h.id = (*by_id)[h.doc_id];
    std::erase_if(hits, [](const SearchHit& h) { return h.id.empty(); });
    return Status::ok();
  }

  store::Store& store_;
  SearchOptions options_;
  std::unique_ptr<LexicalIndex> lexical_;
  std::mutex update_mu_;                       // one catch_up at a time
  std::atomic<std::int64_t> indexed_seq_{-1};  // where the last successful catch_up ended
  std::mutex state_mu_;                        // guards the two pointers below (swapped when the model is retrained)
  std::shared_ptr<const LsaEncoder> encoder_;
  std::shared_ptr<VectorIndex> vectors_;
  std::shared_ptr<TermImpactIndex> impact_;   // null until built (and with RankingIndex::kOff)
  std::shared_ptr<const Speller> speller_;    // built with impact_, from the same texts
  std::optional<PorterTokenizer> tokenizer_;  // set with impact_
  Clock::time_point last_save_ = Clock::now();
  std::jthread ranking_builder_;
};

}  // namespace

Result<std::unique_ptr<SearchService>> open_search_service(store::Store& store, const SearchOptions& options) {
  if (options.index_dir.empty()) return fail(Status::invalid_argument("search: no index directory configured"));
  auto service = std::make_unique<IndexedSearch>(store, options);
  if (Status s = service->open(); !s.is_ok()) return fail(s);
  return std::unique_ptr<SearchService>(std::move(service));
}

Status rebuild_search_indexes(store::Store& store, const SearchOptions& options) {
  std::error_code ec;
  for (const char* name :
       {"lexical.db", "lexical.db-wal", "lexical.db-shm", "encoder.lsa", "vectors.hnsw", "vectors.hnsw.cursor"}) {
    fs::remove(fs::path(options.index_dir) / name, ec);
    if (ec)
      return Status::io_error("cannot remove " + (fs::path(options.index_dir) / name).string() + ": " + ec.message());
  }
  auto service = open_search_service(store, options);
  if (!service) return service.error();
  return Status::ok();
}

}  // namespace paperboy::search
