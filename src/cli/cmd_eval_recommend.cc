// `paperboy eval recommend DIR --corpus FILE`: recommendation quality by author simulation, on
// sets in the layout of recommend-dev (users.jsonl: `user`, `liked` ids, `relevant` ids;
// window.json: `from`, `until` first-version dates). For each user the recommender is trained on
// the liked papers with author signals off and ranks every corpus paper whose first-version date
// is inside the window (liked excluded). Reports recall@50 and nDCG@50 (binary relevance),
// averaged over users; the last line is `recall50=0.XXXX ndcg50=0.XXXX`. The arxiv-sanity-lite
// reference (tf-idf + LinearSVC) is bench/search/arxiv_sanity_reference.py.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/eval_corpus.h"
#include "core/time.h"
#include "rank/recommender.h"
#include "search/jsonl_reader.h"
#include "search/search_service.h"

namespace paperboy::cli {
namespace {

struct EvalUser {
  std::vector<std::string> liked;
  std::unordered_set<std::string> relevant;
};

// Signals for the evaluation's users: account id = index into the users.
class EvalSignals final : public rank::UserSignalSource {
 public:
  explicit EvalSignals(const std::vector<EvalUser>& users) : users_(users) {}
  Result<rank::UserSignals> signals(std::int64_t account_id) override {
    rank::UserSignals s;
    s.liked_ids = users_[static_cast<size_t>(account_id)].liked;
    return s;
  }

 private:
  const std::vector<EvalUser>& users_;
};

std::optional<std::int64_t> day_of(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  const std::string s = j[key].get<std::string>();
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
  return core::days_from_civil(y, m, d);
}

}  // namespace

void add_eval_recommend_command(CLI::App& eval, Invocation& /*inv*/) {
  auto* cmd = eval.add_subcommand("recommend", "recall@50 and nDCG@50 of recommendations by author simulation");
  auto dir = std::make_shared<std::string>();
  auto corpus = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  auto users_limit = std::make_shared<int>(0);
  cmd->add_option("DIR", *dir, "folder with users.jsonl and window.json")->required();
  cmd->add_option("--corpus", *corpus, "the corpus, JSON lines (.zst ok)")->envname("PAPERBOY_EVAL_CORPUS")->required();
  cmd->add_option("--data-dir", *data_dir, "scratch data directory for the ingested corpus and its indexes");
  cmd->add_option("--users", *users_limit, "evaluate N evenly spaced users (0: all)");
  cmd->callback([dir, corpus, data_dir, users_limit] {
    const std::string& corpus_path = *corpus;
    std::ifstream wf(std::filesystem::path(*dir) / "window.json");
    if (!wf) die(Status::not_found("no window.json in " + *dir), 2);
    auto window = nlohmann::json::parse(wf, nullptr, false);
    auto from = day_of(window, "from"), until = day_of(window, "until");
    if (!from || !until) die(Status::invalid_argument("window.json needs from and until dates (YYYY-MM-DD)"), 2);

    std::vector<EvalUser> users;
    Status s =
        search::for_each_line((std::filesystem::path(*dir) / "users.jsonl").string(), [&](long, std::string_view line) {
          auto j = nlohmann::json::parse(line, nullptr, false);
          if (!j.is_object() || !j.contains("liked") || !j.contains("relevant")) return true;
          EvalUser u;
          for (const auto& id : j["liked"]) {
            if (id.is_string()) u.liked.push_back(id.get<std::string>());
          }
          for (const auto& id : j["relevant"]) {
            if (id.is_string()) u.relevant.insert(id.get<std::string>());
          }
          if (!u.liked.empty() && !u.relevant.empty()) users.push_back(std::move(u));
          return true;
        });
    if (!s.is_ok()) die(s, 2);
    if (*users_limit > 0 && std::cmp_less(*users_limit, users.size())) {
      std::vector<EvalUser> spaced;
      for (int i = 0; i < *users_limit; ++i) {
        spaced.push_back(users[static_cast<size_t>(i) * users.size() / static_cast<size_t>(*users_limit)]);
      }
      users = std::move(spaced);
    }

    auto papers = read_eval_corpus(corpus_path);
    if (!papers) die(papers.error(), 2);
    const std::string dd = data_dir->empty() ? default_eval_dir(corpus_path) : *data_dir;
    auto db = open_eval_database(dd, corpus_path);
    if (!db) die(db.error());
    store::Store& store = (*db)->papers();
    search::SearchOptions options;
    options.index_dir = (std::filesystem::path(dd) / "index").string();
    options.ranking_index = search::SearchOptions::RankingIndex::kOff;
    auto service = search::open_search_service(store, options);
    if (!service) die(service.error());

    std::vector<store::StoredPaper> candidates;
    for (const auto& p : *papers) {
      if (p.first_day < *from || p.first_day > *until) continue;
      auto sp = store.get_paper(p.id);
      if (!sp) die(sp.error());
      if (*sp) candidates.push_back(std::move(**sp));
    }
    std::printf("users=%zu window=%s..%s candidates=%zu\n", users.size(), window["from"].get<std::string>().c_str(),
                window["until"].get<std::string>().c_str(), candidates.size());

    EvalSignals signals(users);
    rank::RecommenderOptions ro;
    ro.author_signals = false;
    rank::Recommender recommender(store, **service, signals, ro);
    double recall = 0, ndcg = 0;
    auto started = std::chrono::steady_clock::now();
    for (size_t u = 0; u < users.size(); ++u) {
      auto recs = recommender.rank(static_cast<std::int64_t>(u), candidates, 50);
      if (!recs) die(recs.error());
      double dcg = 0, ideal = 0;
      int found = 0;
      for (size_t i = 0; i < recs->size(); ++i) {
        if (!users[u].relevant.contains((*recs)[i].paper.paper.id)) continue;
        ++found;
        dcg += 1.0 / std::log2(static_cast<double>(i) + 2);
      }
      for (size_t i = 0; i < std::min<size_t>(50, users[u].relevant.size()); ++i)
        ideal += 1.0 / std::log2(static_cast<double>(i) + 2);
      recall += static_cast<double>(found) / static_cast<double>(users[u].relevant.size());
      ndcg += dcg / ideal;
    }
    const double n = users.empty() ? 1 : static_cast<double>(users.size());
    std::printf("mode=recommender (author signals off) recall50=%.4f ndcg50=%.4f (%.1f ms a user)\n", recall / n,
                ndcg / n,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count() / n);
    std::printf("recall50=%.4f ndcg50=%.4f\n", recall / n, ndcg / n);
  });
}

}  // namespace paperboy::cli
