// The SearchService implementation: a facade over the IndexMaintainer that keeps the indexes
// current with the store, the QueryPlanner that answers typed queries and nearest-vector lookups,
// and SimilarPapers.
#include "search/search_service.h"

#include <filesystem>

#include "search/index_maintainer.h"
#include "search/query_planner.h"
#include "search/similar_papers.h"
#include "search/vector_index.h"

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

Result<Sort> parse_sort(std::string_view text) {
  if (text == "relevance") return Sort::kRelevance;
  if (text == "newest") return Sort::kNewest;
  return fail(Status::invalid_argument("unknown sort '" + std::string(text) + "' (relevance or newest)"));
}

std::string_view sort_name(Sort sort) {
  return sort == Sort::kNewest ? "newest" : "relevance";
}

namespace {

namespace fs = std::filesystem;

// The natural-language ranking defaults, tuned on the RealScholarQuery dev queries with
// `paperboy eval search ../shared/eval/realscholarquery-dev --grid` (README figures).
constexpr double kDefaultCoordination = 0.0;
constexpr double kDefaultSemanticWeight = 1.0;
constexpr int kDefaultFeedbackDocs = 10;
constexpr double kDefaultFeedbackWeight = 2.0;
constexpr int kDefaultNaturalRrfK = 40;

SearchOptions with_defaults(SearchOptions o) {
  if (o.coordination < 0) o.coordination = kDefaultCoordination;
  if (o.semantic_weight < 0) o.semantic_weight = kDefaultSemanticWeight;
  if (o.feedback_docs < 0) o.feedback_docs = kDefaultFeedbackDocs;
  if (o.feedback_weight < 0) o.feedback_weight = kDefaultFeedbackWeight;
  if (o.natural_rrf_k < 0) o.natural_rrf_k = kDefaultNaturalRrfK;
  return o;
}

class IndexedSearch final : public SearchService {
 public:
  IndexedSearch(std::unique_ptr<IndexMaintainer> indexes, const SearchOptions& options)
      : indexes_(std::move(indexes)), queries_(*indexes_, options), similar_papers_(*indexes_, options) {}

  Result<SearchResponse> search(const SearchRequest& request) override { return queries_.search(request); }
  std::optional<std::string> suggest(std::string_view query) override { return queries_.suggest(query); }
  Result<std::vector<SearchHit>> similar(std::string_view arxiv_id, int limit) override {
    return similar_papers_.similar(arxiv_id, limit);
  }
  Result<std::vector<SearchHit>> more_like(std::span<const std::string> arxiv_ids, int limit) override {
    return similar_papers_.more_like(arxiv_ids, limit);
  }
  Result<std::vector<SearchHit>> similar_to_text(std::string_view text, int limit) override {
    return similar_papers_.similar_to_text(text, limit);
  }
  Result<MatchDays> matching_days(const SearchRequest& request) override { return queries_.matching_days(request); }
  Status catch_up() override { return indexes_->catch_up(); }
  [[nodiscard]] std::int64_t indexed_seq() const override { return indexes_->indexed_seq(); }

  Result<std::vector<std::vector<float>>> vectors_of(std::span<const std::int64_t> doc_ids) override {
    std::vector<std::vector<float>> out(doc_ids.size());
    auto vectors = indexes_->snapshot().vectors;
    if (!vectors) return out;
    for (size_t i = 0; i < doc_ids.size(); ++i) out[i] = vectors->vector_of(doc_ids[i]);
    return out;
  }
  Result<std::vector<SearchHit>> nearest(const std::vector<float>& query, int limit, std::int64_t from_day,
                                         std::int64_t until_day) override {
    return queries_.nearest(query, limit, from_day, until_day);
  }
  int vector_dimension() override {
    auto vectors = indexes_->snapshot().vectors;
    return vectors ? vectors->dimension() : 0;
  }

 private:
  std::unique_ptr<IndexMaintainer> indexes_;
  QueryPlanner queries_;
  SimilarPapers similar_papers_;
};

}  // namespace

Result<std::unique_ptr<SearchService>> open_search_service(store::Store& store, const SearchOptions& options) {
  if (options.index_dir.empty()) return fail(Status::invalid_argument("search: no index directory configured"));
  const SearchOptions tuned = with_defaults(options);
  auto indexes = IndexMaintainer::open(store, tuned);
  if (!indexes) return fail(indexes.error());
  return std::make_unique<IndexedSearch>(std::move(*indexes), tuned);
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
