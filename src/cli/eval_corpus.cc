#include "cli/eval_corpus.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <queue>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "ingest/snapshot_ingest.h"
#include "search/jsonl_reader.h"
#include "search/text_analyzer.h"

namespace paperboy::cli {

namespace fs = std::filesystem;

Result<std::vector<EvalPaper>> read_eval_corpus(const std::string& path) {
  std::vector<EvalPaper> papers;
  Status s = search::for_each_line(path, [&](long /*line*/, std::string_view text) {
    auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) return true;
    EvalPaper p;
    p.id = j["id"].get<std::string>();
    if (j.contains("title") && j["title"].is_string()) p.title = j["title"].get<std::string>();
    if (j.contains("abstract") && j["abstract"].is_string()) p.abstract = j["abstract"].get<std::string>();
    if (j.contains("authors") && j["authors"].is_string()) p.authors = j["authors"].get<std::string>();
    if (j.contains("versions") && j["versions"].is_array() && !j["versions"].empty()) {
      const auto& v = j["versions"][0];
      if (v.contains("created") && v["created"].is_string()) {
        if (auto t = core::parse_any_datetime(v["created"].get<std::string>())) {
          p.first_day = *t >= 0 ? *t / 86400 : (*t - 86399) / 86400;
        }
      }
    }
    papers.push_back(std::move(p));
    return true;
  });
  if (!s.is_ok()) return fail(s);
  return papers;
}

std::string default_eval_dir(const std::string& corpus) {
  return (fs::temp_directory_path() / ("paperboy-eval-" + fs::path(corpus).filename().string())).string();
}

Result<std::unique_ptr<store::Database>> open_eval_database(const std::string& data_dir, const std::string& corpus) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return fail(Status::io_error("cannot create " + data_dir + ": " + ec.message()));
  store::StoreOptions options;
  options.url = "sqlite:" + (fs::path(data_dir) / "paperboy.db").string();
  auto db = store::open_database(options);
  if (!db) return fail(db.error());
  store::Store& store = (*db)->papers();
  // Ingested once: later runs reuse the store (and the indexes built beside it).
  const std::string key = "eval.ingested:" + fs::absolute(corpus).string();
  auto done = store.get_state(key);
  if (!done) return fail(done.error());
  if (*done) return std::move(*db);
  ingest::IngestOptions ingest;
  ingest.resume = true;
  ingest.on_reject = [](const std::string&) {};
  auto summary = ingest::ingest_snapshot_files(store, {fs::absolute(corpus).string()}, ingest);
  if (!summary) return fail(summary.error());
  if (Status st = store.put_state(key, "1"); !st.is_ok()) return fail(st);
  if (summary->inserted > 0) {
    std::fprintf(stderr, "ingested %lld papers into %s in %.1f s\n", static_cast<long long>(summary->inserted),
                 data_dir.c_str(), summary->seconds);
  }
  return std::move(*db);
}

Bm25Reference::Bm25Reference(const std::vector<EvalPaper>& papers, double k1, double b)
    : k1_(k1), docs_(papers.size()) {
  std::vector<float> len(papers.size(), 0);
  std::unordered_map<std::string, float> tf;
  for (size_t d = 0; d < papers.size(); ++d) {
    tf.clear();
    search::for_each_term(papers[d].title + " " + papers[d].abstract, [&](std::string_view t) {
      tf[std::string(t)] += 1;
      len[d] += 1;
    });
    for (const auto& [term, n] : tf) postings_[term].push_back({static_cast<int>(d), n});
  }
  double avg = 0;
  for (float l : len) avg += l;
  avg = papers.empty() ? 1 : std::max(1.0, avg / static_cast<double>(papers.size()));
  norm_.resize(papers.size());
  for (size_t d = 0; d < papers.size(); ++d) norm_[d] = static_cast<float>(k1 * (1 - b + b * len[d] / avg));
}

std::vector<int> Bm25Reference::rank(const std::string& query, int limit) const {
  std::unordered_map<int, double> score;
  std::vector<std::string> terms = search::analyze(query);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  for (const auto& t : terms) {
    auto it = postings_.find(t);
    if (it == postings_.end()) continue;
    const double n = static_cast<double>(it->second.size());
    const double idf = std::log(1 + (static_cast<double>(docs_) - n + 0.5) / (n + 0.5));
    for (const auto& p : it->second) score[p.doc] += idf * p.tf * (k1_ + 1) / (p.tf + norm_[p.doc]);
  }
  std::vector<std::pair<double, int>> all;
  all.reserve(score.size());
  for (const auto& [d, s] : score) all.emplace_back(-s, d);
  const size_t k = std::min<size_t>(all.size(), static_cast<size_t>(limit));
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
  std::vector<int> out;
  for (size_t i = 0; i < k; ++i) out.push_back(all[i].second);
  return out;
}

}  // namespace paperboy::cli
