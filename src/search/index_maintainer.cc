#include "search/index_maintainer.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <future>
#include <optional>
#include <utility>
#include <vector>

#include "core/job_guard.h"
#include "search/change_feed.h"
#include "search/lexical_index.h"
#include "search/lsa_encoder.h"
#include "search/speller.h"
#include "search/term_impact_index.h"
#include "search/text_analyzer.h"
#include "search/vector_index.h"
#include "store/store.h"

namespace paperboy::search {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

VectorIndexOptions vector_options(const SearchOptions& options, int dimension) {
  VectorIndexOptions v;
  v.dimension = dimension;
  v.m = options.hnsw_m;
  v.ef_construction = options.hnsw_ef_construction;
  v.ef_search = options.hnsw_ef_search;
  return v;
}

}  // namespace

IndexMaintainer::IndexMaintainer(store::Store& store, SearchOptions options)
    : store_(store), options_(std::move(options)) {}

IndexMaintainer::~IndexMaintainer() {
  if (ranking_builder_.joinable()) ranking_builder_.join();
  if (vectors_) {
    if (Status s = vectors_->save(); !s.is_ok()) spdlog::warn("search: saving the vector index: {}", s.to_string());
  }
}

Result<std::unique_ptr<IndexMaintainer>> IndexMaintainer::open(store::Store& store, const SearchOptions& options) {
  std::unique_ptr<IndexMaintainer> maintainer(new IndexMaintainer(store, options));
  if (Status s = maintainer->open_indexes(); !s.is_ok()) return fail(s);
  return maintainer;
}

std::string IndexMaintainer::path(const char* name) const {
  return (fs::path(options_.index_dir) / name).string();
}

Status IndexMaintainer::open_indexes() {
  std::error_code ec;
  fs::create_directories(options_.index_dir, ec);
  if (ec) return Status::io_error("cannot create " + options_.index_dir + ": " + ec.message());
  auto lex = LexicalIndex::open(path("lexical.db"));
  if (!lex) return lex.error();
  lexical_ = std::move(*lex);
  if (fs::exists(path("encoder.lsa"))) {
    auto enc = LsaEncoder::load(path("encoder.lsa"));
    if (!enc) return enc.error();
    auto vec = VectorIndex::open(path("vectors.hnsw"), vector_options(options_, (*enc)->dimension()));
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

IndexSnapshot IndexMaintainer::snapshot() {
  std::lock_guard lock(state_mu_);
  return IndexSnapshot{lexical_.get(), encoder_, vectors_, impact_, speller_, tokenizer_};
}

Status IndexMaintainer::catch_up() {
  std::lock_guard lock(update_mu_);
  auto cursor = lexical_->cursor();
  if (!cursor) return cursor.error();
  const bool bulk = *cursor == 0;
  std::shared_ptr<TermImpactIndex> impact;
  std::shared_ptr<const PorterTokenizer> tokenizer;
  {
    std::lock_guard state(state_mu_);
    impact = impact_;
    tokenizer = tokenizer_;
  }
  std::vector<ImpactDoc> changed;
  // A first build trains the vectors on another thread while this one fills the lexical index:
  // FTS5 inserts are single-threaded, and the two only share reads of the store (141k papers:
  // 81 s one after the other).
  std::optional<std::future<Status>> training;
  if (bulk && !encoder_) {
    training = std::async(std::launch::async, [this] { return train_vectors(/*count_first=*/false); });
  }
  auto last = for_each_change(store_, *cursor, options_.catch_up_batch,
                              [&](const std::vector<store::StoredPaper>& batch, std::int64_t last_seq) {
                                PB_RETURN_IF_ERROR(lexical_->apply(batch, last_seq));
                                if (impact) {
                                  for (const auto& sp : batch) changed.push_back(impact_doc(sp));
                                }
                                return Status::ok();
                              });
  if (!last) return last.error().with_context("search catch-up");
  if (impact && !changed.empty()) impact->upsert(*tokenizer, std::move(changed));
  if (bulk && *last > 0) PB_RETURN_IF_ERROR(lexical_->optimize());
  Status vectors = training ? training->get() : encoder_ ? follow_vectors() : train_vectors();
  if (vectors.is_ok()) indexed_seq_ = *last;
  return vectors;
}

// Trains the encoder on every paper and builds the vector index, once the store has enough papers.
// `count_first`: consult the lexical index's count before reading the store (cheap while a
// small store waits for enough papers; not while the lexical index is being filled alongside).
Status IndexMaintainer::train_vectors(bool count_first) {
  if (count_first) {
    auto count = lexical_->count();
    if (!count) return count.error();
    if (*count < options_.min_train_docs) return Status::ok();
  }
  auto started = Clock::now();
  std::vector<std::string> texts;
  std::vector<std::int64_t> ids;
  auto last = for_each_change(store_, 0, options_.catch_up_batch,
                              [&](const std::vector<store::StoredPaper>& batch, std::int64_t /*last_seq*/) {
                                for (const auto& sp : batch) {
                                  texts.push_back(encoder_text(sp.paper.title, sp.paper.abstract));
                                  ids.push_back(sp.doc_id);
                                }
                                return Status::ok();
                              });
  if (!last) return last.error();
  if (std::cmp_less(texts.size(), options_.min_train_docs)) return Status::ok();
  LsaOptions lsa;
  lsa.dimension = options_.dimension;
  auto enc = LsaEncoder::train(texts, lsa);
  if (!enc) return enc.error();
  auto trained = Clock::now();
  std::error_code ec;
  fs::remove(path("vectors.hnsw"), ec);
  fs::remove(path("vectors.hnsw.cursor"), ec);
  auto vec = VectorIndex::open(path("vectors.hnsw"), vector_options(options_, (*enc)->dimension()));
  if (!vec) return vec.error();
  std::vector<std::pair<std::int64_t, std::vector<float>>> items;
  items.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    auto v = (*enc)->encode(texts[i]);
    if (!v.empty()) items.emplace_back(ids[i], std::move(v));
  }
  texts = {};
  PB_RETURN_IF_ERROR((*vec)->upsert_many(items, options_.build_threads));
  (*vec)->set_cursor(*last);
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
Status IndexMaintainer::follow_vectors() {
  const std::int64_t cursor = vectors_->cursor();
  auto last = for_each_change(store_, cursor, options_.catch_up_batch,
                              [&](const std::vector<store::StoredPaper>& batch, std::int64_t last_seq) {
                                std::vector<std::pair<std::int64_t, std::vector<float>>> items;
                                for (const auto& sp : batch) {
                                  auto v = encoder_->encode(encoder_text(sp.paper.title, sp.paper.abstract));
                                  if (!v.empty()) items.emplace_back(sp.doc_id, std::move(v));
                                }
                                PB_RETURN_IF_ERROR(vectors_->upsert_many(items, options_.build_threads));
                                vectors_->set_cursor(last_seq);
                                return Status::ok();
                              });
  if (!last) return last.error();
  const bool changed = *last != cursor;
  if (changed && (options_.persist_interval_seconds <= 0 ||
                  Clock::now() - last_save_ >= std::chrono::seconds(options_.persist_interval_seconds))) {
    PB_RETURN_IF_ERROR(vectors_->save());
    last_save_ = Clock::now();
  }
  return Status::ok();
}

// Builds the in-memory ranking index from the lexical index, then replays what changed meanwhile
// and publishes it. Runs on the builder thread (or in open with kAtOpen).
Status IndexMaintainer::build_ranking_index() {
  auto started = Clock::now();
  auto tokenized = lexical_->tokenizer();
  if (!tokenized) return tokenized.error();
  auto tokenizer = std::make_shared<const PorterTokenizer>(std::move(*tokenized));
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
  std::shared_ptr<TermImpactIndex> index = TermImpactIndex::build(*tokenizer, std::move(docs), options_.build_threads);
  std::lock_guard lock(update_mu_);
  std::vector<ImpactDoc> changed;
  auto last = for_each_change(store_, cursor, options_.catch_up_batch,
                              [&](const std::vector<store::StoredPaper>& batch, std::int64_t /*last_seq*/) {
                                for (const auto& sp : batch) changed.push_back(impact_doc(sp));
                                return Status::ok();
                              });
  if (!last) return last.error();
  if (!changed.empty()) index->upsert(*tokenizer, std::move(changed));
  spdlog::info("search: in-memory ranking index over {} papers in {:.1f} s (~{} MiB)", count,
               std::chrono::duration<double>(Clock::now() - started).count(), index->memory_bytes() >> 20);
  std::lock_guard state(state_mu_);
  tokenizer_ = std::move(tokenizer);
  impact_ = std::move(index);
  speller_ = std::move(speller);
  return Status::ok();
}

}  // namespace paperboy::search
