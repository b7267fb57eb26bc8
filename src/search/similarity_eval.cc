#include "search/similarity_eval.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "search/jsonl_reader.h"
#include "search/similarity.h"
#include "search/text_analyzer.h"

namespace paperboy::search {
namespace {

struct EvalPaper {
  std::string title;
  std::string abstract;
};

struct Judgement {
  std::string candidate;
  int grade = 0;
};

// A JSON field as text, whatever its JSON type ("pid" is a string in csfcube, a number elsewhere).
std::string field_text(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    std::string out;
    for (const auto& part : *it) out += (out.empty() ? "" : " ") + (part.is_string() ? part.get<std::string>() : part.dump());
    return out;
  }
  return it->dump();
}

Status read_jsonl(const std::string& path, const std::function<Status(const nlohmann::json&)>& on_object) {
  Status inner;
  Status s = for_each_line(path, [&](long line_number, std::string_view line) {
    auto obj = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (obj.is_discarded() || !obj.is_object()) {
      inner = Status::invalid_argument(path + ":" + std::to_string(line_number) + ": not a JSON object");
      return false;
    }
    inner = on_object(obj);
    if (!inner.is_ok()) inner = inner.with_context(path + ":" + std::to_string(line_number));
    return inner.is_ok();
  });
  PB_RETURN_IF_ERROR(s);
  return inner;
}

double dcg(const std::vector<int>& grades, size_t k) {
  double sum = 0;
  for (size_t i = 0; i < std::min(k, grades.size()); ++i) {
    sum += i == 0 ? grades[i] : grades[i] / std::log2(static_cast<double>(i + 1));
  }
  return sum;
}

}  // namespace

double ndcg_at(const std::vector<int>& ranked_grades, std::vector<int> all_grades, size_t k) {
  std::sort(all_grades.begin(), all_grades.end(), std::greater<>());
  double ideal = dcg(all_grades, k);
  return ideal > 0 ? dcg(ranked_grades, k) / ideal : 0.0;
}

Result<SimilarEvalReport> evaluate_similar(const std::string& dir, const SimilarEvalOptions& options) {
  namespace fs = std::filesystem;
  for (const char* name : {"papers.jsonl", "queries.jsonl", "qrels.tsv"}) {
    if (!fs::exists(fs::path(dir) / name)) {
      return fail(Status::not_found("evaluation data not found: " + (fs::path(dir) / name).string() +
                                    " (expected the layout of csfcube-dev: papers.jsonl, queries.jsonl, qrels.tsv)"));
    }
  }
  std::unordered_map<std::string, EvalPaper> papers;
  if (Status s = read_jsonl((fs::path(dir) / "papers.jsonl").string(), [&](const nlohmann::json& o) {
        std::string pid = field_text(o, "pid");
        if (pid.empty()) return Status::invalid_argument("paper without \"pid\"");
        papers[pid] = EvalPaper{field_text(o, "title"), field_text(o, "abstract")};
        return Status::ok();
      });
      !s.is_ok()) {
    return fail(s);
  }
  std::vector<std::pair<std::string, std::string>> queries;  // qid, pid
  if (Status s = read_jsonl((fs::path(dir) / "queries.jsonl").string(), [&](const nlohmann::json& o) {
        queries.emplace_back(field_text(o, "qid"), field_text(o, "pid"));
        return Status::ok();
      });
      !s.is_ok()) {
    return fail(s);
  }
  std::map<std::string, std::vector<Judgement>> qrels;
  {
    std::ifstream in(fs::path(dir) / "qrels.tsv");
    std::string line;
    long n = 0;
    while (std::getline(in, line)) {
      ++n;
      std::istringstream fields(line);
      std::string qid, cand, grade;
      if (!(fields >> qid >> cand >> grade)) continue;
      if (n == 1 && grade == "grade") continue;  // header
      try {
        qrels[qid].push_back({cand, std::stoi(grade)});
      } catch (const std::exception&) {
        return fail(Status::invalid_argument("qrels.tsv:" + std::to_string(n) + ": grade '" + grade + "' is not a number"));
      }
    }
  }

  // Train on the corpus plus the evaluation papers.
  auto started = std::chrono::steady_clock::now();
  std::vector<std::string> texts;
  if (!options.corpus_path.empty()) {
    Status s = read_jsonl(options.corpus_path, [&](const nlohmann::json& o) {
      texts.push_back(encoder_text(field_text(o, "title"), field_text(o, "abstract")));
      return Status::ok();
    });
    if (!s.is_ok()) return fail(s);
    if (options.corpus_limit > 0 && std::cmp_greater(texts.size(), options.corpus_limit)) texts.resize(static_cast<size_t>(options.corpus_limit));
  }
  for (const auto& [pid, p] : papers) texts.push_back(encoder_text(p.title, p.abstract));
  auto encoder = LsaEncoder::train(texts, options.lsa);
  if (!encoder) return fail(encoder.error());
  SimilarEvalReport report;
  report.training_texts = static_cast<long>(texts.size());
  texts = {};
  report.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::unordered_map<std::string, PaperSignature> signatures;
  auto signature = [&](const std::string& pid) -> const PaperSignature* {
    auto it = signatures.find(pid);
    if (it != signatures.end()) return &it->second;
    auto p = papers.find(pid);
    if (p == papers.end()) return nullptr;
    return &signatures.emplace(pid, paper_signature(**encoder, p->second.title, p->second.abstract)).first->second;
  };
  const double weight = options.semantic_weight >= 0 ? options.semantic_weight : kSemanticBlendWeight;
  double sums[3] = {0, 0, 0};
  for (const auto& [qid, pid] : queries) {
    auto judged = qrels.find(qid);
    const PaperSignature* query = signature(pid);
    if (judged == qrels.end() || query == nullptr) {
      return fail(Status::invalid_argument("query " + qid + ": no judgements or no paper " + pid));
    }
    std::vector<int> all_grades;
    for (const auto& j : judged->second) all_grades.push_back(j.grade);
    const size_t k = std::max<size_t>(1, static_cast<size_t>(std::floor(0.2 * static_cast<double>(judged->second.size()))));
    const Mode modes[3] = {Mode::kLexical, Mode::kSemantic, Mode::kHybrid};
    for (int m = 0; m < 3; ++m) {
      std::vector<std::pair<double, int>> scored;
      for (const auto& j : judged->second) {
        const PaperSignature* cand = signature(j.candidate);
        double score = cand == nullptr ? -1e9 : paper_similarity(*query, *cand, modes[m], weight);
        scored.emplace_back(score, j.grade);
      }
      // Ties keep the pool's order, so results do not depend on the sort implementation.
      std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::vector<int> ranked;
      for (auto& [score, grade] : scored) ranked.push_back(grade);
      sums[m] += ndcg_at(ranked, all_grades, k);
    }
    ++report.queries;
  }
  if (report.queries == 0) return fail(Status::invalid_argument(dir + ": no queries"));
  report.ndcg_lexical = sums[0] / report.queries;
  report.ndcg_semantic = sums[1] / report.queries;
  report.ndcg_hybrid = sums[2] / report.queries;
  return report;
}

}  // namespace paperboy::search
