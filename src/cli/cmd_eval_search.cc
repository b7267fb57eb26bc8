// `paperboy eval search DIR --corpus FILE`: natural-language search quality on query sets in the
// layout of RealScholarQuery (queries.jsonl: JSON lines with `query` and `cited_paper[{arxiv_id}]`).
// Gold papers outside the corpus are dropped and queries left without gold skipped; each query
// ranks the whole corpus. Reports recall@20, recall@100 and MRR (first gold paper within the top
// 100) for each search mode and for a plain BM25 computed in the same run; the last line is
// `recall20=0.XXXX mrr=0.XXXX` for the default (hybrid) mode. The corpus is ingested once into a
// scratch data directory (--data-dir, default /tmp/paperboy-eval-<corpus file name>) and reused.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/eval_corpus.h"
#include "search/jsonl_reader.h"
#include "search/search_service.h"

namespace paperboy::cli {
namespace {

struct EvalQuery {
  std::string text;
  std::unordered_set<std::string> gold;
};

struct Figures {
  double recall20 = 0, recall100 = 0, mrr = 0;
  void add(const std::vector<std::string>& ranked, const std::unordered_set<std::string>& gold) {
    int found20 = 0, found100 = 0;
    double rr = 0;
    for (size_t i = 0; i < ranked.size() && i < 100; ++i) {
      if (!gold.contains(ranked[i])) continue;
      if (i < 20) ++found20;
      ++found100;
      if (rr == 0) rr = 1.0 / static_cast<double>(i + 1);
    }
    recall20 += static_cast<double>(found20) / static_cast<double>(gold.size());
    recall100 += static_cast<double>(found100) / static_cast<double>(gold.size());
    mrr += rr;
  }
  void print(const char* label, size_t n) const {
    const double d = n == 0 ? 1 : static_cast<double>(n);
    std::printf("%s recall20=%.4f recall100=%.4f mrr=%.4f\n", label, recall20 / d, recall100 / d, mrr / d);
  }
};

std::string default_corpus() {
  auto def = std::filesystem::path(PAPERBOY_SOURCE_DIR) / ".." / "shared" / "corpus" / "arxiv-cs-141k.jsonl.zst";
  return std::filesystem::exists(def) ? def.lexically_normal().string() : std::string();
}

}  // namespace

std::string eval_corpus_or_default(const std::string& corpus) {
  return corpus.empty() ? default_corpus() : corpus;
}

void add_eval_search_command(CLI::App& eval, Invocation& /*inv*/) {
  auto* cmd =
      eval.add_subcommand("search", "recall@20/100 and MRR of natural-language search (RealScholarQuery layout)");
  auto dir = std::make_shared<std::string>();
  auto corpus = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  auto verbose = std::make_shared<bool>(false);
  auto tuned = std::make_shared<search::SearchOptions>();
  cmd->add_option("DIR", *dir, "folder with queries.jsonl")->required();
  cmd->add_option("--corpus", *corpus,
                  "the corpus to rank, JSON lines (.zst ok); default ../shared/corpus/arxiv-cs-141k.jsonl.zst");
  cmd->add_option("--data-dir", *data_dir, "scratch data directory for the ingested corpus and its indexes");
  cmd->add_flag("--verbose", *verbose, "print each query's figures");
  // The natural-language ranking parameters, to tune on dev data (defaults: the shipped ones).
  cmd->add_option("--coordination", tuned->coordination, "coordination exponent of the lexical side");
  cmd->add_option("--semantic-weight", tuned->semantic_weight, "weight of the semantic ranking in the fusion");
  cmd->add_option("--feedback-docs", tuned->feedback_docs, "lexical hits whose vectors steer the semantic side");
  cmd->add_option("--feedback-weight", tuned->feedback_weight, "weight of their centroid");
  cmd->add_option("--rrf-k", tuned->rrf_k, "reciprocal-rank fusion constant");
  cmd->callback([dir, corpus, data_dir, verbose, tuned] {
    const std::string corpus_path = eval_corpus_or_default(*corpus);
    if (corpus_path.empty()) die(Status::invalid_argument("no corpus: pass --corpus FILE"), 2);
    auto papers = read_eval_corpus(corpus_path);
    if (!papers) die(papers.error(), 2);
    std::unordered_set<std::string> in_corpus;
    for (const auto& p : *papers) in_corpus.insert(p.id);

    std::vector<EvalQuery> queries;
    int read = 0;
    Status s = search::for_each_line((std::filesystem::path(*dir) / "queries.jsonl").string(),
                                     [&](long, std::string_view line) {
                                       auto j = nlohmann::json::parse(line, nullptr, false);
                                       if (!j.is_object() || !j.contains("query") || !j["query"].is_string())
                                         return true;
                                       ++read;
                                       EvalQuery q;
                                       q.text = j["query"].get<std::string>();
                                       if (j.contains("cited_paper") && j["cited_paper"].is_array()) {
                                         for (const auto& c : j["cited_paper"]) {
                                           if (c.is_object() && c.contains("arxiv_id") && c["arxiv_id"].is_string() &&
                                               in_corpus.contains(c["arxiv_id"].get<std::string>()))
                                             q.gold.insert(c["arxiv_id"].get<std::string>());
                                         }
                                       }
                                       if (!q.gold.empty()) queries.push_back(std::move(q));
                                       return true;
                                     });
    if (!s.is_ok()) die(s, 2);
    size_t gold = 0;
    for (const auto& q : queries) gold += q.gold.size();
    std::printf("queries=%d with_gold=%zu gold_papers=%zu corpus=%zu\n", read, queries.size(), gold, papers->size());

    const std::string dd = data_dir->empty() ? default_eval_dir(corpus_path) : *data_dir;
    auto store = open_eval_store(dd, corpus_path);
    if (!store) die(store.error());
    search::SearchOptions options = *tuned;
    options.index_dir = (std::filesystem::path(dd) / "index").string();
    options.ranking_index = search::SearchOptions::RankingIndex::kAtOpen;
    auto started = std::chrono::steady_clock::now();
    auto service = search::open_search_service(**store, options);
    if (!service) die(service.error());
    std::printf("indexes open in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    Figures bm25;
    {
      cli::Bm25Reference reference(*papers);
      for (const auto& q : queries) {
        std::vector<std::string> ranked;
        for (int d : reference.rank(q.text, 100)) ranked.push_back((*papers)[static_cast<size_t>(d)].id);
        bm25.add(ranked, q.gold);
      }
    }
    Figures last;
    for (auto mode : {search::Mode::kLexical, search::Mode::kSemantic, search::Mode::kHybrid}) {
      Figures f;
      double ms = 0;
      for (const auto& q : queries) {
        search::SearchRequest request{q.text, mode, 100, 0};
        auto response = (*service)->search(request);
        std::vector<std::string> ranked;
        if (response) {
          for (const auto& h : response->hits) ranked.push_back(h.id);
          ms += response->took_ms;
        } else {
          std::fprintf(stderr, "query failed: %s: %s\n", q.text.c_str(), response.error().to_string().c_str());
        }
        if (*verbose) {
          Figures one;
          one.add(ranked, q.gold);
          std::printf("  %-8s r20=%.2f r100=%.2f rr=%.3f  %.70s\n", std::string(search::mode_name(mode)).c_str(),
                      one.recall20, one.recall100, one.mrr, q.text.c_str());
        }
        f.add(ranked, q.gold);
      }
      const std::string label = "mode=" + std::string(search::mode_name(mode));
      f.print(label.c_str(), queries.size());
      std::printf("  (%.2f ms a query)\n", queries.empty() ? 0.0 : ms / static_cast<double>(queries.size()));
      last = f;
    }
    bm25.print("reference=bm25", queries.size());
    const double n = queries.empty() ? 1 : static_cast<double>(queries.size());
    std::printf("recall20=%.4f mrr=%.4f\n", last.recall20 / n, last.mrr / n);
  });
}

}  // namespace paperboy::cli
