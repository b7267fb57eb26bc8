// LexicalIndex: BM25 full-text search over title, abstract, authors and categories with SQLite
// FTS5 (porter stemming over unicode61, column weights title > authors > abstract, a 3-character
// prefix index), in its own database file under the data directory (DATA_DIR/index/lexical.db):
// derived data, never inside the store, so several instances can share one store and keep their
// own indexes. It follows the store's change sequence; the cursor is committed in the same
// transaction as the index rows, so a crash leaves index and cursor consistent.
// Thread-safe: queries use a pool of read connections; updates are serialised.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "search/query_parser.h"
#include "search/term_impact_index.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace paperboy::search {

struct LexicalHit {
  std::int64_t doc_id = 0;
  double score = 0;  // higher is better (negated FTS5 bm25)
};

// The text a paper is indexed with, as the in-memory ranking index takes it.
[[nodiscard]] ImpactDoc impact_doc(const store::StoredPaper& paper);

struct LexicalDoc {
  std::int64_t doc_id = 0;
  std::string arxiv_id;
  std::string title;
  std::string abstract;
};

// The FTS5 forms of a parsed query. `match` ranks (words AND-ed); `constraint` holds only what a
// result must satisfy (phrases, required, excluded, category and author filters) and is empty when
// there is nothing to enforce. Exposed for tests and the service.
struct FtsQuery {
  std::string match;
  std::string match_any;  // the same with words OR-ed: the fallback when the AND finds nothing
  std::string constraint;
  std::string excluded;  // OR of the excluded terms; a result must not match it
  // The constraint without the category filter (phrases, required terms, authors): what the
  // in-memory ranking index leaves to FTS5. Categories as index tokens ("cslg"), any of them.
  std::string text_constraint;
  std::vector<std::string> category_tokens;
  std::vector<std::string> required_category_tokens;  // all of them: has:code is "hascode"
  std::int64_t from_day = INT64_MIN;
  std::int64_t until_day = INT64_MAX;
};
[[nodiscard]] FtsQuery to_fts_query(const ParsedQuery& query);

class LexicalIndex {
 public:
  // Opens or creates the index file at `path`.
  [[nodiscard]] static Result<std::unique_ptr<LexicalIndex>> open(const std::string& path);
  ~LexicalIndex();

  // The store change sequence the index reflects.
  [[nodiscard]] Result<std::int64_t> cursor();
  // Indexes (or re-indexes) papers and moves the cursor to `new_cursor`, atomically.
  [[nodiscard]] Status apply(const std::vector<store::StoredPaper>& papers, std::int64_t new_cursor);
  // Merges the FTS5 b-trees into one: faster queries after a bulk build.
  [[nodiscard]] Status optimize();

  // Best `limit` hits for an FTS5 expression (see to_fts_query), within the listing-day bounds.
  [[nodiscard]] Result<std::vector<LexicalHit>> search(const std::string& match, std::int64_t from_day,
                                                       std::int64_t until_day, int limit, int offset);
  // Newest papers within the bounds: for filter-only queries such as `since:7d`.
  [[nodiscard]] Result<std::vector<LexicalHit>> newest(std::int64_t from_day, std::int64_t until_day, int limit,
                                                       int offset);
  // Which of `doc_ids` satisfy `constraint` and the day bounds (order kept).
  [[nodiscard]] Result<std::vector<std::int64_t>> filter(const std::vector<std::int64_t>& doc_ids,
                                                         const std::string& constraint, const std::string& excluded,
                                                         std::int64_t from_day, std::int64_t until_day);
  [[nodiscard]] Result<std::vector<LexicalDoc>> docs(const std::vector<std::int64_t>& doc_ids);
  [[nodiscard]] Result<std::optional<std::int64_t>> doc_id_of(const std::string& arxiv_id);
  [[nodiscard]] Result<std::int64_t> count();

  // Every indexed paper's text, for building the in-memory ranking index.
  [[nodiscard]] Result<std::vector<ImpactDoc>> all_docs();
  // The doc ids matching an FTS5 expression, ascending, unranked (cheap: no bm25).
  [[nodiscard]] Result<std::vector<std::int64_t>> matching(const std::string& match);
  // arXiv ids of `doc_ids` (absent papers are left out of the map).
  [[nodiscard]] Result<std::unordered_map<std::int64_t, std::string>> arxiv_ids(
      const std::vector<std::int64_t>& doc_ids);
  // FTS5's tokenizer, as this index tokenizes; valid while the index lives.
  [[nodiscard]] Result<PorterTokenizer> tokenizer();

 private:
  explicit LexicalIndex(const std::string& path);
  Result<store::sqlite::ReaderPool::Lease> reader() { return readers_.acquire(); }

  std::mutex write_mu_;
  std::unique_ptr<store::sqlite::Connection> writer_;
  store::sqlite::ReaderPool readers_;
};

}  // namespace paperboy::search
