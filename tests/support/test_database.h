// Test support for tests that need papers in a real database without a web server: a paper with
// the fields the services read, and a SQLite database holding some. Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <filesystem>
#include "core/paper.h"

#include "store/database.h"

namespace paperboy::testing {

// A one-version cs.LG paper by Ada Lovelace whose v1 appeared at `created` (unix seconds).
inline core::Paper stored_paper(const std::string& id, const std::string& title, std::int64_t created) {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.abstract = "Abstract of " + title;
  p.authors = {{"Lovelace", "Ada", ""}};
  p.categories = {"cs.LG"};
  p.versions = {{1, created}};
  return p;
}

// Papers 2601.00001 .. 2601.0000n ("Paper i", n at most 9), the i-th first published at
// start + i * step seconds.
inline std::vector<core::Paper> numbered_papers(int n, std::int64_t start, std::int64_t step) {
  std::vector<core::Paper> out;
  for (int i = 1; i <= n; ++i) {
    out.push_back(stored_paper("2601.0000" + std::to_string(i), "Paper " + std::to_string(i), start + i * step));
  }
  return out;
}

// The arXiv ids of `papers`, in order.
inline std::vector<std::string> paper_ids(const std::vector<store::StoredPaper>& papers) {
  std::vector<std::string> out;
  for (const auto& p : papers) out.push_back(p.paper.id);
  return out;
}

// Opens (creating) the SQLite database `dir`/test.db holding `papers`. Call under
// ASSERT_NO_FATAL_FAILURE.
inline void open_test_database(const std::filesystem::path& dir, std::vector<core::Paper> papers,
                               std::unique_ptr<store::Database>& out) {
  auto db = store::open_database({.url = (dir / "test.db").string(), .cache_mib = 8});
  ASSERT_TRUE(db) << db.error().to_string();
  out = std::move(*db);
  store::WriteBatch batch;
  batch.papers = std::move(papers);
  ASSERT_TRUE(out->papers().apply(batch));
}

}  // namespace paperboy::testing
