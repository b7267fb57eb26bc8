// The `paperboy search` and `paperboy similar` commands as users and later checks run them: the
// real binary on a real SQLite store, printing JSON arrays best first with "id" and "score".
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>

#include "search/snapshot_loader.h"
#include "store/database.h"
#include "store/store.h"

namespace paperboy::search {
namespace {

namespace fs = std::filesystem;

struct Output {
  int rc = -1;
  std::string out;
};

Output run(const std::string& command) {
  Output o;
  std::FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return o;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) o.out.append(buf.data(), n);
  int status = ::pclose(pipe);
  o.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

TEST(SearchCli, SearchAndSimilarPrintJsonArraysBestFirst) {
  const char* binary = std::getenv("PAPERBOY_BINARY");
  if (binary == nullptr || *binary == '\0') binary = PAPERBOY_BINARY_PATH;
  ASSERT_TRUE(fs::exists(binary)) << binary;
  fs::path dir = fs::temp_directory_path() / ("pb-search-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto papers = bench::read_snapshot_papers((fs::path(PAPERBOY_FIXTURES) / "papers.jsonl").string());
  ASSERT_TRUE(papers.has_value());
  {
    auto store = store::open_database({"sqlite:" + (dir / "paperboy.db").string()});
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE(bench::store_papers((*store)->papers(), *papers).is_ok());
  }
  // A small model keeps the test fast (the sanitizer build runs Eigen unoptimised).
  const std::string base = "PAPERBOY_SEARCH_DIMENSION=32 " + std::string(binary) + " --data-dir " + dir.string() + " ";
  const core::Paper& target = (*papers)[42];
  std::string quoted_title;
  for (char c : target.title) {
    quoted_title += std::isalnum(static_cast<unsigned char>(c)) ? c : ' ';
  }
  Output o = run(base + "search '" + quoted_title + "' --mode lexical --limit 5 --json");
  ASSERT_EQ(o.rc, 0) << o.out;
  auto hits = nlohmann::json::parse(o.out);
  ASSERT_TRUE(hits.is_array());
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0]["id"], target.id);
  for (size_t i = 1; i < hits.size(); ++i)
    EXPECT_GE(hits[i - 1]["score"].get<double>(), hits[i]["score"].get<double>());

  o = run(base + "similar " + target.id + " --limit 3 --json");
  ASSERT_EQ(o.rc, 0) << o.out;
  hits = nlohmann::json::parse(o.out);
  ASSERT_EQ(hits.size(), 3u);
  for (const auto& h : hits) {
    EXPECT_NE(h["id"], target.id);
    EXPECT_TRUE(h.contains("score"));
  }

  EXPECT_EQ(run(base + "search '\"unbalanced' --json").rc, 2);
  EXPECT_EQ(run(base + "similar 2611.00000 --json").rc, 3);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace paperboy::search
