// `paperboy eval search DIR --corpus FILE`: natural-language search quality on query sets in the
// layout of RealScholarQuery (queries.jsonl: JSON lines with `query` and `cited_paper[{arxiv_id}]`).
// Gold papers outside the corpus are dropped and queries left without gold skipped; each query
// ranks the whole corpus. Reports recall@20, recall@100 and MRR (first gold paper within the top
// 100) for each search mode and for a plain BM25 computed in the same run; the last line is
// `recall20=0.XXXX mrr=0.XXXX` for the default (hybrid) mode. The corpus is ingested once into a
// scratch data directory (--data-dir, default /tmp/paperboy-eval-<corpus file name>) and reused.
#include <algorithm>
#include <cctype>
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

// A deterministic single typo in `word` (length >= 6), of kind `k`: deletion, transposition,
// substitution, insertion.
std::string typo(const std::string& word, size_t k) {
  std::string t = word;
  const size_t at = 2 + k % (word.size() - 3);
  switch (k % 4) {
    case 0: t.erase(at, 1); break;
    case 1: std::swap(t[at], t[at + 1]); break;
    case 2: t[at] = t[at] == 'e' ? 'a' : 'e'; break;
    default: t.insert(at, 1, t[at]); break;
  }
  return t;
}

// Navigational lookups for `n` evenly spaced corpus papers (id, arXiv URL, exact title, each must
// rank the paper first) and "did you mean" for single-typo words of their titles.
void navigational_figures(search::SearchService& service, const std::vector<EvalPaper>& papers, int n) {
  if (n <= 0 || papers.empty()) return;
  int by_id = 0, by_url = 0, by_title = 0, asked = 0;
  int typos = 0, corrected = 0;
  for (int i = 0; i < n; ++i) {
    const EvalPaper& p = papers[static_cast<size_t>(i) * papers.size() / static_cast<size_t>(n)];
    ++asked;
    auto first = [&](const std::string& query) {
      auto r = service.search({query, search::Mode::kHybrid, 5, 0});
      return r && !r->hits.empty() && r->hits.front().id == p.id;
    };
    by_id += first(i % 2 == 0 ? p.id : p.id + "v1") ? 1 : 0;
    by_url += first((i % 2 == 0 ? "https://arxiv.org/abs/" : "arxiv.org/pdf/") + p.id) ? 1 : 0;
    std::string title = p.title;
    std::replace(title.begin(), title.end(), '\n', ' ');
    by_title += first(title) ? 1 : 0;
    // One typo from a longer word of the title.
    std::string word, best;
    for (char ch : p.title + " ") {
      if (std::isalpha(static_cast<unsigned char>(ch))) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      } else {
        if (word.size() >= 6 && word.size() > best.size()) best = word;
        word.clear();
      }
    }
    if (best.empty()) continue;
    const std::string wrong = typo(best, static_cast<size_t>(i));
    ++typos;
    auto suggestion = service.suggest(wrong);
    if (suggestion && *suggestion == best) ++corrected;
  }
  const double d = asked;
  std::printf("navigational papers=%d id_first=%.4f url_first=%.4f title_first=%.4f\n", asked, by_id / d, by_url / d,
              by_title / d);
  std::printf("spelling typos=%d suggested_right=%.4f\n", typos,
              typos == 0 ? 0.0 : corrected / static_cast<double>(typos));
}

}  // namespace

void add_eval_search_command(CLI::App& eval, Invocation& /*inv*/) {
  auto* cmd =
      eval.add_subcommand("search", "recall@20/100 and MRR of natural-language search (RealScholarQuery layout)");
  auto dir = std::make_shared<std::string>();
  auto corpus = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  auto verbose = std::make_shared<bool>(false);
  auto navigational = std::make_shared<int>(1000);
  auto grid = std::make_shared<bool>(false);
  auto tuned = std::make_shared<search::SearchOptions>();
  cmd->add_option("DIR", *dir, "folder with queries.jsonl")->required();
  cmd->add_option("--corpus", *corpus, "the corpus to rank, JSON lines (.zst ok)")
      ->envname("PAPERBOY_EVAL_CORPUS")
      ->required();
  cmd->add_option("--data-dir", *data_dir, "scratch data directory for the ingested corpus and its indexes");
  cmd->add_flag("--verbose", *verbose, "print each query's figures");
  cmd->add_option("--navigational", *navigational, "papers for the id / URL / title / typo checks (0: none)");
  // The natural-language ranking parameters, to tune on dev data (defaults: the shipped ones).
  cmd->add_option("--coordination", tuned->coordination, "coordination exponent of the lexical side");
  cmd->add_option("--semantic-weight", tuned->semantic_weight, "weight of the semantic ranking in the fusion");
  cmd->add_option("--feedback-docs", tuned->feedback_docs, "lexical hits whose vectors steer the semantic side");
  cmd->add_option("--feedback-weight", tuned->feedback_weight, "weight of their centroid");
  cmd->add_option("--rrf-k", tuned->natural_rrf_k, "reciprocal-rank fusion constant of natural-language queries");
  cmd->add_flag("--grid", *grid, "first try a grid of the natural-language ranking parameters (tuning on dev data)");
  cmd->callback([dir, corpus, data_dir, verbose, tuned, navigational, grid] {
    const std::string& corpus_path = *corpus;
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
    auto db = open_eval_database(dd, corpus_path);
    if (!db) die(db.error());
    store::Store& store = (*db)->papers();
    search::SearchOptions options = *tuned;
    options.index_dir = (std::filesystem::path(dd) / "index").string();
    options.ranking_index = search::SearchOptions::RankingIndex::kAtOpen;
    if (*grid) {
      struct Fusion {
        double semantic_weight;
        int feedback_docs;
        double feedback_weight;
      };
      for (double c : {1.0, 2.0, 3.0}) {
        for (Fusion f : {Fusion{1, 0, 0}, Fusion{0.5, 0, 0}, Fusion{1, 10, 1}, Fusion{1, 10, 3}, Fusion{0.5, 10, 3}}) {
          search::SearchOptions o = options;
          o.coordination = c;
          o.semantic_weight = f.semantic_weight;
          o.feedback_docs = f.feedback_docs;
          o.feedback_weight = f.feedback_weight;
          auto svc = search::open_search_service(store, o);
          if (!svc) die(svc.error());
          std::printf("grid coordination=%.1f semantic_weight=%.1f feedback=%d@%.1f:", c, f.semantic_weight,
                      f.feedback_docs, f.feedback_weight);
          for (auto mode : {search::Mode::kLexical, search::Mode::kHybrid}) {
            Figures fig;
            for (const auto& q : queries) {
              auto r = (*svc)->search({q.text, mode, 100, 0});
              std::vector<std::string> ranked;
              if (r) {
                for (const auto& h : r->hits) ranked.push_back(h.id);
              }
              fig.add(ranked, q.gold);
            }
            const double n = queries.empty() ? 1 : static_cast<double>(queries.size());
            std::printf(" %s r20=%.4f r100=%.4f mrr=%.4f", std::string(search::mode_name(mode)).c_str(),
                        fig.recall20 / n, fig.recall100 / n, fig.mrr / n);
          }
          std::printf("\n");
          std::fflush(stdout);
        }
      }
    }
    auto started = std::chrono::steady_clock::now();
    auto service = search::open_search_service(store, options);
    if (!service) die(service.error());
    std::printf("indexes open in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    Figures bm25;
    {
      cli::Bm25Reference reference(*papers);
      for (const auto& q : queries) {
        std::vector<std::string> ranked;
        for (int d : reference.rank(q.text, 100)) ranked.push_back((*papers)[static_cast<size_t>(d)].id);
        if (*verbose) {
          Figures one;
          one.add(ranked, q.gold);
          std::printf("  %-8s r20=%.2f r100=%.2f rr=%.3f  %.70s\n", "bm25", one.recall20, one.recall100, one.mrr,
                      q.text.c_str());
        }
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
    navigational_figures(**service, *papers, *navigational);
    const double n = queries.empty() ? 1 : static_cast<double>(queries.size());
    std::printf("recall20=%.4f mrr=%.4f\n", last.recall20 / n, last.mrr / n);
  });
}

}  // namespace paperboy::cli
