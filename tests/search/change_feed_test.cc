// for_each_change against a real SQLite database (every change visited once, revisions included)
// and against an in-memory change log, which alone can inject what a real store should never do
// (fail a read halfway, stop advancing): every change visited once across batch boundaries, the
// last sequence number returned, and errors (the store's, the visitor's, a store that does not
// advance) stopping the walk.
#include "search/change_feed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "store/database.h"
#include "support/temp_dir.h"

namespace paperboy::search {
namespace {

// A store that only answers papers_changed_since, from a list of change sequence numbers.
class ChangeLogStore final : public store::Store {
 public:
  explicit ChangeLogStore(std::vector<std::int64_t> seqs) : seqs_(std::move(seqs)) {}

  int calls = 0;
  int fail_on_call = -1;      // this call (0-based) fails
  bool repeat_first = false;  // every call returns the first change again

  Result<std::vector<store::StoredPaper>> papers_changed_since(std::int64_t after_seq, int limit) override {
    if (calls++ == fail_on_call) return fail(Status::io_error("disk read failed"));
    std::vector<store::StoredPaper> out;
    for (std::int64_t seq : seqs_) {
      if ((seq > after_seq || repeat_first) && std::cmp_less(out.size(), limit)) {
        store::StoredPaper p;
        p.doc_id = seq * 10;
        p.change_seq = seq;
        out.push_back(p);
      }
    }
    return out;
  }

  store::PoolUse pool_use() override { return {}; }
  Result<store::BatchResult> apply(const store::WriteBatch&) override { return unsupported(); }
  Result<std::optional<store::StoredPaper>> get_paper(std::string_view) override { return unsupported(); }
  Result<std::optional<store::StoredPaper>> get_paper_by_doi(std::string_view) override { return unsupported(); }
  Result<std::vector<store::StoredPaper>> get_papers_by_doc_id(std::span<const std::int64_t>) override {
    return unsupported();
  }
  Result<std::int64_t> max_change_seq() override { return unsupported(); }
  Result<std::vector<store::StoredPaper>> list_papers(const store::ListingQuery&) override { return unsupported(); }
  Result<std::int64_t> count_papers(const store::ListingQuery&) override { return unsupported(); }
  Result<std::string> newest_listing_day() override { return unsupported(); }
  Result<std::pair<std::string, std::string>> neighbour_listing_days(std::string_view) override {
    return unsupported();
  }
  Result<std::vector<store::StoredPaper>> list_papers_by_author(std::string_view, std::string_view, int, int) override {
    return unsupported();
  }
  Result<store::StoreStats> stats() override { return unsupported(); }
  Result<std::optional<std::string>> get_state(std::string_view) override { return unsupported(); }
  Result<std::vector<std::pair<std::string, std::string>>> list_state() override { return unsupported(); }
  Status put_state(std::string_view, std::string_view) override { return Status::unavailable("not here"); }
  Status delete_state(std::string_view) override { return Status::unavailable("not here"); }

 private:
  static std::unexpected<Status> unsupported() { return fail(Status::unavailable("not here")); }
  std::vector<std::int64_t> seqs_;
};

struct Visited {
  std::vector<std::int64_t> seqs;
  std::vector<std::int64_t> batch_ends;
  ChangeVisitor visitor() {
    return [this](const std::vector<store::StoredPaper>& batch, std::int64_t last_seq) {
      EXPECT_FALSE(batch.empty());
      EXPECT_EQ(batch.back().change_seq, last_seq);
      for (const auto& p : batch) seqs.push_back(p.change_seq);
      batch_ends.push_back(last_seq);
      return Status::ok();
    };
  }
};

TEST(ForEachChange, WalksARealDatabasesChangesOnceEachIncludingRevisions) {
  testing::TempDir dir;
  auto db = store::open_database({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(db) << db.error().to_string();
  auto paper = [](int n, int version) {
    core::Paper p;
    p.id = "2401." + std::to_string(10000 + n);
    p.title = "Paper " + std::to_string(n) + " v" + std::to_string(version);
    p.abstract = "About " + std::to_string(n);
    p.categories = {"cs.LG"};
    for (int v = 1; v <= version; ++v) p.versions.push_back({v, 1704067200 + v * 86400});
    return p;
  };
  store::WriteBatch first;
  for (int n = 0; n < 25; ++n) first.papers.push_back(paper(n, 1));
  ASSERT_TRUE((*db)->papers().apply(first));
  store::WriteBatch revised;  // a v2 of every fifth paper moves it to a later change
  for (int n = 0; n < 25; n += 5) revised.papers.push_back(paper(n, 2));
  ASSERT_TRUE((*db)->papers().apply(revised));
  auto newest = (*db)->papers().max_change_seq();
  ASSERT_TRUE(newest);
  std::set<std::string> ids;
  std::int64_t visits = 0, previous = 0;
  auto last =
      for_each_change((*db)->papers(), 0, 4, [&](const std::vector<store::StoredPaper>& batch, std::int64_t last_seq) {
        for (const auto& p : batch) {
          EXPECT_GT(p.change_seq, previous);  // strictly increasing, no repeats
          previous = p.change_seq;
          ids.insert(p.paper.id);
          ++visits;
        }
        EXPECT_EQ(last_seq, previous);
        return Status::ok();
      });
  ASSERT_TRUE(last) << last.error().to_string();
  EXPECT_EQ(*last, *newest);
  EXPECT_EQ(ids.size(), 25u);
  EXPECT_EQ(visits, 25);  // a revised paper shows once, at its latest change
}

TEST(ForEachChange, VisitsEveryChangeOnceAcrossBatchBoundaries) {
  ChangeLogStore store({3, 4, 7, 9, 12, 15, 16});
  Visited v;
  auto last = for_each_change(store, 0, 3, v.visitor());
  ASSERT_TRUE(last.has_value()) << last.error().to_string();
  EXPECT_EQ(*last, 16);
  EXPECT_EQ(v.seqs, (std::vector<std::int64_t>{3, 4, 7, 9, 12, 15, 16}));
  EXPECT_EQ(v.batch_ends, (std::vector<std::int64_t>{7, 15, 16}));
  EXPECT_EQ(store.calls, 3);  // the short third batch ends the walk without another read
}

TEST(ForEachChange, StartsAfterTheGivenSequence) {
  ChangeLogStore store({3, 4, 7, 9});
  Visited v;
  auto last = for_each_change(store, 4, 2, v.visitor());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, 9);
  EXPECT_EQ(v.seqs, (std::vector<std::int64_t>{7, 9}));
  EXPECT_EQ(store.calls, 2);  // a full batch needs one more read to see the end
}

TEST(ForEachChange, ReturnsTheStartWhenNothingChanged) {
  ChangeLogStore store({3, 4});
  Visited v;
  auto last = for_each_change(store, 4, 10, v.visitor());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, 4);
  EXPECT_TRUE(v.seqs.empty());
}

TEST(ForEachChange, PropagatesAStoreErrorAfterEarlierBatches) {
  ChangeLogStore store({1, 2, 3, 4, 5});
  store.fail_on_call = 1;
  Visited v;
  auto last = for_each_change(store, 0, 2, v.visitor());
  ASSERT_FALSE(last.has_value());
  EXPECT_EQ(last.error().code(), StatusCode::kIoError);
  EXPECT_EQ(v.seqs, (std::vector<std::int64_t>{1, 2}));
}

TEST(ForEachChange, StopsAtTheVisitorsError) {
  ChangeLogStore store({1, 2, 3, 4, 5});
  int batches = 0;
  auto last = for_each_change(store, 0, 2, [&](const std::vector<store::StoredPaper>&, std::int64_t) {
    return ++batches == 2 ? Status::conflict("index busy") : Status::ok();
  });
  ASSERT_FALSE(last.has_value());
  EXPECT_EQ(last.error().code(), StatusCode::kConflict);
  EXPECT_EQ(batches, 2);
  EXPECT_EQ(store.calls, 2);
}

TEST(ForEachChange, AStoreThatDoesNotAdvanceIsAnErrorNotAnEndlessLoop) {
  ChangeLogStore store({5, 6});
  store.repeat_first = true;
  Visited v;
  auto last = for_each_change(store, 6, 1, v.visitor());
  ASSERT_FALSE(last.has_value());
  EXPECT_EQ(last.error().code(), StatusCode::kInternal);
  EXPECT_TRUE(v.seqs.empty());
}

TEST(ForEachChange, RejectsANonPositiveBatchSize) {
  ChangeLogStore store({1});
  Visited v;
  auto last = for_each_change(store, 0, 0, v.visitor());
  ASSERT_FALSE(last.has_value());
  EXPECT_EQ(last.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.calls, 0);
}

}  // namespace
}  // namespace paperboy::search
