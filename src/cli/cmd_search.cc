// `paperboy search`, `paperboy similar`, `paperboy reindex` and `paperboy eval similar`: the
// command-line face of the search service (src/search).
#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "search/similarity_eval.h"

namespace paperboy::cli {
namespace {

void add_eval_command(CLI::App& root, Invocation& /*inv*/) {
  auto* eval = root.add_subcommand("eval", "Measure ranking quality on judged data");
  eval->require_subcommand(1);
  auto* sim = eval->add_subcommand("similar", "NDCG%20 of similar-paper ranking on data in the csfcube layout");
  auto dir = std::make_shared<std::string>();
  auto corpus = std::make_shared<std::string>();
  auto limit = std::make_shared<long>(0);
  auto dimension = std::make_shared<int>(256);
  auto weight = std::make_shared<double>(-1);
  sim->add_option("DIR", *dir, "folder with papers.jsonl, queries.jsonl, qrels.tsv")->required();
  sim->add_option("--corpus", *corpus,
                  "training corpus, JSON lines (.zst ok); default ../shared/corpus/arxiv-cs-141k.jsonl.zst beside the sources");
  sim->add_option("--corpus-limit", *limit, "use only the first N corpus papers (0: all)");
  sim->add_option("--dimension", *dimension, "LSA dimensions");
  sim->add_option("--semantic-weight", *weight, "weight of the semantic cosine in hybrid mode");
  sim->callback([dir, corpus, limit, dimension, weight] {
    search::SimilarEvalOptions options;
    options.corpus_path = *corpus;
    if (options.corpus_path.empty()) {
      auto def = std::filesystem::path(PAPERBOY_SOURCE_DIR) / ".." / "shared" / "corpus" / "arxiv-cs-141k.jsonl.zst";
      if (std::filesystem::exists(def)) options.corpus_path = def.lexically_normal().string();
    }
    if (options.corpus_path.empty()) {
      std::fprintf(stderr, "note: no training corpus found; training on the evaluation papers only (use --corpus)\n");
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

void add_search_commands(CLI::App& root, Invocation& inv) { add_eval_command(root, inv); }

}  // namespace paperboy::cli
