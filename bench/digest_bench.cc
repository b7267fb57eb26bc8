// Personal digest benchmark on the shared 141k-paper corpus (or any snapshot file):
//   digest_bench [--corpus FILE] [--work DIR] [--subscribers N] [--threads T] [--limit PAPERS]
// The first run stores the corpus and builds the search indexes under --work (default
// /tmp/pb-digest-bench) and reuses them afterwards. Then:
//   1. train/update one user's model (Recommender::model_for: signals, liked papers and their
//      vectors from the store and the index, training) for 5, 20 and 200 likes: median of 20;
//   2. compose the weekly personal digest (StoreDigestSource + Recommender::rank + DigestComposer,
//      HTML and text) for N subscribers on T threads: total seconds and digests/s.
// Subscribers' interests are narrow and realistic: each likes 3..30 papers that are nearest
// neighbours of one random seed paper. Their likes are held in memory (a UserSignalSource) so the
// run measures ranking and composing, not vote storage; every other read is the real store/index.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>
#include <unordered_map>

#include "core/signing.h"
#include "core/time.h"
#include "mail/digest.h"
#include "mail/links.h"
#include "rank/recommender.h"
#include "search/search_service.h"
#include "search/snapshot_loader.h"
#include "store/database.h"

namespace {

using namespace paperboy;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.to_string().c_str());
  std::exit(1);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Args {
  std::string corpus;
  fs::path work = "/tmp/pb-digest-bench";
  int subscribers = 10000;
  int threads = 2;
  long limit = 0;  // papers read from the corpus (0: all)
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die(Status::invalid_argument(k + " needs a value"));
      return argv[++i];
    };
    if (k == "--corpus") {
      a.corpus = next();
    } else if (k == "--work") {
      a.work = next();
    } else if (k == "--subscribers") {
      a.subscribers = std::stoi(next());
    } else if (k == "--threads") {
      a.threads = std::stoi(next());
    } else if (k == "--limit") {
      a.limit = std::stol(next());
    } else {
      die(Status::invalid_argument("unknown argument " + k));
    }
  }
  if (a.corpus.empty()) a.corpus = bench::shared_corpus_path();
  return a;
}

// Likes held in memory (see the header comment).
class BenchSignals final : public rank::UserSignalSource {
 public:
  Result<rank::UserSignals> signals(std::int64_t account_id) override {
    rank::UserSignals s;
    s.liked_ids = likes.at(account_id);
    return s;
  }
  std::unordered_map<std::int64_t, std::vector<std::string>> likes;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up at once when redirected
  Args args = parse(argc, argv);
  if (args.corpus.empty() || !fs::exists(args.corpus)) {
    std::fprintf(stderr, "digest_bench: corpus not found (pass --corpus FILE)\n");
    return 1;
  }
  fs::create_directories(args.work);
  const bool fresh = !fs::exists(args.work / "ready");
  auto db = store::open_database({.url = (args.work / "paperboy.db").string()});
  if (!db) die(db.error());
  store::Store& store = (*db)->papers();
  if (fresh) {
    auto t = Clock::now();
    auto papers = bench::read_snapshot_papers(args.corpus, args.limit);
    if (!papers) die(papers.error());
    if (Status s = bench::store_papers(store, *papers); !s.is_ok()) die(s);
    std::printf("stored %zu papers in %.1f s\n", papers->size(), seconds_since(t));
  }
  search::SearchOptions so;
  so.index_dir = (args.work / "index").string();
  so.ranking_index = search::SearchOptions::RankingIndex::kOff;
  auto t_open = Clock::now();
  auto search = search::open_search_service(store, so);
  if (!search) die(search.error());
  std::printf("search indexes %s in %.1f s\n", fresh ? "built" : "opened", seconds_since(t_open));
  if (fresh) {
    if (std::FILE* f = std::fopen((args.work / "ready").c_str(), "w")) std::fclose(f);
  }

  // The weekly issue's window, and subscribers whose likes are neighbours of a random seed.
  auto issue = mail::digest_issue(store, "weekly:bench");
  if (!issue) die(issue.error());
  store::ListingQuery all{"", "", {}, 200000, 0};
  auto everything = store.list_papers(all);
  if (!everything) die(everything.error());
  std::printf("corpus: %zu papers; weekly window %s..%s\n", everything->size(), issue->from_day.c_str(),
              issue->to_day.c_str());
  BenchSignals signals;
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> pick(0, everything->size() - 1);
  std::uniform_int_distribution<int> how_many(3, 30);
  auto t_users = Clock::now();
  auto likes_near = [&](int n) {
    std::vector<std::string> ids;
    while (ids.empty()) {
      const auto& seed = (*everything)[pick(rng)];
      std::int64_t doc = seed.doc_id;
      auto v = (*search)->vectors_of(std::span<const std::int64_t>(&doc, 1));
      if (!v || (*v)[0].empty()) continue;
      auto hits = (*search)->nearest((*v)[0], n);
      if (!hits) die(hits.error());
      for (const auto& h : *hits) ids.push_back(h.id);
    }
    return ids;
  };
  for (int i = 1; i <= args.subscribers; ++i) signals.likes[i] = likes_near(how_many(rng));
  signals.likes[-5] = likes_near(5);
  signals.likes[-20] = likes_near(20);
  signals.likes[-200] = likes_near(200);
  std::printf("%d subscribers' likes drawn in %.1f s\n", args.subscribers, seconds_since(t_users));

  rank::Recommender recommender(store, **search, signals);
  // 1. Train/update one user's model.
  for (int n : {5, 20, 200}) {
    std::vector<double> ms;
    for (int r = 0; r < 21; ++r) {
      auto t = Clock::now();
      auto model = recommender.model_for(-n);
      if (!model) die(model.error());
      if (r > 0) ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    std::printf("train one user's model, %3d likes: median %.1f ms (goal <= 50 ms)\n", n, median(ms));
  }

  // 2. Compose every subscriber's weekly personal digest.
  mail::StoreDigestSource::Options options;
  options.personal = [&recommender](const store::Subscription& sub, std::span<const store::StoredPaper> candidates,
                                    int limit) -> Result<std::vector<mail::DigestEntry>> {
    auto recs = recommender.rank(sub.account_id, candidates, limit);
    if (!recs) return fail(recs.error());
    std::vector<mail::DigestEntry> out;
    for (auto& r : *recs) out.push_back({std::move(r.paper), r.reason.text()});
    return out;
  };
  mail::StoreDigestSource source(store, options);
  auto signer = core::Signer::make(std::string(64, 'a'));
  if (!signer) die(signer.error());
  mail::MailLinks links(std::move(*signer), "https://papers.example.org");
  mail::DigestComposer composer(links, "Paperboy <digest@example.org>");
  std::atomic<int> next{1}, composed{0}, empty{0};
  std::atomic<size_t> bytes{0};
  std::atomic<bool> failed{false};
  auto t_compose = Clock::now();
  std::vector<std::jthread> pool;
  for (int t = 0; t < args.threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i <= args.subscribers && !failed; i = next++) {
        store::Subscription sub;
        sub.id = i;
        sub.account_id = i;
        sub.email = "reader" + std::to_string(i) + "@example.org";
        sub.frequency = "weekly";
        sub.kind = "personal";
        auto entries = source.papers(sub, *issue);
        if (!entries) {
          std::fprintf(stderr, "error: %s\n", entries.error().to_string().c_str());
          failed = true;
          return;
        }
        if (entries->empty()) ++empty;
        auto m =
            composer.digest(sub, *issue, *entries, "<bench." + std::to_string(i) + "@example.org>", core::unix_now());
        bytes += m.html.size() + m.text.size();
        ++composed;
      }
    });
  }
  pool.clear();
  if (failed) return 1;
  double s = seconds_since(t_compose);
  std::printf(
      "composed %d personal weekly digests (%d empty) on %d threads in %.1f s: %.0f digests/s, "
      "avg %.1f KiB (goal: 10,000 in <= 60 s)\n",
      composed.load(), empty.load(), args.threads, s, composed / s,
      static_cast<double>(bytes) / 1024.0 / std::max(1, composed.load()));
  return 0;
}
