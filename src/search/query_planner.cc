#include "search/query_planner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_set>
#include <utility>

#include "core/time.h"
#include "search/encoder.h"
#include "search/hybrid.h"
#include "search/index_maintainer.h"
#include "search/lexical_index.h"
#include "search/query_parser.h"
#include "search/query_understanding.h"
#include "search/speller.h"
#include "search/term_impact_index.h"
#include "search/text_analyzer.h"
#include "search/vector_index.h"

namespace paperboy::search {

namespace {

using Clock = std::chrono::steady_clock;
using Ranked = std::vector<std::pair<std::int64_t, double>>;

// The widest neighbour search nearest() makes to fill a day window.
constexpr size_t kMaxNearestScan = 20000;
// A query of this many plain words or more is read as natural language (see query_understanding.h).
constexpr size_t kNaturalLanguageWords = 3;
// The lexical side's best hits checked for an exact title match.
constexpr size_t kTitleCandidates = 10;
// Sort::kNewest orders this many of the best lexical matches by day: one pool for every page.
constexpr int kNewestPool = 1000;

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

Status attach_ids(LexicalIndex& lexical, std::vector<SearchHit>& hits) {
  std::vector<std::int64_t> ids;
  for (const auto& h : hits) ids.push_back(h.doc_id);
  auto by_id = lexical.arxiv_ids(ids);
  if (!by_id) return by_id.error();
  for (auto& h : hits) h.id = (*by_id)[h.doc_id];
  std::erase_if(hits, [](const SearchHit& h) { return h.id.empty(); });
  return Status::ok();
}

// An arXiv id, URL or DOI names one paper: its response (took_ms left to the caller), or nullopt
// when the query is not one or names a paper the index does not have.
Result<std::optional<SearchResponse>> named_paper(const IndexSnapshot& ix, const SearchRequest& request) {
  auto id = navigational_arxiv_id(request.query);
  if (!id) return std::nullopt;
  auto doc = ix.lexical->doc_id_of(*id);
  if (!doc) return fail(doc.error());
  if (!*doc) return std::nullopt;
  SearchResponse response;
  response.explanation = "arXiv paper " + *id;
  response.total = 1;
  if (request.offset == 0) {
    SearchHit h;
    h.doc_id = **doc;
    h.score = 1;
    h.lexical_rank = 1;
    response.hits.push_back(h);
    if (Status s = attach_ids(*ix.lexical, response.hits); !s.is_ok()) return fail(s);
  }
  return response;
}

// A query as typed and as ranked. Natural-language and long queries rank by their content words,
// any of them (more of them better), with the request's instruction phrase and stop words left out.
struct UnderstoodQuery {
  ParsedQuery typed;
  ParsedQuery ranked;
  bool natural = false;
  FtsQuery fts;  // of `ranked`
};

// The words and phrases results mark, as typed; prefix words keep their '*' (the web layer marks
// every word they begin, and the stems of the others).
std::vector<std::string> marked_terms(const ParsedQuery& q) {
  std::vector<std::string> out;
  for (const auto* list : {&q.words, &q.phrases, &q.required}) {
    for (const auto& t : *list) {
      if (t.find_first_not_of('*') != std::string::npos) out.push_back(t);
    }
  }
  return out;
}

// The typed query with the request's filter controls added in the query language.
std::string with_filters(const SearchRequest& request) {
  std::string text = request.query;
  for (const auto& c : request.categories) text += " cat:" + c;
  if (request.has_code) text += " has:code";
  if (!request.from.empty()) text += " from:" + request.from;
  if (!request.until.empty()) text += " until:" + request.until;
  return text;
}

Result<UnderstoodQuery> understand(std::string_view query) {
  auto parsed = parse_query(query, core::unix_now());
  if (!parsed) return fail(parsed.error());
  UnderstoodQuery u;
  u.typed = std::move(*parsed);
  u.ranked = u.typed;
  u.natural = u.typed.words.size() >= kNaturalLanguageWords && !has_prefix_word(u.typed);
  if (u.natural) {
    auto content = content_words(u.typed.words, /*drop_instructions=*/true);
    if (!content.empty()) u.ranked.words = std::move(content);
  }
  const ParsedQuery& q = u.ranked;
  if (!q.has_positive_text() && !q.has_filters()) {
    return fail(Status::invalid_argument(
        q.excluded.empty() ? "the query is empty: type some words, a \"phrase\" or a filter such as cat:cs.LG"
                           : "a query needs at least one word, phrase or filter besides the excluded terms"));
  }
  u.fts = to_fts_query(q);
  if (u.natural) u.fts.match = u.fts.match_any;
  return u;
}

// The vector the semantic side searches with, or empty when it cannot take part (the reason is
// added to the explanation).
std::vector<float> query_vector_of(const IndexSnapshot& ix, const ParsedQuery& q, SearchResponse& response) {
  std::string text;
  for (const auto& t : q.highlight_terms()) text += t + " ";
  std::vector<float> vector;
  if (ix.encoder) vector = ix.encoder->encode(text);
  if (vector.empty()) {
    response.explanation += ix.encoder
                                ? "; no query word is known to the semantic model, so lexical ranking was used"
                                : "; semantic search is not ready yet (too few papers), so lexical ranking was used";
  }
  return vector;
}

// Requires ix.impact (and so ix.tokenizer).
Result<Restriction> make_restriction(const IndexSnapshot& ix, const ParsedQuery& q, const FtsQuery& fts) {
  Restriction r;
  r.query.any_category = fts.category_tokens;
  r.query.all_category = fts.required_category_tokens;
  r.query.from_day = fts.from_day;
  r.query.until_day = fts.until_day;
  if (!fts.text_constraint.empty()) {
    auto ids = ix.lexical->matching(fts.text_constraint);
    if (!ids) return fail(ids.error());
    r.allowed = std::move(*ids);
    r.has_allowed = true;
  }
  if (!fts.excluded.empty()) {
    auto ids = ix.lexical->matching(fts.excluded);
    if (!ids) return fail(ids.error());
    r.excluded = std::move(*ids);
  }
  for (const auto& group : {q.words, q.phrases, q.required}) {
    for (const auto& w : group) {
      for (auto& t : ix.tokenizer->tokens(w)) {
        if (std::find(r.query.terms.begin(), r.query.terms.end(), t) == r.query.terms.end())
          r.query.terms.push_back(std::move(t));
      }
    }
  }
  return r;
}

// Lexical ranking from the in-memory index: every word must occur; when no paper has them
// all, papers with any of them (as the FTS5 path does).
// `total` receives how many papers matched (every page of a query counts the same).
Result<Ranked> ranked_side(const IndexSnapshot& ix, const SearchOptions& options, const ParsedQuery& q,
                           const Restriction& r, int limit, bool natural, SearchResponse& response,
                           std::int64_t* total) {
  ImpactQuery iq = r.query;
  iq.accept = [&r](std::int64_t id) { return r.accepts(id); };
  if (natural) {
    iq.match_any = true;
    iq.coordination = options.coordination;
    iq.prose = true;
    for (const auto& group : {q.words, q.phrases, q.required}) {
      for (const auto& w : group) {
        for_each_term(w, [&](std::string_view t) {
          if (std::find(iq.prose_terms.begin(), iq.prose_terms.end(), t) == iq.prose_terms.end())
            iq.prose_terms.emplace_back(t);
        });
      }
    }
    if (iq.prose_terms.empty()) iq.prose = false;
  }
  auto hits = ix.impact->search(iq, limit, total);
  if (hits.empty() && q.words.size() > 1) {
    iq.terms.clear();
    for (const auto& w : q.words) {
      for (auto& t : ix.tokenizer->tokens(w)) iq.terms.push_back(std::move(t));
    }
    iq.match_any = true;
    hits = ix.impact->search(iq, limit, total);
    if (!hits.empty()) response.explanation += "; no paper has every word, so papers with some of them are shown";
  }
  Ranked out;
  out.reserve(hits.size());
  for (const auto& h : hits) out.emplace_back(h.doc_id, h.score);
  return out;
}

std::string with_constraint_only(const FtsQuery& fts) {
  if (fts.excluded.empty()) return fts.constraint;
  return "(" + fts.constraint + ") NOT (" + fts.excluded + ")";
}

Result<Ranked> lexical_side(LexicalIndex& lexical, const ParsedQuery& q, const FtsQuery& fts, int limit,
                            SearchResponse& response) {
  Result<std::vector<LexicalHit>> hits;
  if (!q.has_positive_text() && fts.constraint.empty()) {
    hits = lexical.newest(fts.from_day, fts.until_day, limit, 0);
    response.explanation += "; newest first";
  } else {
    const std::string& match = q.has_positive_text() ? fts.match : with_constraint_only(fts);
    hits = lexical.search(match, fts.from_day, fts.until_day, limit, 0);
    if (hits && hits->empty() && !fts.match_any.empty() && fts.match_any != fts.match) {
      hits = lexical.search(fts.match_any, fts.from_day, fts.until_day, limit, 0);
      if (hits && !hits->empty())
        response.explanation += "; no paper has every word, so papers with some of them are shown";
    }
  }
  if (!hits) return fail(hits.error());
  Ranked out;
  for (const auto& h : *hits) out.emplace_back(h.doc_id, h.score);
  return out;
}

Result<Ranked> semantic_side(const IndexSnapshot& ix, const FtsQuery& fts, const std::vector<float>& query_vector,
                             int limit, const Restriction* restriction) {
  Ranked out;
  if (!ix.vectors) return out;
  const bool constrained =
      !fts.constraint.empty() || !fts.excluded.empty() || fts.from_day != INT64_MIN || fts.until_day != INT64_MAX;
  // Filters are applied after the nearest-neighbour search, so look further when there are some.
  auto found = ix.vectors->search(query_vector, constrained ? limit * 4 : limit);
  if (constrained && ix.impact && restriction) {
    std::erase_if(found, [&](const auto& p) {
      return !ix.impact->passes_filters(restriction->query, p.first) || !restriction->accepts(p.first);
    });
  } else if (constrained) {
    std::vector<std::int64_t> ids;
    for (const auto& [id, score] : found) ids.push_back(id);
    auto kept = ix.lexical->filter(ids, fts.constraint, fts.excluded, fts.from_day, fts.until_day);
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
std::vector<float> with_feedback(const IndexSnapshot& ix, const SearchOptions& options, const std::vector<float>& query,
                                 const Ranked& lexical) {
  if (!ix.vectors || query.empty()) return query;
  std::vector<float> centroid(query.size(), 0.0F);
  int used = 0;
  for (size_t i = 0; i < lexical.size() && std::cmp_less(used, options.feedback_docs); ++i) {
    auto v = ix.vectors->vector_of(lexical[i].first);
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
    out[j] = static_cast<float>(query[j] + options.feedback_weight * centroid[j] / norm);
    out_norm += static_cast<double>(out[j]) * out[j];
  }
  out_norm = std::sqrt(out_norm);
  for (float& x : out) x = static_cast<float>(x / out_norm);
  return out;
}

// A query that is a paper's exact title (as typed, punctuation and case aside) ranks that paper
// first: the lexical side's best few hits are checked.
Status promote_exact_title(LexicalIndex& lexical_index, const ParsedQuery& q, const Ranked& lexical,
                           std::vector<SearchHit>& fused) {
  if (q.words.size() + q.phrases.size() < 2 || lexical.empty()) return Status::ok();
  std::string typed;
  for (const auto& w : q.words) typed += w + " ";
  for (const auto& p : q.phrases) typed += p + " ";
  const std::string wanted = normalise_title(typed);
  std::vector<std::int64_t> ids;
  for (size_t i = 0; i < lexical.size() && i < kTitleCandidates; ++i) ids.push_back(lexical[i].first);
  auto docs = lexical_index.docs(ids);
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

// A total that does not depend on the page asked for: the lexical side's count of matching papers
// when it keeps one (`lexical_total` >= 0), at least the papers among both sides' first
// `candidates` (the depth every early page is ranked from).
std::int64_t stable_total(Mode mode, std::int64_t lexical_total, const Ranked& lexical, const Ranked& semantic,
                          size_t candidates) {
  if (mode == Mode::kLexical) return lexical_total >= 0 ? lexical_total : static_cast<std::int64_t>(lexical.size());
  std::unordered_set<std::int64_t> pool;
  for (size_t i = 0; i < lexical.size() && i < candidates; ++i) pool.insert(lexical[i].first);
  for (size_t i = 0; i < semantic.size() && i < candidates; ++i) pool.insert(semantic[i].first);
  return std::max(lexical_total, static_cast<std::int64_t>(pool.size()));
}

// Sort::kNewest: the hits by listing day, newest first, ties in ranking order. The days come from
// the in-memory ranking index; until it is built the ranking order stays, and the explanation says so.
void order_newest_first(const IndexSnapshot& ix, std::vector<SearchHit>& hits, SearchResponse& response) {
  if (!ix.impact) {
    response.explanation += "; newest-first order waits for the ranking index, so the best matches come first";
    return;
  }
  std::vector<std::pair<std::int64_t, SearchHit>> dated;
  dated.reserve(hits.size());
  for (auto& h : hits) dated.emplace_back(ix.impact->day_of(h.doc_id).value_or(INT64_MIN), std::move(h));
  std::stable_sort(dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  hits.clear();
  for (auto& [day, h] : dated) hits.push_back(std::move(h));
  response.explanation += "; newest first";
}

// Which of `ids` are listed within the day bounds (order kept): the in-memory index when built,
// else the lexical index.
Result<std::vector<std::int64_t>> in_days(const IndexSnapshot& ix, const std::vector<std::int64_t>& ids,
                                          std::int64_t from_day, std::int64_t until_day) {
  if (ix.impact) {
    ImpactQuery q;
    q.from_day = from_day;
    q.until_day = until_day;
    std::vector<std::int64_t> kept;
    for (std::int64_t id : ids) {
      if (ix.impact->passes_filters(q, id)) kept.push_back(id);
    }
    return kept;
  }
  return ix.lexical->filter(ids, "", "", from_day, until_day);
}

}  // namespace

Result<MatchDays> QueryPlanner::matching_days(const SearchRequest& request) {
  const IndexSnapshot ix = indexes_.snapshot();
  if (!ix.impact) {
    return fail(Status::unavailable("trends need the ranking index, which is still being built: try again shortly"));
  }
  auto u = understand(with_filters(request));
  if (!u) return fail(u.error());
  // Every word must occur: a trend counts papers about the query, not papers sharing a word of it.
  // A natural-language query counts by its content words (stop and instruction words left out).
  FtsQuery fts = to_fts_query(u->ranked);
  auto r = make_restriction(ix, u->ranked, fts);
  if (!r) return fail(r.error());
  ImpactQuery iq = r->query;
  const Restriction& restriction = *r;
  iq.accept = [&restriction](std::int64_t id) { return restriction.accepts(id); };
  MatchDays out;
  out.days = ix.impact->matching_days(iq);
  out.newest_day = ix.impact->newest_day();
  return out;
}

Result<SearchResponse> QueryPlanner::search(const SearchRequest& request) {
  auto response = search_once(request);
  if (!response) return response;
  auto suggestion = suggest(request.query);
  if (!suggestion) return response;
  if (!response->hits.empty() || request.offset > 0 || !request.correct_typos) {
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
  corrected->shows_suggestion = true;
  corrected->explanation = "no results for \"" + request.query + "\"; showing results for \"" + *suggestion + "\"; " +
                           corrected->explanation;
  corrected->took_ms += response->took_ms;
  return corrected;
}

std::optional<std::string> QueryPlanner::suggest(std::string_view query) {
  auto speller = indexes_.snapshot().speller;
  if (!speller || navigational_arxiv_id(query)) return std::nullopt;
  return speller->suggest(query);
}

Result<SearchResponse> QueryPlanner::search_once(const SearchRequest& request) {
  auto started = Clock::now();
  const IndexSnapshot ix = indexes_.snapshot();
  if (request.limit <= 0 || request.limit > 1000 || request.offset < 0 || request.offset > 10000) {
    return fail(Status::invalid_argument("limit must be 1..1000 and offset 0..10000"));
  }
  auto named = named_paper(ix, request);
  if (!named) return fail(named.error());
  if (*named) {
    (*named)->took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return std::move(**named);
  }
  auto understood = understand(with_filters(request));
  if (!understood) return fail(understood.error());
  const ParsedQuery& typed = understood->typed;
  const ParsedQuery& q = understood->ranked;
  const bool natural = understood->natural;
  const FtsQuery& fts = understood->fts;
  SearchResponse response;
  response.highlight_terms = marked_terms(typed);
  response.explanation = "searched for " + q.describe();
  const int want = request.offset + request.limit;
  // Newest first orders one fixed pool of matches, so every page of it agrees.
  const bool newest = request.sort == Sort::kNewest && q.has_positive_text();
  Mode mode = request.mode;
  std::vector<float> query_vector;
  if (mode != Mode::kLexical && q.has_positive_text()) {
    query_vector = query_vector_of(ix, q, response);
    if (query_vector.empty()) mode = Mode::kLexical;
  }
  if (!q.has_positive_text()) mode = Mode::kLexical;

  std::optional<Restriction> restriction;
  if (ix.impact) {
    auto r = make_restriction(ix, q, fts);
    if (!r) return fail(r.error());
    restriction = std::move(*r);
  }
  Ranked lexical, semantic;
  std::int64_t lexical_total = -1;
  if (mode != Mode::kSemantic) {
    const int n = std::max(want, newest ? kNewestPool : options_.candidates);
    auto hits = ix.impact && q.has_positive_text() && !has_prefix_word(q)
                    ? ranked_side(ix, options_, q, *restriction, n, natural, response, &lexical_total)
                    : lexical_side(*ix.lexical, q, fts, n, response);
    if (!hits) return fail(hits.error());
    lexical = std::move(*hits);
  }
  if (mode == Mode::kHybrid && natural && options_.feedback_docs > 0 && options_.feedback_weight > 0) {
    query_vector = with_feedback(ix, options_, query_vector, lexical);
  }
  if (mode != Mode::kLexical) {
    auto hits =
        semantic_side(ix, fts, query_vector,
                      newest && mode == Mode::kHybrid ? options_.candidates : std::max(want, options_.candidates),
                      restriction ? &*restriction : nullptr);
    if (!hits) return fail(hits.error());
    semantic = std::move(*hits);
  }
  std::vector<SearchHit> fused = fuse_rrf(lexical, semantic, natural ? options_.natural_rrf_k : options_.rrf_k,
                                          natural ? options_.semantic_weight : 1.0);
  if (mode == Mode::kLexical) {
    for (auto& h : fused) h.score = h.lexical_score;
  } else if (mode == Mode::kSemantic) {
    for (auto& h : fused) h.score = h.semantic_score;
  }
  if (newest) {
    order_newest_first(ix, fused, response);
  } else if (Status s = promote_exact_title(*ix.lexical, typed, lexical, fused); !s.is_ok()) {
    return fail(s);
  }
  response.total = stable_total(mode, lexical_total, lexical, semantic, static_cast<size_t>(options_.candidates));
  std::vector<SearchHit> page;
  for (size_t i = static_cast<size_t>(request.offset); i < fused.size() && std::cmp_less(page.size(), request.limit);
       ++i) {
    page.push_back(fused[i]);
  }
  if (Status s = attach_ids(*ix.lexical, page); !s.is_ok()) return fail(s);
  response.hits = std::move(page);
  response.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return response;
}

Result<std::vector<SearchHit>> QueryPlanner::nearest(const std::vector<float>& query, int limit, std::int64_t from_day,
                                                     std::int64_t until_day) {
  if (limit <= 0 || limit > 1000) return fail(Status::invalid_argument("limit must be 1..1000"));
  const IndexSnapshot ix = indexes_.snapshot();
  std::vector<SearchHit> hits;
  if (!ix.vectors || std::cmp_not_equal(query.size(), ix.vectors->dimension())) return hits;
  const bool bounded = from_day != INT64_MIN || until_day != INT64_MAX;
  // hnswlib (Debian's) cannot filter inside the graph search: the day window is applied to the
  // neighbours found, widening the search while too few fall in the window.
  const auto size = static_cast<int>(std::min<size_t>(ix.vectors->size(), kMaxNearestScan));
  for (int k = bounded ? limit * 8 : limit;; k *= 4) {
    k = std::min(k, size);
    auto found = ix.vectors->search(query, k);
    std::vector<std::int64_t> ids;
    for (const auto& [id, score] : found) ids.push_back(id);
    if (bounded) {
      auto kept = in_days(ix, ids, from_day, until_day);
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
  if (Status s = attach_ids(*ix.lexical, hits); !s.is_ok()) return fail(s);
  return hits;
}

}  // namespace paperboy::search
