// TermImpactIndex: the in-memory ranking index behind fast lexical search. Every (term, paper)
// pair holds its precomputed BM25F impact (field weights title 10, authors 4, abstract 1, as the
// FTS5 index uses), so a query is a merge of a few sorted posting lists and a sum, instead of
// FTS5's bm25() which re-reads positions and document sizes for every matching row (measured: ~5 us a
// match, 190 ms for a one-word query matching 55k papers). Tokens come from FTS5's own
// `porter unicode61` tokenizer, so both indexes agree on what a word is. Categories are indexed
// as filter-only terms; listing days are kept per paper for date filters. FTS5 stays the source
// of truth for phrases, prefixes, author filters and exclusions.
// Built from the lexical index at open; changed papers go to a small delta segment that
// supersedes their base entries. Immutable snapshots: concurrent queries never lock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

struct sqlite3;

namespace paperboy::search {

// One paper's indexed text, as the lexical index stores it.
struct ImpactDoc {
  std::int64_t doc_id = 0;
  std::int32_t day = 0;  // listing day (days since 1970-01-01)
  std::string title;
  std::string abstract;
  std::string authors;
  std::string categories;  // category tokens separated by spaces ("cslg cs")
};

// FTS5's `porter unicode61 remove_diacritics 2` tokenizer, borrowed from an open SQLite
// connection (which must outlive it). Each call creates its own tokenizer instance, so it is
// thread-safe.
class PorterTokenizer {
 public:
  [[nodiscard]] static Result<PorterTokenizer> from(sqlite3* db);
  [[nodiscard]] std::vector<std::string> tokens(std::string_view text) const;
  // Calls fn(token) for every token of every text, with one tokenizer instance.
  void for_each_token(std::string_view text, const std::function<void(std::string_view)>& fn) const;

 private:
  void* api_ = nullptr;  // fts5_api*
};

// The part of a query the impact index evaluates: all of `terms` must occur (or any, when
// `match_any`), and the paper must pass `accept`.
struct ImpactQuery {
  std::vector<std::string> terms;         // tokenizer output
  std::vector<std::string> any_category;  // category tokens; empty: no category filter
  std::vector<std::string> all_category;  // category tokens the paper must all carry ("hascode")
  std::int64_t from_day = INT64_MIN;
  std::int64_t until_day = INT64_MAX;
  bool match_any = false;
  // With match_any: a paper's summed impact is multiplied by (matched terms / query terms) ^
  // coordination, so papers with more of the words rank first without requiring all of them.
  double coordination = 0;
  // Prose queries (long, natural-language ones) rank on the prose postings instead: plain BM25
  // (k1 1.2, b 0.75, idf log(1 + ...)) over title and abstract as the text analyzer splits them,
  // any of `prose_terms`, with the same filters. Field-weighted BM25F favours a title hit of one
  // word over an abstract that uses every word of a question (measured in README "Relevance").
  bool prose = false;
  std::vector<std::string> prose_terms;      // text analyzer output (search::analyze)
  std::function<bool(std::int64_t)> accept;  // further filter (FTS5 phrase/author sets); may be empty
};

struct ImpactHit {
  std::int64_t doc_id = 0;
  double score = 0;
};

class TermImpactIndex {
 public:
  // Builds from `docs` (in any order). `threads` > 1 tokenizes in parallel.
  [[nodiscard]] static std::unique_ptr<TermImpactIndex> build(const PorterTokenizer& tokenizer,
                                                              std::vector<ImpactDoc> docs, int threads);
  ~TermImpactIndex();

  // Adds or replaces papers (a catch-up batch). Not thread-safe against other updates; queries may
  // run concurrently.
  void upsert(const PorterTokenizer& tokenizer, std::vector<ImpactDoc> docs);

  // Best `limit` papers (score descending, doc id ascending on ties) and how many matched.
  [[nodiscard]] std::vector<ImpactHit> search(const ImpactQuery& query, int limit, std::int64_t* total = nullptr) const;
  // The listing day of every paper the query matches (all of `terms`, or every paper when there are
  // none; filters and `accept` applied; prose and match_any ignored), in no particular order.
  [[nodiscard]] std::vector<std::int32_t> matching_days(const ImpactQuery& query) const;
  // The newest listing day any indexed paper has had (nullopt when empty).
  [[nodiscard]] std::optional<std::int32_t> newest_day() const;
  // Does the paper satisfy the query's category and day filters (and exist)?
  [[nodiscard]] bool passes_filters(const ImpactQuery& query, std::int64_t doc_id) const;
  // The paper's listing day (days since 1970-01-01), nullopt when it is not indexed.
  [[nodiscard]] std::optional<std::int64_t> day_of(std::int64_t doc_id) const;
  [[nodiscard]] size_t size() const;
  [[nodiscard]] size_t memory_bytes() const;

  struct Segment;
  struct Snapshot;

 private:
  TermImpactIndex() = default;
  std::shared_ptr<const Snapshot> snapshot() const;

  mutable std::mutex mu_;  // guards snapshot_ (swapped on update)
  std::shared_ptr<const Snapshot> snapshot_;
  std::vector<ImpactDoc> delta_docs_;  // the papers in the delta segment (updates only)
};

}  // namespace paperboy::search
