// `paperboy search`, `paperboy similar`, `paperboy reindex` and `paperboy eval similar`: the
// command-line face of the search service (src/search).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "core/arxiv_id.h"
#include "search/options_from.h"
#include "search/search_service.h"
#include "search/similarity_eval.h"

namespace paperboy::cli {

namespace {

// Prints hits as a JSON array (best first) or as numbered lines with titles.
void print_hits(store::Store& store, const std::vector<search::SearchHit>& hits, bool as_json) {
  std::vector<std::int64_t> ids;
  for (const auto& h : hits) ids.push_back(h.doc_id);
  auto papers = store.get_papers_by_doc_id(ids);
  std::unordered_map<std::int64_t, const core::Paper*> by_id;
  if (papers) {
    for (const auto& p : *papers) by_id[p.doc_id] = &p.paper;
  }
  nlohmann::json out = nlohmann::json::array();
  int n = 0;
  for (const auto& h : hits) {
    const core::Paper* p = by_id.contains(h.doc_id) ? by_id[h.doc_id] : nullptr;
    if (as_json) {
      nlohmann::json j = {{"id", h.id}, {"score", h.score}};
      if (h.lexical_rank > 0) j["lexical_rank"] = h.lexical_rank;
      if (h.semantic_rank > 0) j["semantic_rank"] = h.semantic_rank;
      if (p != nullptr) {
        j["title"] = p->title;
        j["listing_day"] = p->listing_day();
        j["primary_category"] = p->primary_category();
      }
      out.push_back(std::move(j));
    } else {
      std::printf("%2d. %-12s %.4f  %s\n", ++n, h.id.c_str(), h.score, p != nullptr ? p->title.c_str() : "");
    }
  }
  if (as_json) std::printf("%s\n", out.dump(2).c_str());
}

// One-shot commands answer one query: FTS5 ranks it faster than the in-memory ranking index builds.
search::SearchOptions one_shot_options(const config::Config& cfg) {
  search::SearchOptions o = search::search_options_from(cfg);
  o.ranking_index = search::SearchOptions::RankingIndex::kOff;
  return o;
}

// The database and its search service for one command (the indexes brought up to date first).
struct OneShotSearch {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<search::SearchService> service;
};

OneShotSearch open_one_shot(const Invocation& inv) {
  auto cfg = load(inv);
  if (!cfg) die(cfg.error());
  auto db = open_database(*cfg);
  if (!db) die(db.error());
  auto service = search::open_search_service((*db)->papers(), one_shot_options(*cfg));
  if (!service) die(service.error());
  return {std::move(*db), std::move(*service)};
}

void add_search_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand(
      "search", "Search papers: words, \"phrases\", +required, -excluded, cat:, author:, since:7d, from:, until:");
  auto query = std::make_shared<std::string>();
  auto mode = std::make_shared<std::string>("hybrid");
  auto limit = std::make_shared<int>(20);
  auto offset = std::make_shared<int>(0);
  auto json_out = std::make_shared<bool>(false);
  cmd->add_option("QUERY", *query, "the query")->required();
  cmd->add_option("--mode", *mode, "lexical, semantic or hybrid");
  cmd->add_option("--limit", *limit, "results to print");
  cmd->add_option("--offset", *offset, "results to skip");
  cmd->add_flag("--json", *json_out, "print a JSON array of results");
  cmd->callback([&inv, query, mode, limit, offset, json_out] {
    auto m = search::parse_mode(*mode);
    if (!m) die(m.error(), 2);
    auto opened = open_one_shot(inv);
    search::SearchRequest request{*query, *m, *limit, *offset};
    auto response = opened.service->search(request);
    if (!response) die(response.error(), response.error().code() == StatusCode::kInvalidArgument ? 2 : 1);
    if (!*json_out) std::printf("%s (%.1f ms)\n", response->explanation.c_str(), response->took_ms);
    print_hits(opened.db->papers(), response->hits, *json_out);
  });
}

void add_similar_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("similar", "Papers similar to one or more papers (more like these)");
  auto ids = std::make_shared<std::vector<std::string>>();
  auto limit = std::make_shared<int>(20);
  auto json_out = std::make_shared<bool>(false);
  cmd->add_option("ID", *ids, "arXiv ids")->required();
  cmd->add_option("--limit", *limit, "results to print");
  cmd->add_flag("--json", *json_out, "print a JSON array of results");
  cmd->callback([&inv, ids, limit, json_out] {
    std::vector<std::string> canonical;
    for (const auto& id : *ids) {
      auto parsed = core::parse_arxiv_id(id);
      if (!parsed) die(parsed.error(), 2);
      canonical.push_back(parsed->id);
    }
    auto opened = open_one_shot(inv);
    auto hits = opened.service->more_like(canonical, *limit);
    if (!hits) die(hits.error(), hits.error().code() == StatusCode::kNotFound ? 3 : 1);
    print_hits(opened.db->papers(), *hits, *json_out);
  });
}

void add_reindex_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("reindex", "Rebuild the search indexes from the store");
  cmd->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& store = (*db)->papers();
    auto started = std::chrono::steady_clock::now();
    if (Status s = search::rebuild_search_indexes(store, one_shot_options(*cfg)); !s.is_ok()) die(s);
    std::printf("reindexed in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  });
}

void add_eval_command(CLI::App& root, Invocation& inv) {
  auto* eval = root.add_subcommand("eval", "Measure ranking quality on judged data");
  eval->require_subcommand(1);
  add_eval_search_command(*eval, inv);
  add_eval_recommend_command(*eval, inv);
  auto* sim = eval->add_subcommand("similar", "NDCG%20 of similar-paper ranking on data in the csfcube layout");
  auto dir = std::make_shared<std::string>();
  auto corpus = std::make_shared<std::string>();
  auto limit = std::make_shared<long>(0);
  auto dimension = std::make_shared<int>(256);
  auto weight = std::make_shared<double>(-1);
  sim->add_option("DIR", *dir, "folder with papers.jsonl, queries.jsonl, qrels.tsv")->required();
  sim->add_option("--corpus", *corpus, "training corpus, JSON lines (.zst ok)")->envname("PAPERBOY_EVAL_CORPUS");
  sim->add_option("--corpus-limit", *limit, "use only the first N corpus papers (0: all)");
  sim->add_option("--dimension", *dimension, "LSA dimensions");
  sim->add_option("--semantic-weight", *weight, "weight of the semantic cosine in hybrid mode");
  sim->callback([dir, corpus, limit, dimension, weight] {
    search::SimilarEvalOptions options;
    options.corpus_path = *corpus;
    if (options.corpus_path.empty()) {
      std::fprintf(stderr,
                   "note: no training corpus found; training on the evaluation papers only (use --corpus or "
                   "PAPERBOY_EVAL_CORPUS)\n");
    }
    options.corpus_limit = *limit;
    options.lsa.dimension = *dimension;
    options.semantic_weight = *weight;
    auto report = search::evaluate_similar(*dir, options);
    if (!report) die(report.error(), 2);
    std::printf("queries=%d training_texts=%ld train_seconds=%.1f\n", report->queries, report->training_texts,
                report->train_seconds);
    std::printf("mode=lexical ndcg20=%.4f\nmode=semantic ndcg20=%.4f\nmode=hybrid ndcg20=%.4f\n", report->ndcg_lexical,
                report->ndcg_semantic, report->ndcg_hybrid);
    std::printf("ndcg20=%.4f\n", report->ndcg_hybrid);
  });
}

}  // namespace

void add_search_commands(CLI::App& root, Invocation& inv) {
  add_search_command(root, inv);
  add_similar_command(root, inv);
  add_reindex_command(root, inv);
  add_eval_command(root, inv);
}

}  // namespace paperboy::cli
