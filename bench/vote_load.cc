// Vote load: N concurrent voters toggle upvotes for S seconds through the JSON API of a running
// `paperboy serve` (loopback), each on its own keep-alive connection with its own API token.
// Each voter remembers what it last did per paper; at the end the server's count for every paper
// must equal the number of voters whose last action was an upvote, with zero failed requests.
//   vote_load HOST PORT VOTERS SECONDS
// Prints votes cast, requests/s and latency percentiles; exits 1 on any mismatch or error.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Voter {
  std::string token;
  std::vector<bool> voted;          // per paper
  std::vector<double> latencies_ms;
  long requests = 0;
  long errors = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: vote_load HOST PORT VOTERS SECONDS\n");
    return 2;
  }
  std::string host = argv[1];
  int port = std::stoi(argv[2]);
  int voters = std::stoi(argv[3]);
  double seconds = std::stod(argv[4]);

  httplib::Client setup(host, port);
  auto listing = setup.Get("/api/daily_papers?month=" + std::string("2024-01") + "&limit=100");
  std::vector<std::string> papers;
  if (listing && listing->status == 200) {
    for (const auto& item : json::parse(listing->body)) papers.push_back(item["id"]);
  }
  if (papers.empty()) {
    auto latest = setup.Get("/api/daily_papers?limit=100");
    if (!latest || latest->status != 200) {
      std::fprintf(stderr, "vote_load: cannot list papers\n");
      return 1;
    }
    for (const auto& item : json::parse(latest->body)) papers.push_back(item["id"]);
  }
  papers.resize(std::min<size_t>(papers.size(), 20));  // few papers: many voters contend on each
  if (papers.empty()) {
    std::fprintf(stderr, "vote_load: the server has no papers\n");
    return 1;
  }

  std::vector<Voter> state(static_cast<size_t>(voters));
  for (int i = 0; i < voters; ++i) {
    std::string email = "voter" + std::to_string(i) + "-" + std::to_string(::getpid()) + "@example.org";
    json creds = {{"email", email}, {"password", "load test password"}, {"name", "v"}};
    auto r = setup.Post("/api/auth/signup", creds.dump(), "application/json");
    auto t = setup.Post("/api/auth/token", creds.dump(), "application/json");
    if (!r || r->status != 201 || !t || t->status != 200) {
      std::fprintf(stderr, "vote_load: sign-up of %s failed\n", email.c_str());
      return 1;
    }
    state[static_cast<size_t>(i)].token = json::parse(t->body)["token"];
    state[static_cast<size_t>(i)].voted.assign(papers.size(), false);
  }
  std::printf("vote_load: %d voters on %zu papers for %.0f s\n", voters, papers.size(), seconds);

  std::atomic<bool> go{false};
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int i = 0; i < voters; ++i) {
    threads.emplace_back([&, i] {
      Voter& v = state[static_cast<size_t>(i)];
      httplib::Client c(host, port);
      c.set_keep_alive(true);
      // Latency under load is measured, not cut short: a timed-out request may still have counted.
      c.set_read_timeout(60, 0);
      c.set_write_timeout(60, 0);
      c.set_connection_timeout(30, 0);
      httplib::Headers auth = {{"Authorization", "Bearer " + v.token}};
      std::mt19937 rng(static_cast<unsigned>(i));
      while (!go.load()) std::this_thread::yield();
      while (Clock::now() < deadline) {
        size_t p = rng() % papers.size();
        std::string path = "/api/papers/" + papers[p] + "/upvote";
        auto start = Clock::now();
        auto r = v.voted[p] ? c.Delete(path, auth) : c.Post(path, auth, "", "application/json");
        v.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        ++v.requests;
        if (!r || r->status != 200) {
          if (++v.errors <= 3) {
            std::fprintf(stderr, "vote_load: %s %s: %s\n", v.voted[p] ? "DELETE" : "POST", path.c_str(),
                         r ? ("HTTP " + std::to_string(r->status) + " " + r->body).c_str()
                           : httplib::to_string(r.error()).c_str());
          }
          continue;
        }
        v.voted[p] = !v.voted[p];
      }
    });
  }
  auto started = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  long requests = 0, errors = 0;
  std::vector<double> lat;
  for (const auto& v : state) {
    requests += v.requests;
    errors += v.errors;
    lat.insert(lat.end(), v.latencies_ms.begin(), v.latencies_ms.end());
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double q) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<size_t>(q * lat.size()))]; };
  int mismatches = 0;
  long final_votes = 0;
  for (size_t p = 0; p < papers.size(); ++p) {
    long expected = 0;
    for (const auto& v : state) expected += v.voted[p] ? 1 : 0;
    final_votes += expected;
    auto r = setup.Get("/api/papers/" + papers[p]);
    long got = r && r->status == 200 ? json::parse(r->body)["upvotes"].get<long>() : -1;
    if (got != expected) {
      ++mismatches;
      std::fprintf(stderr, "vote_load: %s has %ld upvotes, expected %ld\n", papers[p].c_str(), got, expected);
    }
  }
  std::printf("vote_load: %ld vote requests in %.1f s = %.0f/s; errors %ld; latency ms p50 %.2f p99 %.2f max %.2f\n",
              requests, elapsed, static_cast<double>(requests) / elapsed, errors, pct(0.5), pct(0.99), pct(1.0));
  std::printf("vote_load: final upvotes %ld over %zu papers; count mismatches %d\n", final_votes, papers.size(),
              mismatches);
  return errors == 0 && mismatches == 0 ? 0 : 1;
}
