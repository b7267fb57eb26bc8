// Shared helpers for the ingest tests: temporary directories, a real SQLite store in them,
// synthetic snapshot files, dumping a store for comparison, and running the real `paperboy`
// binary. Test-only; single-threaded.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/store.h"
#include "support/process.h"

namespace paperboy::ingest::testing {

namespace fs = std::filesystem;

inline std::string fixture(const std::string& name) {
  return paperboy::testing::paperboy_source_dir() + "/tests/fixtures/ingest/" + name;
}

// A fresh directory removed when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "paperboy-ingest-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A test's paper store: it owns the database and dereferences to its papers().
class TestStore {
 public:
  explicit TestStore(std::unique_ptr<store::Database> db) : db_(std::move(db)) {}
  store::Store& operator*() const { return db_->papers(); }
  store::Store* operator->() const { return &db_->papers(); }

 private:
  std::unique_ptr<store::Database> db_;
};

inline TestStore open_test_store(const std::string& path) {
  auto db = store::open_database({.url = "sqlite:" + path});
  EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().to_string());
  return TestStore(db ? std::move(*db) : nullptr);
}

// One synthetic snapshot line with id 2401.NNNNN (plus a v2 for every third record).
inline std::string synthetic_record(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "2401.%05d", n);
  std::string versions = R"([{"version": "v1", "created": "Mon, 1 Jan 2024 10:00:00 GMT"})";
  if (n % 3 == 0) versions += R"(, {"version": "v2", "created": "Tue, 2 Jan 2024 10:00:00 GMT"})";
  versions += "]";
  return std::string(R"({"id": ")") + id + R"(", "submitter": null, "authors": "A. Author, B. Writer", )" +
         R"("title": "Synthetic paper number )" + std::to_string(n) + R"( on $\\alpha$-stable things", )" +
         R"("comments": null, "journal-ref": null, "doi": null, "report-no": null, )" + R"("categories": ")" +
         (n % 2 == 0 ? "cs.LG stat.ML" : "cs.CL") + R"(", "license": null, )" + R"("abstract": "  We study\nthing )" +
         std::to_string(n) + R"( in depth.\n", "versions": )" + versions +
         R"(, "update_date": "2024-01-02", "authors_parsed": [["Author", "A.", ""], ["Writer", "B.", ""]]})";
}

inline void write_synthetic_file(const std::string& path, int count) {
  std::ofstream out(path, std::ios::binary);
  for (int i = 1; i <= count; ++i) out << synthetic_record(i) << '\n';
}

// Every paper in the store keyed by id, with its doc id and change sequence.
inline std::map<std::string, store::StoredPaper> dump_store(store::Store& s) {
  std::map<std::string, store::StoredPaper> out;
  std::int64_t after = 0;
  for (;;) {
    auto page = s.papers_changed_since(after, 1000);
    EXPECT_TRUE(page.has_value());
    if (!page || page->empty()) return out;
    for (auto& p : *page) {
      after = p.change_seq;
      out[p.paper.id] = std::move(p);
    }
  }
}

inline void expect_same_papers(store::Store& a, store::Store& b) {
  auto da = dump_store(a);
  auto db = dump_store(b);
  ASSERT_EQ(da.size(), db.size());
  for (const auto& [id, pa] : da) {
    auto it = db.find(id);
    ASSERT_NE(it, db.end()) << id;
    EXPECT_EQ(pa.paper, it->second.paper) << id;
    EXPECT_EQ(pa.doc_id, it->second.doc_id) << id;
  }
}

using paperboy::testing::paperboy_binary;

// Starts `paperboy ARGS...` with stdout and stderr sent to `output_file`; returns the pid.
inline pid_t spawn_paperboy(const std::vector<std::string>& args, const std::string& output_file) {
  std::vector<std::string> argv_store{paperboy_binary()};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
  return rc == 0 ? pid : -1;
}

inline int wait_exit_code(pid_t pid) {
  if (pid <= 0) return -1;  // never waitpid(-1): that would reap some other child
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline RunResult run_paperboy(const std::vector<std::string>& args, const std::string& scratch_dir) {
  std::string out_file = scratch_dir + "/paperboy-output.txt";
  RunResult r;
  r.exit_code = wait_exit_code(spawn_paperboy(args, out_file));
  std::ifstream in(out_file);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  return r;
}

}  // namespace paperboy::ingest::testing
