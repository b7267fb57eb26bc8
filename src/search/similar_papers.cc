#include "search/similar_papers.h"

#include <algorithm>
#include <utility>

#include "search/encoder.h"
#include "search/index_maintainer.h"
#include "search/lexical_index.h"
#include "search/similarity.h"
#include "search/text_analyzer.h"
#include "search/vector_index.h"

namespace paperboy::search {

namespace {

constexpr int kSimilarQueryTerms = 12;  // terms of the example paper in the lexical "more like this" query
// The longest text accepted for "similar to this text" (an abstract or a draft's opening pages).
constexpr size_t kMaxSimilarText = 20000;

}  // namespace

Result<std::vector<SearchHit>> SimilarPapers::similar(std::string_view arxiv_id, int limit) {
  std::string id(arxiv_id);
  return more_like(std::span<const std::string>(&id, 1), limit);
}

Result<std::vector<SearchHit>> SimilarPapers::more_like(std::span<const std::string> arxiv_ids, int limit) {
  if (arxiv_ids.empty()) return fail(Status::invalid_argument("more like these: no paper ids given"));
  if (limit <= 0 || limit > 1000) return fail(Status::invalid_argument("limit must be 1..1000"));
  LexicalIndex& lexical = *indexes_.snapshot().lexical;
  std::vector<std::int64_t> seeds;
  for (const auto& a : arxiv_ids) {
    auto d = lexical.doc_id_of(a);
    if (!d) return fail(d.error());
    if (!*d) return fail(Status::not_found("paper " + a + " is not in the search index"));
    seeds.push_back(**d);
  }
  auto seed_docs = lexical.docs(seeds);
  if (!seed_docs) return fail(seed_docs.error());
  std::string seed_text;
  for (const auto& d : *seed_docs) seed_text += encoder_text(d.title, d.abstract) + " ";
  std::unordered_set<std::int64_t> exclude(seeds.begin(), seeds.end());
  return similar_to(seed_text, exclude, limit);
}

Result<std::vector<SearchHit>> SimilarPapers::similar_to_text(std::string_view text, int limit) {
  if (limit <= 0 || limit > 1000) return fail(Status::invalid_argument("limit must be 1..1000"));
  if (text.size() > kMaxSimilarText) {
    return fail(Status::invalid_argument("the text is longer than " + std::to_string(kMaxSimilarText / 1000) + " KB"));
  }
  if (analyze(text).empty()) return fail(Status::invalid_argument("the text has no words to compare"));
  std::unordered_set<std::int64_t> exclude;
  return similar_to(std::string(text), exclude, limit);
}

// Papers most like `seed_text`, `exclude` left out: nearest-vector candidates re-scored with the
// lexical + semantic blend.
Result<std::vector<SearchHit>> SimilarPapers::similar_to(const std::string& seed_text,
                                                         const std::unordered_set<std::int64_t>& exclude, int limit) {
  const IndexSnapshot ix = indexes_.snapshot();
  const auto& encoder = ix.encoder;
  const auto& vectors = ix.vectors;
  const size_t seeds_size = exclude.size();

  // Candidates: the nearest vectors, re-scored below with the lexical + semantic blend.
  std::vector<std::int64_t> candidates;
  std::unordered_set<std::int64_t> seen;
  auto add = [&](std::int64_t id) {
    if (!exclude.contains(id) && seen.insert(id).second) candidates.push_back(id);
  };
  PaperSignature seed_sig;
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
          ix.lexical->search(match, INT64_MIN, INT64_MAX, options_.candidates + static_cast<int>(seeds_size), 0);
      if (!hits) return fail(hits.error());
      for (const auto& h : *hits) add(h.doc_id);
    }
  }
  // Re-score every candidate with the blend `paperboy eval similar` measures.
  auto docs = ix.lexical->docs(candidates);
  if (!docs) return fail(docs.error());
  std::vector<SearchHit> hits;
  for (const auto& d : *docs) {
    SearchHit h;
    h.doc_id = d.doc_id;
    h.id = d.arxiv_id;
    if (encoder) {
      // The indexed vector is the dense vector paper_signature would compute; reading it saves
      // a 256 x terms product per candidate.
      PaperSignature sig;
      const std::string text = encoder_text(d.title, d.abstract);
      sig.tfidf = encoder->tfidf(text);
      if (vectors) sig.dense = vectors->vector_of(d.doc_id);
      if (sig.dense.empty()) sig.dense = encoder->encode(text);
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

}  // namespace paperboy::search
