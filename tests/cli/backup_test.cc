// `paperboy backup`, `restore` and `check` against the real binary: a backup taken while `serve`
// takes votes from several clients and `ingest` writes papers into the same SQLite database
// restores into a database that passes `check` and holds every vote acknowledged before the backup
// started. PAPERBOY_BACKUP_LOAD_S sets the load's length (default 4 s; the 30 s by hand).
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "store/community_store.h"
#include "store/database.h"
#include "store/store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

// Fast start: no demo data, no LSA training, cheap password hashes.
const std::vector<std::string> kEnv = {"PAPERBOY_SERVER_LOAD_DEMO_DATA=false", "PAPERBOY_SEARCH_MIN_TRAIN_DOCS=1000000",
                                       "PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum"};

std::string paper_id(int prefix, int i) {
  char id[24];
  std::snprintf(id, sizeof id, "%04d.%05d", prefix, i);
  return id;
}

core::Paper make_paper(const std::string& id) {
  core::Paper p;
  p.id = id;
  p.title = "Backups under load " + id;
  p.authors = {{"Lovelace", "Ada", ""}};
  p.abstract = "A paper to vote on.";
  p.categories = {"cs.DB"};
  p.versions = {{1, 1735689600}};
  p.update_date = "2025-01-01";
  return p;
}

// A snapshot file (arXiv's JSON lines layout) of `n` new papers for `paperboy ingest`.
void write_snapshot(const std::string& path, int n) {
  std::ofstream out(path);
  for (int i = 1; i <= n; ++i) {
    nlohmann::json line = {{"id", paper_id(2502, i)},
                           {"authors", "Grace Hopper"},
                           {"title", "Ingested while backing up " + std::to_string(i)},
                           {"categories", "cs.DB"},
                           {"abstract", "Written during the backup."},
                           {"versions", {{{"version", "v1"}, {"created", "Wed, 01 Jan 2025 00:00:00 GMT"}}}},
                           {"update_date", "2025-01-01"},
                           {"authors_parsed", {{"Hopper", "Grace", ""}}}};
    out << line.dump() << "\n";
  }
}

struct AckedVote {
  std::int64_t account_id;
  std::string paper;
  Clock::time_point acked;
};

TEST(BackupCommand, BackupUnderWriteLoadRestoresWithEveryAcknowledgedVote) {
  const char* load_env = std::getenv("PAPERBOY_BACKUP_LOAD_S");
  const double load_s = load_env != nullptr ? std::atof(load_env) : 4.0;
  constexpr int kPapers = 1500, kVoters = 4;
  TempDir live, restored;
  {
    auto store = store::open_database({.url = live.file("paperboy.db")});
    ASSERT_TRUE(store);
    store::WriteBatch batch;
    for (int i = 1; i <= kPapers; ++i) batch.papers.push_back(make_paper(paper_id(2501, i)));
    ASSERT_TRUE((*store)->papers().apply(batch));
  }
  Process server({paperboy_binary(), "--data-dir", live.path().string(), "serve", "--port", "0"}, kEnv);
  ASSERT_TRUE(server.started());
  auto line = server.read_line();
  ASSERT_TRUE(line.has_value());
  auto at = line->find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << *line;
  int port = std::stoi(line->substr(at + 17));

  // Voters: each with its own account and keep-alive connection, upvoting papers in turn.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<AckedVote> acked;
  std::atomic<int> errors{0};
  std::vector<std::thread> voters;
  for (int v = 0; v < kVoters; ++v) {
    voters.emplace_back([&, v] {
      httplib::Client c("127.0.0.1", port);
      nlohmann::json creds = {{"email", "voter" + std::to_string(v) + "@example.org"}, {"password", "backup load 123"}};
      auto signup = c.Post("/api/auth/signup", creds.dump(), "application/json");
      auto token = c.Post("/api/auth/token", creds.dump(), "application/json");
      if (!signup || signup->status != 201 || !token || token->status != 200) {
        ++errors;
        return;
      }
      std::int64_t account = nlohmann::json::parse(signup->body)["id"];
      httplib::Headers h = {
          {"Authorization", "Bearer " + nlohmann::json::parse(token->body)["token"].get<std::string>()}};
      // Round and round the papers until stopped (an upvote of a paper already upvoted stays one).
      for (int n = v; !stop; ++n) {
        std::string id = paper_id(2501, 1 + n % kPapers);
        auto r = c.Post("/api/papers/" + id + "/upvote", h, "", "application/json");
        if (!r || r->status != 200) {
          ++errors;
          continue;
        }
        std::lock_guard lock(mu);
        acked.push_back({account, id, Clock::now()});
      }
    });
  }
  write_snapshot(live.file("incoming.jsonl"), static_cast<int>(200 * load_s) + 400);
  Process ingest({paperboy_binary(), "--data-dir", live.path().string(), "ingest", "--batch-size", "50",
                  live.file("incoming.jsonl")},
                 kEnv);
  ASSERT_TRUE(ingest.started());

  auto started = Clock::now();
  std::this_thread::sleep_until(started + std::chrono::duration<double>(load_s / 2));
  auto backup_started = Clock::now();
  Process backup({paperboy_binary(), "--data-dir", live.path().string(), "backup", restored.file("backup")}, kEnv);
  EXPECT_EQ(backup.wait(), 0);
  std::this_thread::sleep_until(started + std::chrono::duration<double>(load_s));
  stop = true;
  for (auto& t : voters) t.join();
  EXPECT_EQ(ingest.wait(), 0);
  EXPECT_EQ(errors.load(), 0);

  // A restore never overwrites a database that holds data.
  Process refused({paperboy_binary(), "--data-dir", live.path().string(), "restore", restored.file("backup")}, kEnv);
  EXPECT_EQ(refused.wait(), 3);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);

  std::string target = restored.file("data");
  Process restore({paperboy_binary(), "--data-dir", target, "restore", restored.file("backup")}, kEnv);
  ASSERT_EQ(restore.wait(), 0);
  Process check({paperboy_binary(), "--data-dir", target, "check"}, kEnv);
  std::string check_output;
  while (auto l = check.read_line()) check_output += *l + "\n";
  EXPECT_EQ(check.wait(), 0) << check_output;

  auto community = store::open_database({.url = target + "/paperboy.db"});
  ASSERT_TRUE(community) << community.error().to_string();
  std::map<std::int64_t, std::vector<std::string>> before_backup;
  size_t total = 0;
  for (const auto& a : acked) {
    if (a.acked < backup_started) {
      before_backup[a.account_id].push_back(a.paper);
      ++total;
    }
  }
  ASSERT_GT(total, 0u) << "no vote was acknowledged before the backup started";
  size_t present = 0;
  for (const auto& [account, papers] : before_backup) {
    auto voted = (*community)->community().voted_papers(account, papers);
    ASSERT_TRUE(voted) << voted.error().to_string();
    for (const auto& p : papers) {
      EXPECT_TRUE(voted->contains(p)) << "vote of account " << account << " on " << p << " lost";
      present += voted->contains(p) ? 1 : 0;
    }
  }
  EXPECT_EQ(present, total);
  std::printf("[backup] load %.0f s: %zu votes acknowledged in all, %zu before the backup started, all %zu restored\n",
              load_s, acked.size(), total, present);
}

TEST(CheckCommand, FailsOnAnIndexAheadOfTheStore) {
  TempDir a, b;
  for (const auto* dir : {&a, &b}) {
    auto store = store::open_database({.url = dir->file("paperboy.db")});
    ASSERT_TRUE(store);
    store::WriteBatch batch;
    int n = dir == &a ? 50 : 5;
    for (int i = 1; i <= n; ++i) batch.papers.push_back(make_paper(paper_id(2501, i)));
    ASSERT_TRUE((*store)->papers().apply(batch));
  }
  Process reindex({paperboy_binary(), "--data-dir", a.path().string(), "reindex"}, kEnv);
  ASSERT_EQ(reindex.wait(), 0);
  Process good({paperboy_binary(), "--data-dir", a.path().string(), "check"}, kEnv);
  EXPECT_EQ(good.wait(), 0);
  // b's database with a's index (built up to change 50; b's store is at 5): unsound.
  Process bad({paperboy_binary(), "--data-dir", b.path().string(), "check"},
              {"PAPERBOY_SEARCH_INDEX_DIR=" + a.file("index")});
  EXPECT_EQ(bad.wait(), 1);
}

}  // namespace
}  // namespace paperboy
