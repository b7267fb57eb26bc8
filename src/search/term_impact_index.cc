#include "search/term_impact_index.h"

#include <sqlite3.h>

#include "search/text_analyzer.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <thread>

namespace paperboy::search {

namespace {

// BM25 (Robertson & Zaragoza 2009) over a weighted term frequency (BM25F-style, one length
// normalisation over the weighted length); the same field weights and k1/b as FTS5's bm25().
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr float kTitleWeight = 10.0F;
constexpr float kAbstractWeight = 1.0F;
constexpr float kAuthorsWeight = 4.0F;
constexpr char kCategoryPrefix = '\x01';  // filter-only terms live in the same dictionary

struct TokenContext {
  const std::function<void(std::string_view)>* fn;
};

int on_token(void* ctx, int /*flags*/, const char* token, int size, int /*start*/, int /*end*/) {
  (*static_cast<TokenContext*>(ctx)->fn)(std::string_view(token, static_cast<size_t>(size)));
  return SQLITE_OK;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using Dictionary = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

// A paper's distinct term ids with their weighted frequencies, and its weighted length.
struct DocTerms {
  std::int64_t doc_id = 0;
  float length = 0;
  std::vector<std::pair<std::uint32_t, float>> terms;
};

// Papers as term ids, with the dictionary (id -> term) those ids index.
struct Tokenized {
  std::vector<DocTerms> docs;
  std::vector<std::string> terms;
};

std::uint32_t intern(Dictionary& dict, std::vector<std::string>& terms, std::string_view t) {
  auto it = dict.find(t);
  if (it != dict.end()) return it->second;
  auto id = static_cast<std::uint32_t>(terms.size());
  terms.emplace_back(t);
  dict.emplace(terms.back(), id);
  return id;
}

// Tokenizes on `threads` workers, each with its own dictionary (no locking), then maps every
// worker's ids onto one dictionary. Interning once per token instead of hashing strings per
// posting made the 141k build ~10x faster.
// Which postings a pass builds: the ranking postings (FTS5's tokens, BM25F field weights, category
// terms) or the prose postings (the text analyzer's terms of title and abstract, one weight).
enum class Postings { kRanking, kProse };

Tokenized tokenize_all(const PorterTokenizer& tokenizer, std::vector<ImpactDoc>& docs, int threads, Postings kind) {
  const size_t n = docs.size();
  const size_t workers =
      std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1, std::max<size_t>(1, n / 1000));
  Tokenized out;
  out.docs.resize(n);
  std::vector<Dictionary> dicts(workers);
  std::vector<std::vector<std::string>> terms(workers);
  auto work = [&](size_t w) {
    std::vector<std::pair<std::uint32_t, float>> raw;
    for (size_t i = w; i < n; i += workers) {
      ImpactDoc& d = docs[i];
      DocTerms& dt = out.docs[i];
      dt.doc_id = d.doc_id;
      raw.clear();
      auto field = [&](std::string_view text, float weight) {
        tokenizer.for_each_token(text, [&](std::string_view t) {
          raw.emplace_back(intern(dicts[w], terms[w], t), weight);
          dt.length += weight;
        });
      };
      if (kind == Postings::kProse) {
        auto add = [&](std::string_view t) {
          raw.emplace_back(intern(dicts[w], terms[w], t), 1.0F);
          dt.length += 1.0F;
        };
        // The title counts twice (as the encoder's text does): a question's words in the title
        // say more about the paper than the same words in the abstract.
        for_each_term(d.title, add);
        for_each_term(d.title, add);
        for_each_term(d.abstract, add);
      } else {
        field(d.title, kTitleWeight);
        field(d.abstract, kAbstractWeight);
        field(d.authors, kAuthorsWeight);
      }
      std::string_view cats = kind == Postings::kProse ? std::string_view() : std::string_view(d.categories);
      std::string key;
      while (!cats.empty()) {
        auto sp = cats.find(' ');
        std::string_view c = cats.substr(0, sp);
        if (!c.empty()) {
          key.assign(1, kCategoryPrefix).append(c);
          raw.emplace_back(intern(dicts[w], terms[w], key), 0.0F);
        }
        cats = sp == std::string_view::npos ? std::string_view() : cats.substr(sp + 1);
      }
      std::sort(raw.begin(), raw.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [id, tf] : raw) {
        if (!dt.terms.empty() && dt.terms.back().first == id) {
          dt.terms.back().second += tf;
        } else {
          dt.terms.emplace_back(id, tf);
        }
      }
      if (kind == Postings::kRanking) d = {};
    }
  };
  if (workers <= 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (size_t w = 0; w < workers; ++w) pool.emplace_back(work, w);
  }
  Dictionary global;
  std::vector<std::vector<std::uint32_t>> remap(workers);
  for (size_t w = 0; w < workers; ++w) {
    remap[w].reserve(terms[w].size());
    for (const auto& t : terms[w]) remap[w].push_back(intern(global, out.terms, t));
    dicts[w] = {};
    terms[w] = {};
  }
  for (size_t i = 0; i < n; ++i) {
    for (auto& [id, tf] : out.docs[i].terms) id = remap[i % workers][id];
  }
  return out;
}

}  // namespace

// Posting lists in compressed-sparse-row form: term t's papers are docs[offsets[t] .. offsets[t+1])
// in ascending order, with their impacts beside them.
struct TermImpactIndex::Segment {
  std::unordered_map<std::string, std::uint32_t> term_ids;
  std::vector<std::uint64_t> offsets;
  std::vector<std::int64_t> docs;
  std::vector<float> impacts;
  double doc_count = 0;
  double average_length = 1;

  struct List {
    const std::int64_t* docs = nullptr;
    const float* impacts = nullptr;
    size_t size = 0;
  };
  [[nodiscard]] List list(const std::string& term) const {
    auto it = term_ids.find(term);
    if (it == term_ids.end()) return {};
    size_t b = offsets[it->second], e = offsets[it->second + 1];
    return {docs.data() + b, impacts.data() + b, e - b};
  }
  [[nodiscard]] double df(const std::string& term) const { return static_cast<double>(list(term).size); }
};

struct TermImpactIndex::Snapshot {
  std::shared_ptr<const Segment> base;
  std::shared_ptr<const Segment> delta;                // may be null
  std::shared_ptr<const Segment> prose_base;           // prose postings of the same papers
  std::shared_ptr<const Segment> prose_delta;          // null exactly when delta is
  std::unordered_map<std::int64_t, std::int32_t> day;  // every paper's listing day
  // The same days by doc id (the store's dense integers; kNoDay where there is no paper), for
  // trends, which read the day of every match: an array read instead of a hash lookup.
  std::vector<std::int32_t> day_by_doc;
  static constexpr std::int32_t kNoDay = INT32_MIN;
  // The newest day ever set (a paper moved to an earlier day leaves it as it was): trends ask for it
  // on every search page, where a scan of `day` cost a millisecond at 141k papers.
  std::int32_t newest = INT32_MIN;
  void set_day(std::int64_t doc, std::int32_t d) {
    day[doc] = d;
    newest = std::max(newest, d);
    if (doc < 0 || doc > kMaxFlatDoc) return;
    if (static_cast<size_t>(doc) >= day_by_doc.size()) day_by_doc.resize(static_cast<size_t>(doc) + 1, kNoDay);
    day_by_doc[static_cast<size_t>(doc)] = d;
  }
  // Doc ids above this (not made by the store) stay out of the array; DayCollector falls back to `day`.
  static constexpr std::int64_t kMaxFlatDoc = 1LL << 24;  // 64 MiB at most
  std::unordered_map<std::int64_t, bool> in_delta;        // papers whose base entries are superseded
};

namespace {

using Segment = TermImpactIndex::Segment;

// Builds a segment; impacts use `stats` (the base segment) for idf and average length when given.
std::shared_ptr<Segment> make_segment(Tokenized& in, const Segment* stats, Postings kind) {
  auto seg = std::make_shared<Segment>();
  auto& docs = in.docs;
  std::sort(docs.begin(), docs.end(), [](const DocTerms& a, const DocTerms& b) { return a.doc_id < b.doc_id; });
  std::vector<std::uint64_t> counts(in.terms.size(), 0);
  double total_length = 0;
  for (const auto& d : docs) {
    total_length += d.length;
    for (const auto& [id, tf] : d.terms) ++counts[id];
  }
  seg->doc_count = static_cast<double>(docs.size());
  seg->average_length = docs.empty() ? 1.0 : std::max(1.0, total_length / seg->doc_count);
  const double n = stats ? stats->doc_count : seg->doc_count;
  const double avg = stats ? stats->average_length : seg->average_length;
  seg->offsets.assign(counts.size() + 1, 0);
  for (size_t t = 0; t < counts.size(); ++t) seg->offsets[t + 1] = seg->offsets[t] + counts[t];
  seg->docs.resize(seg->offsets.back());
  seg->impacts.resize(seg->offsets.back());
  std::vector<std::uint64_t> fill(seg->offsets.begin(), seg->offsets.end() - 1);
  std::vector<double> idf(counts.size());
  for (size_t id = 0; id < counts.size(); ++id) {
    double df = static_cast<double>(counts[id]);
    if (stats) df = std::max(df, stats->df(in.terms[id]));
    // Ranking: FTS5's idf, floored as FTS5 does so that very common terms still count a little.
    // Prose: Lucene's log(1 + ...), which never lets a common word of a long question go to zero.
    idf[id] = kind == Postings::kProse ? std::log(1.0 + (n - df + 0.5) / (df + 0.5))
                                       : std::max(1e-6, std::log((n - df + 0.5) / (df + 0.5)));
  }
  for (auto& d : docs) {
    const double norm = kK1 * (1.0 - kB + kB * d.length / avg);
    for (const auto& [id, tf] : d.terms) {
      std::uint64_t at = fill[id]++;
      seg->docs[at] = d.doc_id;
      seg->impacts[at] = tf > 0 ? static_cast<float>(idf[id] * tf * (kK1 + 1.0) / (tf + norm)) : 0.0F;
    }
    d.terms = {};
  }
  seg->term_ids.reserve(in.terms.size());
  for (size_t id = 0; id < in.terms.size(); ++id)
    seg->term_ids.emplace(std::move(in.terms[id]), static_cast<std::uint32_t>(id));
  return seg;
}

struct Candidate {
  double score;
  std::int64_t doc_id;
};
// Ranking order (higher score first, lower doc id on ties); as a heap order, the worst on top.
bool better(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score > b.score : a.doc_id < b.doc_id;
}

class TopK {
 public:
  explicit TopK(size_t k) : k_(k) {}
  void offer(std::int64_t doc, double score) {
    ++total_;
    if (k_ == 0) return;
    Candidate c{score, doc};
    if (heap_.size() < k_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  std::vector<ImpactHit> take() {
    std::sort(heap_.begin(), heap_.end(), better);
    std::vector<ImpactHit> out;
    out.reserve(heap_.size());
    for (const auto& c : heap_) out.push_back({c.doc_id, c.score});
    return out;
  }
  [[nodiscard]] std::int64_t total() const { return total_; }

 private:
  size_t k_;
  std::vector<Candidate> heap_;
  std::int64_t total_ = 0;
};

}  // namespace

Result<PorterTokenizer> PorterTokenizer::from(sqlite3* db) {
  // The documented way to reach the FTS5 C API from a connection (SQLite FTS5 docs §7.1).
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) {
    return fail(Status::internal(std::string("FTS5 API unavailable: ") + sqlite3_errmsg(db)));
  }
  sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (!api) return fail(Status::internal("FTS5 API unavailable"));
  PorterTokenizer t;
  t.api_ = api;
  return t;
}

void PorterTokenizer::for_each_token(std::string_view text, const std::function<void(std::string_view)>& fn) const {
  if (text.empty()) return;
  auto* api = static_cast<fts5_api*>(api_);
  void* user = nullptr;
  fts5_tokenizer tok{};
  if (api->xFindTokenizer(api, "porter", &user, &tok) != SQLITE_OK) return;
  const char* args[] = {"unicode61", "remove_diacritics", "2"};
  ::Fts5Tokenizer* instance = nullptr;
  if (tok.xCreate(user, args, 3, &instance) != SQLITE_OK) return;
  TokenContext ctx{&fn};
  tok.xTokenize(instance, &ctx, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()), on_token);
  tok.xDelete(instance);
}

std::vector<std::string> PorterTokenizer::tokens(std::string_view text) const {
  std::vector<std::string> out;
  for_each_token(text, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

TermImpactIndex::~TermImpactIndex() = default;

std::unique_ptr<TermImpactIndex> TermImpactIndex::build(const PorterTokenizer& tokenizer, std::vector<ImpactDoc> docs,
                                                        int threads) {
  std::unique_ptr<TermImpactIndex> index(new TermImpactIndex());
  auto snap = std::make_shared<Snapshot>();
  snap->day.reserve(docs.size());
  for (const auto& d : docs) snap->set_day(d.doc_id, d.day);
  auto prose = tokenize_all(tokenizer, docs, threads, Postings::kProse);
  snap->prose_base = make_segment(prose, nullptr, Postings::kProse);
  auto tokenized = tokenize_all(tokenizer, docs, threads, Postings::kRanking);
  snap->base = make_segment(tokenized, nullptr, Postings::kRanking);
  index->snapshot_ = std::move(snap);
  return index;
}

void TermImpactIndex::upsert(const PorterTokenizer& tokenizer, std::vector<ImpactDoc> docs) {
  auto old = snapshot();
  auto snap = std::make_shared<Snapshot>(*old);
  // The delta holds the newest text of every paper changed since the build.
  std::unordered_map<std::int64_t, size_t> at;
  for (size_t i = 0; i < delta_docs_.size(); ++i) at[delta_docs_[i].doc_id] = i;
  for (auto& d : docs) {
    snap->set_day(d.doc_id, d.day);
    snap->in_delta[d.doc_id] = true;
    if (auto it = at.find(d.doc_id); it != at.end()) {
      delta_docs_[it->second] = std::move(d);
    } else {
      at[d.doc_id] = delta_docs_.size();
      delta_docs_.push_back(std::move(d));
    }
  }
  std::vector<ImpactDoc> copy = delta_docs_;
  auto prose = tokenize_all(tokenizer, copy, 2, Postings::kProse);
  snap->prose_delta = make_segment(prose, snap->prose_base.get(), Postings::kProse);
  auto tokenized = tokenize_all(tokenizer, copy, 2, Postings::kRanking);
  snap->delta = make_segment(tokenized, snap->base.get(), Postings::kRanking);
  std::lock_guard lock(mu_);
  snapshot_ = std::move(snap);
}

std::shared_ptr<const TermImpactIndex::Snapshot> TermImpactIndex::snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

std::optional<std::int64_t> TermImpactIndex::day_of(std::int64_t doc_id) const {
  auto s = snapshot();
  auto d = s->day.find(doc_id);
  if (d == s->day.end()) return std::nullopt;
  return d->second;
}

size_t TermImpactIndex::size() const {
  return snapshot()->day.size();
}

size_t TermImpactIndex::memory_bytes() const {
  auto s = snapshot();
  size_t bytes = 0;
  for (const auto* seg : {s->base.get(), s->delta.get(), s->prose_base.get(), s->prose_delta.get()}) {
    if (seg) bytes += seg->docs.size() * (sizeof(std::int64_t) + sizeof(float)) + seg->term_ids.size() * 48;
  }
  return bytes + s->day.size() * 32 + s->day_by_doc.size() * sizeof(std::int32_t);
}

namespace {

std::vector<Segment::List> category_lists(const Segment& seg, const std::vector<std::string>& cats) {
  std::vector<Segment::List> out;
  for (const auto& c : cats) out.push_back(seg.list(std::string(1, kCategoryPrefix) + c));
  return out;
}

bool in_any(const std::vector<Segment::List>& lists, std::int64_t doc) {
  return std::any_of(lists.begin(), lists.end(),
                     [&](const Segment::List& l) { return std::binary_search(l.docs, l.docs + l.size, doc); });
}

bool in_all(const std::vector<Segment::List>& lists, std::int64_t doc) {
  return std::all_of(lists.begin(), lists.end(),
                     [&](const Segment::List& l) { return std::binary_search(l.docs, l.docs + l.size, doc); });
}

// Evaluates the query over one segment, offering every accepted match to `top` (anything with
// offer(doc, score)).
template <typename Top>
void search_segment(const Segment& seg, const ImpactQuery& q, const std::function<bool(std::int64_t)>& keep, Top& top) {
  std::vector<Segment::List> lists;
  const auto& query_terms = q.prose ? q.prose_terms : q.terms;
  for (const auto& t : query_terms) {
    auto l = seg.list(t);
    if (l.size == 0) {
      if (!q.match_any && !q.prose) return;
      continue;
    }
    lists.push_back(l);
  }
  if (lists.empty()) return;
  if (q.match_any || q.prose) {
    const int terms = static_cast<int>(query_terms.size());
    std::vector<double> coordination(static_cast<size_t>(terms) + 1, 1.0);
    for (int m = 0; m <= terms; ++m) {
      coordination[static_cast<size_t>(m)] = std::pow(static_cast<double>(m) / std::max(1, terms), q.coordination);
    }
    // Document-at-a-time union: few lists, so a linear pick of the smallest head is enough.
    std::vector<size_t> pos(lists.size(), 0);
    for (;;) {
      std::int64_t doc = INT64_MAX;
      for (size_t i = 0; i < lists.size(); ++i) {
        if (pos[i] < lists[i].size) doc = std::min(doc, lists[i].docs[pos[i]]);
      }
      if (doc == INT64_MAX) break;
      double score = 0;
      int matched = 0;
      for (size_t i = 0; i < lists.size(); ++i) {
        if (pos[i] < lists[i].size && lists[i].docs[pos[i]] == doc) {
          score += lists[i].impacts[pos[i]++];
          ++matched;
        }
      }
      if (q.coordination > 0 && matched < terms) score *= coordination[static_cast<size_t>(matched)];
      if (keep(doc)) top.offer(doc, score);
    }
    return;
  }
  // Conjunction: walk the shortest list, seek the others forward (they only move ahead).
  std::sort(lists.begin(), lists.end(), [](const auto& a, const auto& b) { return a.size < b.size; });
  std::vector<size_t> pos(lists.size(), 0);
  for (size_t i = 0; i < lists[0].size; ++i) {
    const std::int64_t doc = lists[0].docs[i];
    double score = lists[0].impacts[i];
    bool all = true;
    for (size_t j = 1; j < lists.size(); ++j) {
      const auto& l = lists[j];
      pos[j] = static_cast<size_t>(std::lower_bound(l.docs + pos[j], l.docs + l.size, doc) - l.docs);
      if (pos[j] == l.size) return;
      if (l.docs[pos[j]] != doc) {
        all = false;
        break;
      }
      score += l.impacts[pos[j]];
    }
    if (all && keep(doc)) top.offer(doc, score);
  }
}

}  // namespace

bool TermImpactIndex::passes_filters(const ImpactQuery& q, std::int64_t doc_id) const {
  auto s = snapshot();
  auto d = s->day.find(doc_id);
  if (d == s->day.end() || d->second < q.from_day || d->second > q.until_day) return false;
  if (q.any_category.empty() && q.all_category.empty()) return true;
  const Segment* seg = s->in_delta.contains(doc_id) ? s->delta.get() : s->base.get();
  if (seg == nullptr) return false;
  if (!q.any_category.empty() && !in_any(category_lists(*seg, q.any_category), doc_id)) return false;
  return in_all(category_lists(*seg, q.all_category), doc_id);
}

namespace {

// The filter of `q` over one segment of snapshot `s`: day window, categories, `accept`, and (for
// the base segment) not superseded by the delta.
std::function<bool(std::int64_t)> keep_in(const TermImpactIndex::Snapshot& s, const ImpactQuery& q,
                                          const Segment& segment, bool is_base) {
  const bool dated = q.from_day != INT64_MIN || q.until_day != INT64_MAX;
  return [&s, &q, dated, cats = category_lists(segment, q.any_category),
          required = category_lists(segment, q.all_category), is_base](std::int64_t doc) {
    if (is_base && !s.in_delta.empty() && s.in_delta.contains(doc)) return false;
    if (dated) {
      auto d = s.day.find(doc);
      if (d == s.day.end() || d->second < q.from_day || d->second > q.until_day) return false;
    }
    if (!q.any_category.empty() && !in_any(cats, doc)) return false;
    if (!required.empty() && !in_all(required, doc)) return false;
    return !q.accept || q.accept(doc);
  };
}

// Collects the listing day of every match (search_segment's Top for matching_days).
struct DayCollector {
  const TermImpactIndex::Snapshot& s;
  std::vector<std::int32_t>& days;
  void offer(std::int64_t doc, double /*score*/) {
    if (doc >= 0 && static_cast<size_t>(doc) < s.day_by_doc.size()) {
      if (s.day_by_doc[static_cast<size_t>(doc)] != TermImpactIndex::Snapshot::kNoDay) {
        days.push_back(s.day_by_doc[static_cast<size_t>(doc)]);
      }
    } else if (auto d = s.day.find(doc); d != s.day.end()) {
      days.push_back(d->second);
    }
  }
};

}  // namespace

std::vector<ImpactHit> TermImpactIndex::search(const ImpactQuery& q, int limit, std::int64_t* total) const {
  auto s = snapshot();
  TopK top(static_cast<size_t>(std::max(limit, 0)));
  // Filters read the ranking segment (it holds the category terms); prose queries score on the
  // prose segment of the same papers.
  search_segment(q.prose ? *s->prose_base : *s->base, q, keep_in(*s, q, *s->base, true), top);
  if (s->delta) search_segment(q.prose ? *s->prose_delta : *s->delta, q, keep_in(*s, q, *s->delta, false), top);
  if (total) *total = top.total();
  return top.take();
}

std::vector<std::int32_t> TermImpactIndex::matching_days(const ImpactQuery& query) const {
  auto s = snapshot();
  ImpactQuery q = query;
  q.prose = false;
  q.match_any = false;
  std::vector<std::int32_t> days;
  if (q.terms.empty()) {
    // Filters only: every paper is a candidate (the day map holds each paper once).
    auto base = keep_in(*s, q, *s->base, true);
    std::function<bool(std::int64_t)> delta;
    if (s->delta) delta = keep_in(*s, q, *s->delta, false);
    days.reserve(s->day.size());
    for (const auto& [doc, day] : s->day) {
      bool superseded = s->delta && s->in_delta.contains(doc);
      if (superseded ? delta(doc) : base(doc)) days.push_back(day);
    }
    return days;
  }
  DayCollector collect{*s, days};
  search_segment(*s->base, q, keep_in(*s, q, *s->base, true), collect);
  if (s->delta) search_segment(*s->delta, q, keep_in(*s, q, *s->delta, false), collect);
  return days;
}

std::optional<std::int32_t> TermImpactIndex::newest_day() const {
  auto s = snapshot();
  if (s->day.empty()) return std::nullopt;
  return s->newest;
}

}  // namespace paperboy::search
