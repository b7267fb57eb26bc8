// SearchService: the one interface the web layer, the CLI and recommendations use to find papers:
// lexical + semantic hybrid search with filters, similar papers, "more like these". Its indexes
// are derived data, built from the store and kept current by following the store's change
// sequence. Implementations are thread-safe for concurrent queries.
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paperboy::store {
class Store;
}

namespace paperboy::search {

enum class Mode { kLexical, kSemantic, kHybrid };

// "lexical" | "semantic" | "hybrid"
[[nodiscard]] Result<Mode> parse_mode(std::string_view text);
[[nodiscard]] std::string_view mode_name(Mode mode);

// kRelevance: the ranking of `Mode`; kNewest: the matching papers newest first (listing day; for
// a query with words, among its best 1,000 matches), the same order on every page.
enum class Sort { kRelevance, kNewest };

// "relevance" | "newest"
[[nodiscard]] Result<Sort> parse_sort(std::string_view text);
[[nodiscard]] std::string_view sort_name(Sort sort);

struct SearchRequest {
  // The query language: words, "phrases", +required, -excluded, and filters cat:cs.LG,
  // author:Hinton, since:7d, from:2024-01-01, until:2024-12-31.
  std::string query;
  Mode mode = Mode::kHybrid;
  int limit = 20;
  int offset = 0;
  // Filters chosen beside the query (the search page's controls, API parameters): the same as
  // typing cat:X (any of them), from:DATE and until:DATE into it. Dates YYYY-MM-DD, YYYY-MM or YYYY.
  std::vector<std::string> categories;
  std::string from;
  std::string until;
  bool has_code = false;  // only papers that link their code (has:code)
  Sort sort = Sort::kRelevance;
  // When the query finds nothing and a spelling suggestion does, answer with the suggestion's
  // results (false: the query as typed, "search instead for ...").
  bool correct_typos = true;
};

struct SearchHit {
  std::int64_t doc_id = 0;
  std::string id;    // arXiv id
  double score = 0;  // the fused score the ranking used (higher is better)
  // Where the hit came from, for explanations: 0 when that side did not return it.
  int lexical_rank = 0;
  int semantic_rank = 0;
  double lexical_score = 0;
  double semantic_score = 0;
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  // How many papers the query matches: the same on every page of one query (papers with its words
  // when the lexical side counts them, else the fused candidates; an estimate for semantic/hybrid).
  std::int64_t total = 0;
  std::vector<std::string> highlight_terms;  // the positive words and phrases, as typed (prefix words keep their *)
  std::string explanation;                   // how the query was understood, for "no results" help
  // "Did you mean": the query with misspelt words corrected (empty when none). When the query
  // found nothing and the suggestion finds papers, the hits are the suggestion's.
  std::string suggestion;
  bool shows_suggestion = false;  // the hits are the suggestion's (the query as typed found nothing)
  double took_ms = 0;
};

// What trends read: the listing day of every paper a query matches, and the newest listing day
// of any indexed paper (days since 1970-01-01).
struct MatchDays {
  std::vector<std::int32_t> days;  // one per matching paper, in no particular order
  std::optional<std::int32_t> newest_day;
};

class SearchService {
 public:
  virtual ~SearchService() = default;

  virtual Result<SearchResponse> search(const SearchRequest& request) = 0;
  // Papers most similar to one paper (excluding itself).
  virtual Result<std::vector<SearchHit>> similar(std::string_view arxiv_id, int limit) = 0;
  // Papers most similar to a pasted text (an abstract, a draft; at most 20,000 bytes).
  virtual Result<std::vector<SearchHit>> similar_to_text(std::string_view /*text*/, int /*limit*/) {
    return fail(Status::unavailable("similar papers by text are not supported here"));
  }
  // Papers most similar to a set of papers (excluding them): "more like these".
  virtual Result<std::vector<SearchHit>> more_like(std::span<const std::string> arxiv_ids, int limit) = 0;
  // "Did you mean": the query with misspelt words replaced by near, more common words of the
  // indexed papers; nullopt when every word looks right (or the vocabulary is not built yet).
  [[nodiscard]] virtual std::optional<std::string> suggest(std::string_view /*query*/) { return std::nullopt; }
  // Trends: the days of every paper the request's query matches: all its words (a natural-language
  // query's content words), phrases and filters; unranked, no limit. Unavailable until the ranking
  // index is built.
  virtual Result<MatchDays> matching_days(const SearchRequest& /*request*/) {
    return fail(Status::unavailable("trends are not supported here"));
  }
  // Applies store changes made since the last call; cheap when nothing changed.
  virtual Status catch_up() = 0;

  // The stored unit-length document vectors of these papers (store doc ids), in the order asked;
  // an empty vector where a paper has none (not indexed yet, or semantic search not trained).
  // For models built over the vectors, such as personal recommendations.
  virtual Result<std::vector<std::vector<float>>> vectors_of(std::span<const std::int64_t> doc_ids) = 0;
  // The papers nearest to `query` (a unit vector of vector_dimension() floats) by inner product,
  // best first, with semantic_score set; only papers listed within [from_day, until_day] (days
  // since 1970-01-01) when bounded. Empty while semantic search is not trained.
  virtual Result<std::vector<SearchHit>> nearest(const std::vector<float>& query, int limit,
                                                 std::int64_t from_day = INT64_MIN,
                                                 std::int64_t until_day = INT64_MAX) = 0;
  // The dimension of the document vectors (0 while semantic search is not trained).
  virtual int vector_dimension() = 0;
  // The change sequence number the indexes have applied up to (-1: they follow no store). The web
  // cache keys on it, so a result cached before the index saw a change is not served after.
  [[nodiscard]] virtual std::int64_t indexed_seq() const { return -1; }
};

struct SearchOptions {
  std::string index_dir;        // where the derived indexes live; the CLI uses DATA_DIR/index
  int dimension = 256;          // LSA dimensions
  int min_train_docs = 200;     // semantic search starts once the store has this many papers
  int candidates = 100;         // candidates each side contributes to hybrid fusion
  int similar_candidates = 50;  // nearest vectors re-scored for similar papers (each costs a tf-idf pass)
  int rrf_k = 60;               // reciprocal-rank fusion constant (Cormack et al. 2009)
  // Natural-language queries (see query_understanding.h), tuned on the dev queries with
  // `paperboy eval search`: the coordination exponent of the lexical side (the share of the query's
  // content words a paper has, to this power, scales its prose BM25 score; 0, the default: plain BM25); the semantic
  // side's weight in the fusion and its reciprocal-rank constant; and pseudo-relevance feedback: the semantic side
  // searches with the query vector plus `feedback_weight` x the centroid of the best `feedback_docs` lexical hits. Each
  // < 0: the tuned default (search_service.cc).
  double coordination = -1;
  double semantic_weight = -1;
  int natural_rrf_k = -1;
  int feedback_docs = -1;
  double feedback_weight = -1;
  int hnsw_m = 16;
  // 48 rather than hnswlib's customary 100-200: builds the 141k graph in well under half the time;
  // the candidates are re-ranked (hybrid fusion, similar-paper blend), so a little recall is cheap.
  int hnsw_ef_construction = 48;
  int hnsw_ef_search = 128;
  int build_threads = 2;      // threads for the vector graph build
  int catch_up_batch = 5000;  // papers read from the store per step
  // The vector graph is written to disk at most this often during catch_up (0: every time);
  // it is always written on close, and a lost write is replayed from the store on open.
  int persist_interval_seconds = 30;
  // The in-memory ranking index (precomputed BM25 impacts, see term_impact_index.h) that serves
  // lexical ranking and search filters once built: kAtOpen builds it before open returns (a few
  // seconds per 100k papers), kBackground right after (FTS5 ranks until it is ready: servers),
  // kOff never (one-shot commands, where FTS5 alone answers faster than a build).
  enum class RankingIndex { kOff, kBackground, kAtOpen };
  RankingIndex ranking_index = RankingIndex::kBackground;
};

// Opens the indexes under options.index_dir (creating them) and brings them up to date with the
// store (the first time this is a full build). The service keeps a reference to `store`.
[[nodiscard]] Result<std::unique_ptr<SearchService>> open_search_service(store::Store& store,
                                                                         const SearchOptions& options);

// Deletes the indexes under options.index_dir and rebuilds them from the store (`paperboy reindex`).
[[nodiscard]] Status rebuild_search_indexes(store::Store& store, const SearchOptions& options);

}  // namespace paperboy::search
