// Test support for tests that need papers in a real store without a web server: a paper with the
// fields the services read, and a SQLite paper store holding some. Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/paper.h"
#include "store/sqlite/sqlite_store.h"

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

// Opens (creating) the SQLite paper store at `db` holding `papers`. Call under
// ASSERT_NO_FATAL_FAILURE.
inline void open_sqlite_papers(const std::string& db, std::vector<core::Paper> papers,
                               std::unique_ptr<store::Store>& out) {
  auto opened = store::sqlite::SqliteStore::open(db, 8);
  ASSERT_TRUE(opened) << opened.error().to_string();
  out = std::move(*opened);
  store::WriteBatch batch;
  batch.papers = std::move(papers);
  ASSERT_TRUE(out->apply(batch));
}

}  // namespace paperboy::testing
