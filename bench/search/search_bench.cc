// Search benchmark on the shared 141k-paper corpus (or any snapshot file): index build time and
// peak RSS, incremental update of 1,000 changed papers, and latency percentiles + QPS for a fixed
// set of realistic queries (built deterministically from the titles of 1,000 held-aside papers)
// in each mode, and for similar papers. Phases run as separate processes so each reports its own
// peak RSS:
//   search_bench load   [--corpus FILE] [--work DIR] [--replicate N]
//                       store the corpus minus the held-aside papers; with N > 1, N copies of it
//                       with rewritten ids (the ~1M-paper scale test: --replicate 7)
//   search_bench build  [--work DIR]                   full index build (lexical + LSA + HNSW)
//   search_bench update [--work DIR]                   1,000 changed papers -> catch_up
//   search_bench query  [--work DIR] [--threads N] [--queries N]   latency and QPS (N <= 1000)
// Skips with a message when the corpus is absent.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "search/search_service.h"
#include "search/snapshot_loader.h"
#include "search/text_analyzer.h"
#include "store/database.h"

namespace {

using namespace paperboy;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr size_t kHeldAside = 1000;

double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

[[noreturn]] void die(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.to_string().c_str());
  std::exit(1);
}

struct Args {
  std::string phase;
  std::string corpus;
  fs::path work = "/tmp/pb-search-bench";
  int threads = 2;
  size_t queries = kHeldAside;
  int replicate = 1;
};

std::unique_ptr<store::Database> open_database(const Args& a) {
  auto db = store::open_database({"sqlite:" + (a.work / "paperboy.db").string(), 256});
  if (!db) die(db.error());
  return std::move(*db);
}

// The build measures what is persisted; query and update phases wait for the in-memory ranking
// index (a server builds it in the background after start).
search::SearchOptions options(const Args& a) {
  search::SearchOptions o;
  o.index_dir = (a.work / "index").string();
  o.build_threads = a.threads;
  o.ranking_index =
      a.phase == "build" ? search::SearchOptions::RankingIndex::kOff : search::SearchOptions::RankingIndex::kAtOpen;
  return o;
}

// Copy `copy` (1..6) of a new-style id YYMM.NNNNN: 3, 3, 6, 6, 9, 9 years earlier, the odd copies'
// numbers moved up by 50,000 (the corpus's numbers stay below that), so no two copies collide and
// every id stays in the five-digit era (2015 on).
std::string replica_id(const std::string& id, int copy) {
  if (id.size() != 10 || id[4] != '.' || copy < 1 || copy > 6) return {};
  int yy = std::stoi(id.substr(0, 2)) - 3 * ((copy + 1) / 2);
  long number = std::stol(id.substr(5)) + (copy % 2 == 1 ? 50000 : 0);
  if (yy < 15 || number > 99999) return {};
  std::string year = std::to_string(yy), num = std::to_string(number);
  return std::string(2 - year.size(), '0') + year + id.substr(2, 2) + "." + std::string(5 - num.size(), '0') + num;
}

// Queries a user might type, from held-aside titles: 2-3 keywords, a quoted title phrase, keywords
// with a category filter, keywords with a date filter, and a natural-language request, in rotation.
std::vector<std::string> make_queries(const std::vector<core::Paper>& held) {
  std::vector<std::string> out;
  for (size_t i = 0; i < held.size(); ++i) {
    auto words = search::analyze(held[i].title);
    std::vector<std::string> raw;
    std::istringstream in(held[i].title);
    for (std::string w; in >> w;) {
      std::erase_if(w, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '-'; });
      if (w.size() > 3) raw.push_back(w);
    }
    if (raw.size() < 2) raw = {"learning", "model"};
    std::string q;
    switch (i % 5) {
      case 0: q = raw[0] + " " + raw[1] + (raw.size() > 2 ? " " + raw[2] : ""); break;
      case 1: q = "\"" + raw[0] + " " + raw[1] + "\""; break;
      case 2: q = raw[0] + " " + raw.back() + " cat:" + held[i].primary_category(); break;
      case 3: q = raw[raw.size() / 2] + " " + raw.back() + " since:2025-01-01"; break;
      default:
        // A natural-language request built around the whole title, as people now type them.
        q = "Show me papers that study " + held[i].title;
        break;
    }
    out.push_back(q);
  }
  return out;
}

void print_latency(const char* what, std::vector<double> ms, double wall, int threads) {
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())))];
  };
  std::printf("%-10s n=%zu p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms qps(%d threads)=%.0f\n", what, ms.size(),
              pct(0.5), pct(0.95), pct(0.99), ms.back(), threads, static_cast<double>(ms.size()) / wall);
}

// Runs `fn(i)` for every i on `threads` threads; returns per-call milliseconds and the wall time.
template <typename Fn>
std::pair<std::vector<double>, double> measure(size_t n, int threads, Fn fn) {
  std::vector<double> ms(n);
  std::atomic<size_t> next{0};
  auto started = Clock::now();
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < n; i = next++) {
          auto t0 = Clock::now();
          fn(i);
          ms[i] = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        }
      });
    }
  }
  return {ms, seconds_since(started)};
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (arg == "--corpus")
      a.corpus = next();
    else if (arg == "--work")
      a.work = next();
    else if (arg == "--threads")
      a.threads = std::atoi(next().c_str());
    else if (arg == "--queries")
      a.queries = static_cast<size_t>(std::atol(next().c_str()));
    else if (arg == "--replicate")
      a.replicate = std::atoi(next().c_str());
    else
      a.phase = arg;
  }
  if (a.corpus.empty()) a.corpus = bench::shared_corpus_path();
  if (a.corpus.empty() || !fs::exists(a.corpus)) {
    std::fprintf(stderr,
                 "search_bench: corpus not found (expected ../shared/corpus/arxiv-cs-141k.jsonl.zst or --corpus)\n");
    return 1;
  }
  fs::create_directories(a.work);
  if (a.phase == "load") {
    auto t0 = Clock::now();
    auto papers = bench::read_snapshot_papers(a.corpus);
    if (!papers) die(papers.error());
    // Hold aside every 141st paper for query generation; store the rest.
    std::vector<core::Paper> stored, held;
    for (size_t i = 0; i < papers->size(); ++i)
      ((i % 141 == 0 && held.size() < kHeldAside) ? held : stored).push_back((*papers)[i]);
    std::ofstream out(a.work / "held_aside.txt");
    for (const auto& p : held) out << p.primary_category() << "\t" << p.title << "\n";
    auto db = open_database(a);
    store::Store* s = &db->papers();
    if (Status st = bench::store_papers(*s, stored); !st.is_ok()) die(st);
    size_t total = stored.size();
    for (int copy = 1; copy < std::min(a.replicate, 7); ++copy) {
      std::vector<core::Paper> replica;
      replica.reserve(stored.size());
      for (const auto& p : stored) {
        std::string id = replica_id(p.id, copy);
        if (id.empty()) continue;
        replica.push_back(p);
        replica.back().id = id;
      }
      if (Status st = bench::store_papers(*s, replica); !st.is_ok()) die(st);
      total += replica.size();
    }
    std::printf("load: stored %zu papers, held aside %zu, in %.1f s (peak RSS %.0f MiB)\n", total, held.size(),
                seconds_since(t0), peak_rss_mib());
  } else if (a.phase == "build") {
    auto db = open_database(a);
    store::Store* s = &db->papers();
    auto t0 = Clock::now();
    if (Status st = search::rebuild_search_indexes(*s, options(a)); !st.is_ok()) die(st);
    std::printf("build: lexical + LSA training + HNSW for the whole store in %.1f s (peak RSS %.0f MiB)\n",
                seconds_since(t0), peak_rss_mib());
  } else if (a.phase == "update") {
    auto db = open_database(a);
    store::Store* s = &db->papers();
    auto svc = search::open_search_service(*s, options(a));
    if (!svc) die(svc.error());
    auto changed = s->papers_changed_since(0, 1000);
    if (!changed) die(changed.error());
    store::WriteBatch batch;
    for (auto& sp : *changed) {
      core::Paper p = sp.paper;
      p.title += " (revised)";
      p.versions.push_back({p.latest_version() + 1, p.versions.back().created + 86400});
      batch.papers.push_back(std::move(p));
    }
    if (auto r = s->apply(batch); !r) die(r.error());
    auto t0 = Clock::now();
    if (Status st = (*svc)->catch_up(); !st.is_ok()) die(st);
    std::printf("update: %zu changed papers searchable after catch_up in %.2f s\n", batch.papers.size(),
                seconds_since(t0));
  } else if (a.phase == "query") {
    auto db = open_database(a);
    store::Store* s = &db->papers();
    auto t_open = Clock::now();
    auto svc = search::open_search_service(*s, options(a));
    if (!svc) die(svc.error());
    std::printf("open: indexes loaded in %.2f s\n", seconds_since(t_open));
    std::vector<core::Paper> held;
    std::ifstream in(a.work / "held_aside.txt");
    for (std::string line; std::getline(in, line);) {
      core::Paper p;
      auto tab = line.find('\t');
      p.categories = {line.substr(0, tab)};
      p.title = line.substr(tab + 1);
      held.push_back(std::move(p));
    }
    if (held.empty()) die(Status::not_found("run `search_bench load` first"));
    auto queries = make_queries(held);
    if (queries.size() > a.queries) queries.resize(a.queries);
    // Warm-up: every mode answers a slice of the queries once, unmeasured, so no mode pays for
    // the first touches of the index pages (or for the ranking index) in the others' place.
    constexpr std::array<search::Mode, 3> kModes = {search::Mode::kLexical, search::Mode::kSemantic,
                                                    search::Mode::kHybrid};
    for (auto mode : kModes) {
      for (size_t i = 0; i < std::min<size_t>(queries.size(), 100); ++i)
        (void)(*svc)->search({queries[i], mode, 20, 0});
    }
    // Three rounds, the mode order rotated each round (L S H, S H L, H L S), so no mode always
    // runs first or last; each mode's figures are over its three rounds.
    struct Totals {
      std::vector<double> ms;
      double wall = 0;
      long failures = 0, empty = 0;
    };
    std::array<Totals, 3> totals;
    for (size_t round = 0; round < kModes.size(); ++round) {
      for (size_t k = 0; k < kModes.size(); ++k) {
        size_t m = (round + k) % kModes.size();
        std::atomic<long> failures{0}, empty{0};
        auto run = [&](size_t i) {
          auto r = (*svc)->search({queries[i], kModes[m], 20, 0});
          if (!r)
            ++failures;
          else if (r->hits.empty())
            ++empty;
        };
        auto [ms, wall] = measure(queries.size(), a.threads, run);
        totals[m].ms.insert(totals[m].ms.end(), ms.begin(), ms.end());
        totals[m].wall += wall;
        totals[m].failures += failures.load();
        totals[m].empty += empty.load();
      }
    }
    for (size_t m = 0; m < kModes.size(); ++m) {
      print_latency(std::string(search::mode_name(kModes[m])).c_str(), totals[m].ms, totals[m].wall, a.threads);
      std::printf("           failures=%ld empty=%ld\n", totals[m].failures, totals[m].empty);
    }
    auto sample = s->papers_changed_since(0, 200000);
    if (!sample) die(sample.error());
    std::vector<std::string> ids;
    std::mt19937 rng(7);
    for (size_t i = 0; i < a.queries; ++i) ids.push_back((*sample)[rng() % sample->size()].paper.id);
    auto sim = [&](size_t i) {
      if (!(*svc)->similar(ids[i], 20)) std::fprintf(stderr, "similar %s failed\n", ids[i].c_str());
    };
    auto [ms, wall] = measure(ids.size(), a.threads, sim);
    print_latency("similar", ms, wall, a.threads);
    // Query by text: a paper's title and abstract pasted in.
    std::vector<std::string> texts;
    for (size_t i = 0; i < a.queries; ++i) {
      const auto& p = (*sample)[rng() % sample->size()].paper;
      texts.push_back(p.title + "\n" + p.abstract);
    }
    auto by_text = [&](size_t i) {
      if (!(*svc)->similar_to_text(texts[i], 20)) std::fprintf(stderr, "similar_to_text %zu failed\n", i);
    };
    auto [tms, twall] = measure(texts.size(), a.threads, by_text);
    print_latency("by-text", tms, twall, a.threads);
    std::printf("query: peak RSS %.0f MiB\n", peak_rss_mib());
  } else {
    std::fprintf(stderr, "usage: search_bench load|build|update|query [--corpus FILE] [--work DIR] [--threads N]\n");
    return 2;
  }
  return 0;
}
