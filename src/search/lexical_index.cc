#include "search/lexical_index.h"

#include <cctype>

#include <spdlog/spdlog.h>

#include "core/code_links.h"
#include "core/text.h"

namespace paperboy::search {
namespace {

using store::sqlite::Connection;
using store::sqlite::Transaction;

constexpr int kReadCacheMib = 16;
constexpr std::int64_t kSecondsPerDay = 86400;

// The index's layout version, in meta('format'): an index of another version is rebuilt on open.
// 2: the categories column carries kHasCodeToken for papers that link their code.
constexpr std::int64_t kFormat = 2;
constexpr std::string_view kHasCodeToken = "hascode";

// Title weighs most, then authors, then the abstract; categories only filter.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS docs(doc_id INTEGER PRIMARY KEY, arxiv_id TEXT NOT NULL UNIQUE, day INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS docs_day ON docs(day);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, abstract, authors, categories,
  tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3');
INSERT OR IGNORE INTO meta(key, value) VALUES('cursor', 0);
)sql";
constexpr const char* kRankConfig = "INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(10.0, 1.0, 4.0, 0.0)')";

// Does the text contain anything the unicode61 tokenizer keeps (a letter, digit or non-ASCII)?
bool has_token(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) return true;
  }
  return false;
}

// An FTS5 string literal: the text between double quotes, quotes doubled. Everything the user
// types goes through here, so no input can inject FTS5 syntax.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// A word, with a trailing '*' as a prefix query.
std::string word_term(std::string_view w) {
  bool prefix = false;
  while (!w.empty() && w.back() == '*') {
    w.remove_suffix(1);
    prefix = true;
  }
  if (!has_token(w)) return {};
  return quote(w) + (prefix ? " *" : "");
}

// Category "cs.LG" is indexed as the token "cslg" (unicode61 would split it at the dot).
std::string category_token(std::string_view c) {
  std::string out;
  for (char ch : c) {
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string with_exclusions(const std::string& positive, const std::string& excluded) {
  if (positive.empty() || excluded.empty()) return positive;
  return "(" + positive + ") NOT (" + excluded + ")";
}

std::string categories_text(const core::Paper& p) {
  std::string out;
  // A filter-only token beside the categories: the paper links its code (has:code).
  if (!core::find_code_links(p.abstract).empty() || !core::find_code_links(p.comments).empty()) {
    out += std::string(kHasCodeToken) + " ";
  }
  for (const auto& c : p.categories) {
    std::string tok = category_token(c);
    out += tok + " ";
    auto dot = c.find('.');
    if (dot != std::string::npos) out += category_token(c.substr(0, dot)) + " ";  // cat:cs matches cs.*
  }
  return out;
}

std::string authors_text(const core::Paper& p) {
  std::string out;
  for (const auto& a : p.authors) out += (out.empty() ? "" : ", ") + a.display_name();
  return out;
}

}  // namespace

FtsQuery to_fts_query(const ParsedQuery& q) {
  std::vector<std::string> words, must, excluded;
  for (const auto& w : q.words) words.push_back(word_term(w));
  for (const auto& p : q.phrases) must.push_back(has_token(p) ? quote(p) : "");
  for (const auto& r : q.required) must.push_back(word_term(r));
  for (const auto& e : q.excluded) excluded.push_back(word_term(e));
  for (const auto& a : q.authors) {
    if (has_token(a)) must.push_back("authors : " + quote(a));
  }
  FtsQuery out;
  out.text_constraint = join(must, " AND ");
  std::vector<std::string> cats;
  for (const auto& c : q.categories) {
    std::string tok = category_token(c);
    if (!tok.empty()) {
      cats.push_back(quote(tok));
      out.category_tokens.push_back(tok);
    }
  }
  if (!cats.empty()) must.push_back("categories : (" + join(cats, " OR ") + ")");
  if (q.has_code) {
    must.push_back("categories : " + quote(kHasCodeToken));
    out.required_category_tokens.emplace_back(kHasCodeToken);
  }
  std::string must_text = join(must, " AND ");
  std::string excl_text = join(excluded, " OR ");
  std::string all_words = join(words, " AND ");
  std::string any_words = join(words, " OR ");
  out.match = with_exclusions(join({all_words, must_text}, " AND "), excl_text);
  if (!any_words.empty()) {
    out.match_any = with_exclusions(join({"(" + any_words + ")", must_text}, " AND "), excl_text);
  }
  out.constraint = must_text;
  out.excluded = excl_text;
  if (q.from_day) out.from_day = *q.from_day;
  if (q.until_day) out.until_day = *q.until_day;
  return out;
}

ImpactDoc impact_doc(const store::StoredPaper& sp) {
  const core::Paper& p = sp.paper;
  return {sp.doc_id,       static_cast<std::int32_t>(p.first_version_time() / kSecondsPerDay),
          p.title,         p.abstract,
          authors_text(p), categories_text(p)};
}

LexicalIndex::LexicalIndex(const std::string& path) : readers_(path, kReadCacheMib) {}

LexicalIndex::~LexicalIndex() = default;

Result<std::unique_ptr<LexicalIndex>> LexicalIndex::open(const std::string& path) {
  std::unique_ptr<LexicalIndex> index(new LexicalIndex(path));
  auto conn = Connection::open(path, 64);
  if (!conn) return fail(conn.error());
  if (Status s = (*conn)->exec(kSchema); !s.is_ok()) return fail(s.with_context("creating the lexical index " + path));
  {
    // An index written in an older layout (or by an older release) starts over: the catch-up
    // refills it from the store.
    std::int64_t format = 0;
    std::int64_t cursor = 0;
    {
      auto st = (*conn)->prepare(
          "SELECT (SELECT value FROM meta WHERE key = 'format'), (SELECT value FROM meta WHERE key = 'cursor')");
      if (!st) return fail(st.error());
      auto row = st->step();
      if (!row) return fail(row.error());
      format = st->is_null(0) ? 0 : st->int64(0);
      cursor = st->is_null(1) ? 0 : st->int64(1);
    }
    if (format != kFormat && cursor > 0) {
      spdlog::info("search: the lexical index {} is in layout {} (now {}); rebuilding it", path, format, kFormat);
      if (Status s = (*conn)->exec("DROP TABLE fts; DROP TABLE docs; DELETE FROM meta;"); !s.is_ok()) return fail(s);
      if (Status s = (*conn)->exec(kSchema); !s.is_ok()) return fail(s);
    }
    auto set = (*conn)->prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('format', ?1)");
    if (!set) return fail(set.error());
    if (Status s = set->bind(1, kFormat).run(); !s.is_ok()) return fail(s);
  }
  {
    auto st = (*conn)->prepare("SELECT count(*) FROM fts_config WHERE k = 'rank'");
    if (!st) return fail(st.error());
    auto row = st->step();
    if (!row) return fail(row.error());
    if (st->int64(0) == 0) {
      if (Status s = (*conn)->exec(kRankConfig); !s.is_ok()) return fail(s);
    }
  }
  index->writer_ = std::move(*conn);
  return index;
}

Result<std::int64_t> LexicalIndex::cursor() {
  std::lock_guard lock(write_mu_);
  auto st = writer_->prepare("SELECT value FROM meta WHERE key = 'cursor'");
  if (!st) return fail(st.error());
  auto row = st->step();
  if (!row) return fail(row.error());
  return *row ? st->int64(0) : 0;
}

Status LexicalIndex::apply(const std::vector<store::StoredPaper>& papers, std::int64_t new_cursor) {
  std::lock_guard lock(write_mu_);
  auto tx = Transaction::begin(*writer_);
  if (!tx) return tx.error();
  for (const auto& sp : papers) {
    const core::Paper& p = sp.paper;
    {
      auto del = writer_->prepare("DELETE FROM fts WHERE rowid = ?1");
      if (!del) return del.error();
      PB_RETURN_IF_ERROR(del->bind(1, sp.doc_id).run());
    }
    std::string authors = authors_text(p);
    std::string cats = categories_text(p);
    auto ins =
        writer_->prepare("INSERT INTO fts(rowid, title, abstract, authors, categories) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!ins) return ins.error();
    PB_RETURN_IF_ERROR(
        ins->bind(1, sp.doc_id).bind(2, p.title).bind(3, p.abstract).bind(4, authors).bind(5, cats).run());
    auto doc = writer_->prepare("INSERT OR REPLACE INTO docs(doc_id, arxiv_id, day) VALUES(?1, ?2, ?3)");
    if (!doc) return doc.error();
    PB_RETURN_IF_ERROR(doc->bind(1, sp.doc_id).bind(2, p.id).bind(3, p.first_version_time() / kSecondsPerDay).run());
  }
  auto cur = writer_->prepare("UPDATE meta SET value = ?1 WHERE key = 'cursor'");
  if (!cur) return cur.error();
  PB_RETURN_IF_ERROR(cur->bind(1, new_cursor).run());
  return tx->commit();
}

Result<std::vector<ImpactDoc>> LexicalIndex::all_docs() {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  std::unordered_map<std::int64_t, std::int32_t> days;
  {
    auto st = (*conn)->prepare("SELECT doc_id, day FROM docs");
    if (!st) return fail(st.error());
    for (;;) {
      auto row = st->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      days[st->int64(0)] = static_cast<std::int32_t>(st->int64(1));
    }
  }
  auto st = (*conn)->prepare("SELECT rowid, title, abstract, authors, categories FROM fts");
  if (!st) return fail(st.error());
  std::vector<ImpactDoc> out;
  out.reserve(days.size());
  for (;;) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    ImpactDoc d;
    d.doc_id = st->int64(0);
    d.day = days[d.doc_id];
    d.title = st->text(1);
    d.abstract = st->text(2);
    d.authors = st->text(3);
    d.categories = st->text(4);
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

// The expression is ours (to_fts_query), so an FTS5 error is not the user's to read: it is logged
// and the user told what to do.
Status match_failed(const std::string& match, const Status& error) {
  spdlog::warn("search: FTS5 rejected '{}': {}", match, error.to_string());
  return Status::invalid_argument("this query has nothing to search for; use words, \"phrases\" or field:value");
}

}  // namespace

Result<std::vector<std::int64_t>> LexicalIndex::matching(const std::string& match) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare("SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rowid");
  if (!st) return fail(st.error());
  st->bind(1, match);
  std::vector<std::int64_t> out;
  for (;;) {
    auto row = st->step();
    if (!row) return fail(match_failed(match, row.error()));
    if (!*row) break;
    out.push_back(st->int64(0));
  }
  return out;
}

Result<std::unordered_map<std::int64_t, std::string>> LexicalIndex::arxiv_ids(
    const std::vector<std::int64_t>& doc_ids) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  std::unordered_map<std::int64_t, std::string> out;
  auto st = (*conn)->prepare("SELECT arxiv_id FROM docs WHERE doc_id = ?1");  // once, not per id
  if (!st) return fail(st.error());
  for (std::int64_t id : doc_ids) {
    st->bind(1, id);
    auto row = st->step();
    if (!row) return fail(row.error());
    if (*row) out.emplace(id, std::string(st->text(0)));
    st->reset();
  }
  return out;
}

Result<PorterTokenizer> LexicalIndex::tokenizer() {
  std::lock_guard lock(write_mu_);
  return PorterTokenizer::from(writer_->raw());
}

Status LexicalIndex::optimize() {
  std::lock_guard lock(write_mu_);
  return writer_->exec("INSERT INTO fts(fts) VALUES('optimize')");
}

Result<std::vector<LexicalHit>> LexicalIndex::search(const std::string& match, std::int64_t from_day,
                                                     std::int64_t until_day, int limit, int offset) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  const bool bounded = from_day != INT64_MIN || until_day != INT64_MAX;
  // Without day bounds the plain FTS5 query keeps its rank-ordered fast path.
  auto st = bounded
                ? (*conn)->prepare(
                      "SELECT fts.rowid, -fts.rank FROM fts JOIN docs ON docs.doc_id = fts.rowid "
                      "WHERE fts MATCH ?1 AND docs.day BETWEEN ?2 AND ?3 ORDER BY fts.rank LIMIT ?4 OFFSET ?5")
                : (*conn)->prepare("SELECT rowid, -rank FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?4 OFFSET ?5");
  if (!st) return fail(st.error());
  st->bind(1, match).bind(4, limit).bind(5, offset);
  if (bounded) st->bind(2, from_day).bind(3, until_day);
  std::vector<LexicalHit> hits;
  for (;;) {
    auto row = st->step();
    if (!row) return fail(match_failed(match, row.error()));
    if (!*row) break;
    hits.push_back({st->int64(0), st->real(1)});
  }
  return hits;
}

Result<std::vector<LexicalHit>> LexicalIndex::newest(std::int64_t from_day, std::int64_t until_day, int limit,
                                                     int offset) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare(
      "SELECT doc_id FROM docs WHERE day BETWEEN ?1 AND ?2 ORDER BY day DESC, doc_id DESC LIMIT ?3 OFFSET ?4");
  if (!st) return fail(st.error());
  st->bind(1, from_day).bind(2, until_day).bind(3, limit).bind(4, offset);
  std::vector<LexicalHit> hits;
  for (;;) {
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    hits.push_back({st->int64(0), 0.0});
  }
  return hits;
}

Result<std::vector<std::int64_t>> LexicalIndex::filter(const std::vector<std::int64_t>& doc_ids,
                                                       const std::string& constraint, const std::string& excluded,
                                                       std::int64_t from_day, std::int64_t until_day) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  auto matches = [&](const std::string& expr, std::int64_t id) -> Result<bool> {
    auto st = (*conn)->prepare("SELECT 1 FROM fts WHERE fts MATCH ?1 AND rowid = ?2");
    if (!st) return fail(st.error());
    st->bind(1, expr).bind(2, id);
    return st->step();
  };
  std::vector<std::int64_t> kept;
  for (std::int64_t id : doc_ids) {
    auto st = (*conn)->prepare("SELECT day FROM docs WHERE doc_id = ?1");
    if (!st) return fail(st.error());
    st->bind(1, id);
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row || st->int64(0) < from_day || st->int64(0) > until_day) continue;
    if (!constraint.empty()) {
      auto m = matches(constraint, id);
      if (!m) return fail(m.error());
      if (!*m) continue;
    }
    if (!excluded.empty()) {
      auto m = matches(excluded, id);
      if (!m) return fail(m.error());
      if (*m) continue;
    }
    kept.push_back(id);
  }
  return kept;
}

Result<std::vector<LexicalDoc>> LexicalIndex::docs(const std::vector<std::int64_t>& doc_ids) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  std::vector<LexicalDoc> out;
  for (std::int64_t id : doc_ids) {
    auto st = (*conn)->prepare(
        "SELECT docs.arxiv_id, fts.title, fts.abstract FROM docs JOIN fts ON fts.rowid = docs.doc_id WHERE docs.doc_id "
        "= ?1");
    if (!st) return fail(st.error());
    st->bind(1, id);
    auto row = st->step();
    if (!row) return fail(row.error());
    if (!*row) continue;
    out.push_back({id, std::string(st->text(0)), std::string(st->text(1)), std::string(st->text(2))});
  }
  return out;
}

Result<std::optional<std::int64_t>> LexicalIndex::doc_id_of(const std::string& arxiv_id) {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare("SELECT doc_id FROM docs WHERE arxiv_id = ?1");
  if (!st) return fail(st.error());
  st->bind(1, arxiv_id);
  auto row = st->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st->int64(0));
}

Result<std::int64_t> LexicalIndex::count() {
  auto conn = reader();
  if (!conn) return fail(conn.error());
  auto st = (*conn)->prepare("SELECT count(*) FROM docs");
  if (!st) return fail(st.error());
  auto row = st->step();
  if (!row) return fail(row.error());
  return st->int64(0);
}

}  // namespace paperboy::search
