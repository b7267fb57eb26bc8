// The real `paperboy` binary: `harvest` killed with SIGKILL mid-harvest resumes after its last
// stored page; `harvest --help` documents its options; `fetch` stores a paper from an arXiv API
// server on 127.0.0.1.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>

#include "oai_test_server.h"
#include "store/database.h"
#include "store/store.h"

namespace paperboy::ingest {
namespace {

using paperboy::testing::oai_fixture;
using paperboy::testing::OaiTestServer;
using paperboy::testing::read_file;

std::string binary() {
  return paperboy::testing::paperboy_binary();
}

class HarvestCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("paperboy-harvest-cli-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts `paperboy --data-dir DIR args...` with stdout+stderr in DIR/out.txt.
  pid_t spawn(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {binary(), "--data-dir", dir_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return paperboy::testing::spawn_with_output(argv, (dir_ / "out.txt").string());
  }
  int wait_exit(pid_t pid) { return paperboy::testing::wait_exit(pid); }
  std::string output() { return read_file(dir_ / "out.txt"); }
  std::int64_t paper_count() {
    store::StoreOptions o;
    o.url = "sqlite:" + (dir_ / "paperboy.db").string();
    auto s = store::open_database(o);
    EXPECT_TRUE(s);
    auto n = (*s)->papers().max_change_seq();
    return n ? *n : -1;
  }

  std::filesystem::path dir_;
};

TEST_F(HarvestCli, KillNineMidHarvestResumesFromTheLastStoredPage) {
  // Page 2 hangs until released, so the kill lands while the harvester waits for it: pages 0 and 1
  // are stored by then (a page is committed before the next is requested). The flags are declared
  // before the server so they outlive its handler threads.
  std::mutex mu;
  std::condition_variable cv;
  bool asked_for_page2 = false, release = false;
  OaiTestServer server;
  server.set_hook([&](const httplib::Request&, httplib::Response&, int, const std::string& page) {
    if (page != "arXiv-page-2.xml") return false;
    std::unique_lock lock(mu);
    asked_for_page2 = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return release; });
    return false;
  });
  std::vector<std::string> args = {"harvest", "--url", server.url(), "--interval", "0.2", "--backoff", "0.05"};
  pid_t pid = spawn(args);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return asked_for_page2; })) << output();
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  {
    std::lock_guard lock(mu);
    release = true;
    cv.notify_all();
  }
  EXPECT_EQ(paper_count(), 2000);  // pages 0 and 1, whole

  server.set_hook(nullptr);
  server.clear_requests();
  pid = spawn(args);
  ASSERT_EQ(wait_exit(pid), 0) << output();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u) << output();
  EXPECT_EQ(reqs[0].token, "arXiv-page-2");  // no stored page was asked for again
  EXPECT_EQ(paper_count(), 2500);
  EXPECT_NE(output().find("resumed an interrupted harvest"), std::string::npos) << output();
  EXPECT_NE(output().find("inserted 500"), std::string::npos) << output();
}

TEST_F(HarvestCli, CtrlCDuringASlowTransferStopsPromptlyAndKeepsStoredPages) {
  std::atomic<bool> asked_for_page1{false}, release{false};
  OaiTestServer server;  // after the flags: destroyed (handlers joined) before them
  server.set_hook([&](const httplib::Request&, httplib::Response&, int, const std::string& page) {
    if (page != "arXiv-page-1.xml") return false;
    asked_for_page1 = true;
    for (int i = 0; i < 400 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return false;
  });
  pid_t pid = spawn({"harvest", "--url", server.url(), "--interval", "0"});
  for (int i = 0; i < 600 && !asked_for_page1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(asked_for_page1) << output();
  auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(pid, SIGINT), 0);
  int rc = wait_exit(pid);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  release = true;
  EXPECT_EQ(rc, 130) << output();
  EXPECT_LT(took, 5.0);  // the transfer was cut short, not waited out
  EXPECT_NE(output().find("interrupted; re-run to continue"), std::string::npos) << output();
  EXPECT_EQ(paper_count(), 1000);
}

TEST_F(HarvestCli, HelpDocumentsEveryOption) {
  pid_t pid = spawn({"harvest", "--help"});
  ASSERT_EQ(wait_exit(pid), 0);
  std::string help = output();
  for (const char* opt : {"--url", "--prefix", "--set", "--from", "--until", "--interval", "--contact", "--timeout",
                          "--max-attempts", "--backoff", "arXivRaw", "oai_dc"}) {
    EXPECT_NE(help.find(opt), std::string::npos) << opt;
  }
}

TEST_F(HarvestCli, BadDateIsRejectedWithoutNetwork) {
  pid_t pid = spawn({"harvest", "--url", "http://127.0.0.1:9/oai", "--from", "2026-13-01"});
  EXPECT_EQ(wait_exit(pid), 2);
  EXPECT_NE(output().find("--from"), std::string::npos) << output();
}

TEST_F(HarvestCli, FetchStoresThePaperFromTheApi) {
  httplib::Server api;
  std::atomic<int> calls{0};
  std::string seen_ids;
  api.Get("/api/query", [&](const httplib::Request& req, httplib::Response& res) {
    seen_ids = req.get_param_value("id_list");
    if (calls++ == 0) {  // arXiv's API is often busy: the first answer is a 503
      res.status = 503;
      res.set_header("Retry-After", "0");
      return;
    }
    res.set_content(read_file(paperboy::testing::source_dir() / "tests/fixtures/arxiv-api/2602.07774.atom"),
                    "application/atom+xml");
  });
  int port = api.bind_to_any_port("127.0.0.1");
  std::thread t([&] { api.listen_after_bind(); });
  while (!api.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  pid_t pid = spawn({"fetch", "arXiv:2602.07774v3", "--api-url",
                     "http://127.0.0.1:" + std::to_string(port) + "/api/query", "--interval", "0"});
  int rc = wait_exit(pid);
  api.stop();
  t.join();
  ASSERT_EQ(rc, 0) << output();
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(seen_ids, "2602.07774");
  EXPECT_NE(output().find("inserted 1"), std::string::npos) << output();
  EXPECT_EQ(paper_count(), 1);
}

}  // namespace
}  // namespace paperboy::ingest
