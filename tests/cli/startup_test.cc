// Start-up with damaged files, through the real binary: a database that is garbage, truncated or
// empty, and search index files (lexical.db, encoder.lsa, vectors.hnsw) that are garbage,
// truncated or empty. Each start either serves (the derived indexes rebuilt, search answering) or
// stops with a clear error naming the file; never a crash (death by signal) or a hang.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

namespace fs = std::filesystem;
using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

const std::vector<std::string> kEnv = {"PAPERBOY_SEARCH_MIN_TRAIN_DOCS=20", "PAPERBOY_SERVER_LOAD_DEMO_DATA=false",
                                       "PAPERBOY_LOG_LEVEL=warn"};

struct Start {
  int port = 0;     // > 0: serving
  int code = -1;    // exit code when it stopped by itself
  std::string out;  // stdout and stderr
};

// Starts serve on `dir`; if it serves, checks a search answers, then stops it (exit code in code).
Start start(const fs::path& dir, int* search_status = nullptr) {
  Process p({paperboy_binary(), "--data-dir", dir.string(), "serve", "--port", "0"}, kEnv, true);
  Start s;
  while (auto line = p.read_line()) {
    s.out += *line + "\n";
    if ((s.port = testing::serving_port(line)) > 0) break;
  }
  if (s.port > 0) {
    httplib::Client c("127.0.0.1", s.port);
    auto r = c.Get("/api/papers/search?q=model&mode=hybrid");
    if (search_status != nullptr) *search_status = r ? r->status : -1;
    p.signal(SIGTERM);
    s.out += p.read_all();
  }
  s.code = p.wait();
  return s;
}

// Garbage, half the file, or nothing.
void damage(const fs::path& file, const std::string& how) {
  auto size = fs::file_size(file);
  if (how == "garbage") {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (std::uintmax_t i = 0; i < std::max<std::uintmax_t>(size, 4096); ++i)
      out.put(static_cast<char>((i * 131 + 7) % 251));
  } else if (how == "truncated") {
    fs::resize_file(file, size / 2);
  } else {
    fs::resize_file(file, 0);
  }
}

class StartupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Process ingest({paperboy_binary(), "--data-dir", good_.path().string(), "ingest", "--strict",
                    testing::paperboy_source_dir() + "/tests/fixtures/web/e2e-papers.jsonl"},
                   kEnv, true);
    std::string out = ingest.read_all();
    ASSERT_EQ(ingest.wait(), 0) << out;
    int status = 0;
    Start first = start(good_.path(), &status);  // builds the indexes
    ASSERT_GT(first.port, 0) << first.out;
    ASSERT_EQ(first.code, 0) << first.out;
    ASSERT_EQ(status, 200);
    for (const char* f : {"lexical.db", "encoder.lsa", "vectors.hnsw"}) {
      ASSERT_TRUE(fs::exists(good_.path() / "index" / f)) << f;
    }
  }
  // A copy of the good data directory to damage.
  fs::path copy(const std::string& name) {
    fs::path to = work_.path() / name;
    fs::copy(good_.path(), to, fs::copy_options::recursive);
    return to;
  }
  TempDir good_, work_;
};

TEST_F(StartupTest, DamagedIndexFilesAreRebuiltOrReportedNeverACrash) {
  for (const char* file : {"lexical.db", "encoder.lsa", "vectors.hnsw"}) {
    for (const char* how : {"garbage", "truncated", "empty"}) {
      SCOPED_TRACE(std::string(file) + " " + how);
      fs::path dir = copy(std::string(file) + "-" + how);
      damage(dir / "index" / file, how);
      int status = 0;
      Start s = start(dir, &status);
      EXPECT_LT(s.code, 128) << "killed by a signal: " << s.out;
      if (s.port > 0) {
        EXPECT_EQ(status, 200) << s.out;
        EXPECT_EQ(s.code, 0) << s.out;
      } else {
        EXPECT_NE(s.code, 0);
        EXPECT_NE(s.out.find(file), std::string::npos) << "the error must name the file: " << s.out;
      }
    }
  }
}

TEST_F(StartupTest, DamagedDatabaseIsAClearErrorNeverACrash) {
  for (const char* how : {"garbage", "truncated"}) {
    SCOPED_TRACE(how);
    fs::path dir = copy(std::string("db-") + how);
    damage(dir / "paperboy.db", how);
    int status = 0;
    Start s = start(dir, &status);
    EXPECT_LT(s.code, 128) << "killed by a signal: " << s.out;
    if (s.port == 0) {
      EXPECT_NE(s.code, 0);
      EXPECT_NE(s.out.find("paperboy.db"), std::string::npos) << "the error must name the file: " << s.out;
    }
  }
  // An empty file is an empty database: serve starts (demo data off here).
  fs::path dir = copy("db-empty");
  damage(dir / "paperboy.db", "empty");
  fs::remove_all(dir / "index");
  Start s = start(dir);
  EXPECT_GT(s.port, 0) << s.out;
  EXPECT_EQ(s.code, 0) << s.out;
}

}  // namespace
}  // namespace paperboy
