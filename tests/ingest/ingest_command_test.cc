// `paperboy ingest` as a user runs it: the real binary, a real data directory, real signals.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "ingest/snapshot_ingest.h"
#include "ingest_test_support.h"

namespace paperboy::ingest {
namespace {

using testing::fixture;
using testing::run_paperboy;
using testing::TempDir;

TEST(IngestCommand, StrictExitsNonZeroOnlyWhenALineIsRejected) {
  TempDir dir;
  auto broken = run_paperboy({"--data-dir", dir.file("a"), "ingest", "--strict", fixture("broken.jsonl")}, dir.path());
  EXPECT_NE(broken.exit_code, 0) << broken.output;
  EXPECT_NE(broken.output.find("broken.jsonl:3:"), std::string::npos) << broken.output;
  EXPECT_NE(broken.output.find("rejected 6"), std::string::npos) << broken.output;

  auto lenient = run_paperboy({"--data-dir", dir.file("b"), "ingest", fixture("broken.jsonl")}, dir.path());
  EXPECT_EQ(lenient.exit_code, 0) << lenient.output;
  EXPECT_NE(lenient.output.find("inserted 7"), std::string::npos) << lenient.output;

  auto good =
      run_paperboy({"--data-dir", dir.file("c"), "ingest", "--strict", fixture("good-10.jsonl.gz")}, dir.path());
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_NE(good.output.find("inserted 10"), std::string::npos) << good.output;
}

TEST(IngestCommand, AFileWithNothingReadableExitsNonZero) {
  TempDir dir;
  std::string garbage = dir.file("garbage.jsonl");
  {
    std::ofstream out(garbage, std::ios::binary);
    out << "this is not json\n\x01\x02\x03\nstill not\n";
  }
  auto r = run_paperboy({"--data-dir", dir.file("d"), "ingest", garbage}, dir.path());
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("no records could be read"), std::string::npos) << r.output;

  std::string empty = dir.file("empty.jsonl");
  std::ofstream(empty).close();
  auto e = run_paperboy({"--data-dir", dir.file("e"), "ingest", empty}, dir.path());
  EXPECT_NE(e.exit_code, 0) << e.output;

  auto missing = run_paperboy({"--data-dir", dir.file("f"), "ingest", dir.file("nope.jsonl")}, dir.path());
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("nope.jsonl"), std::string::npos) << missing.output;
}

// The checkpoint the running binary has committed, if any. Read with a read-only SQLite handle:
// opening a Store could race the binary's own schema migration.
std::optional<nlohmann::json> committed_checkpoint(const std::string& db, const std::string& file) {
  sqlite3* handle = nullptr;
  std::optional<nlohmann::json> out;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(handle, 1000);
    sqlite3_stmt* stmt = nullptr;
    std::string key = checkpoint_key(file);
    if (sqlite3_prepare_v2(handle, "SELECT value FROM state WHERE key = ?", -1, &stmt, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(stmt) == SQLITE_ROW) {
        out = nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(handle);
  return out;
}

TEST(IngestCommand, KillNineMidIngestThenReRunEndsEqualToACleanRun) {
  TempDir dir;
  std::string file = dir.file("synthetic.jsonl");
  testing::write_synthetic_file(file, 8000);

  auto clean = run_paperboy({"--data-dir", dir.file("clean"), "ingest", "--batch-size", "100", file}, dir.path());
  ASSERT_EQ(clean.exit_code, 0) << clean.output;

  std::string data = dir.file("killed");
  std::filesystem::create_directories(data);
  // The ingest stops itself (SIGSTOP) right after committing its 10th batch of 80: it is killed
  // there, mid-file, whatever the machine's speed.
  setenv("PAPERBOY_TEST_STOP_AFTER_BATCHES", "10", 1);
  pid_t pid =
      testing::spawn_paperboy({"--data-dir", data, "ingest", "--batch-size", "100", file}, dir.file("killed.txt"));
  unsetenv("PAPERBOY_TEST_STOP_AFTER_BATCHES");
  ASSERT_GT(pid, 0);  // kill(-1, ...) would signal every process we may signal
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, WUNTRACED), pid);
  std::ifstream log(dir.file("killed.txt"));
  ASSERT_TRUE(WIFSTOPPED(status)) << "the ingest ended before its 10th batch: " << log.rdbuf();
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(testing::wait_exit_code(pid), 128 + SIGKILL);
  auto checkpoint = committed_checkpoint(data + "/paperboy.db", file);
  ASSERT_TRUE(checkpoint.has_value()) << "no checkpoint was committed";
  ASSERT_FALSE((*checkpoint)["complete"].get<bool>()) << "the ingest finished before it could be killed";

  auto rerun = run_paperboy({"--data-dir", data, "ingest", "--batch-size", "100", file}, dir.path());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_EQ(rerun.output.find("skipped (already ingested) 0 "), std::string::npos)
      << "the re-run did not resume: " << rerun.output;

  auto stats_clean = run_paperboy({"--data-dir", dir.file("clean"), "stats", "--json"}, dir.path());
  auto stats_rerun = run_paperboy({"--data-dir", data, "stats", "--json"}, dir.path());
  ASSERT_EQ(stats_clean.exit_code, 0);
  auto a = nlohmann::json::parse(stats_clean.output);
  auto b = nlohmann::json::parse(stats_rerun.output);
  EXPECT_EQ(a["papers"], 8000);
  EXPECT_EQ(a["papers"], b["papers"]);
  EXPECT_EQ(a["by_category"], b["by_category"]);
  EXPECT_EQ(a["by_month"], b["by_month"]);

  auto clean_store = testing::open_test_store(dir.file("clean") + "/paperboy.db");
  auto rerun_store = testing::open_test_store(data + "/paperboy.db");
  testing::expect_same_papers(*clean_store, *rerun_store);
}

}  // namespace
}  // namespace paperboy::ingest
