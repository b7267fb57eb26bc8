// What the PostgreSQL store adds over the shared Store behaviour (store_test.cc): several
// instances writing one database while a follower tails the change sequence, the transaction
// retry helper, advisory locks and the connection pool. Real server from support/postgres_server.h.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "support/postgres_server.h"

namespace paperboy::store::postgres {
namespace {

core::Paper paper(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "2403.%05d", n);
  core::Paper p;
  p.id = id;
  p.title = "Paper " + std::to_string(n);
  p.authors = {{"Lovelace", "Ada", ""}};
  p.abstract = "Abstract";
  p.categories = {"cs.LG"};
  p.versions = {{1, 1709251200 + n}};
  p.update_date = "2024-03-01";
  return p;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::fresh_postgres_database();
    ASSERT_FALSE(url_.empty());
  }
  std::unique_ptr<PostgresStore> open() {
    auto store = PostgresStore::open(url_);
    EXPECT_TRUE(store) << store.error().to_string();
    return store ? std::move(*store) : nullptr;
  }
  std::string url_;
};

// Two instances (two stores, separate pools) write small batches concurrently while a follower
// tails papers_changed_since(cursor) as the search index does, moving its cursor to the largest
// change_seq it has seen. Without the writers' advisory lock a batch that drew smaller sequence
// values but committed later would be skipped for good.
TEST_F(PostgresStoreTest, AFollowerOfTheChangeSequenceSeesEveryWriteFromEveryInstance) {
  auto first = open();
  auto second = open();
  auto follower = open();
  ASSERT_TRUE(first && second && follower);
  constexpr int kPerWriter = 150;
  std::atomic<int> writers_left{2};
  std::atomic<int> write_errors{0};
  auto writer = [&](PostgresStore* store, int base) {
    for (int i = 0; i < kPerWriter; i += 3) {
      WriteBatch batch;
      for (int j = i; j < i + 3 && j < kPerWriter; ++j) batch.papers.push_back(paper(base + j));
      if (!store->apply(batch)) ++write_errors;
    }
    --writers_left;
  };
  std::thread a(writer, first.get(), 1);
  std::thread b(writer, second.get(), 10001);
  std::set<std::string> seen;
  std::int64_t cursor = 0;
  int read_errors = 0;
  for (;;) {
    bool writers_done = writers_left == 0;  // read before the scan, so the last scan sees everything
    auto changed = follower->papers_changed_since(cursor, 1000);
    if (!changed) {
      ++read_errors;
      break;
    }
    for (const auto& p : *changed) {
      EXPECT_GT(p.change_seq, cursor);
      cursor = p.change_seq;
      seen.insert(p.paper.id);
    }
    if (writers_done && changed->empty()) break;
  }
  a.join();
  b.join();
  EXPECT_EQ(write_errors, 0);
  EXPECT_EQ(read_errors, 0);
  EXPECT_EQ(seen.size(), 2U * kPerWriter);
  EXPECT_EQ(cursor, *follower->max_change_seq());
}

TEST_F(PostgresStoreTest, SerializableTransactionsRetryUntilEveryIncrementCounts) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->put_state("counter", "0").is_ok());
  constexpr int kThreads = 4, kIncrements = 20;
  std::atomic<int> failures{0};
  std::atomic<int> attempts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status s = run_transaction(store->pool(), Isolation::kSerializable, [&](PgConnection& conn) -> Status {
          ++attempts;
          // Read-modify-write in two statements: the pattern that loses updates without SERIALIZABLE.
          auto row = conn.query("SELECT value FROM state WHERE key = 'counter'");
          if (!row) return row.error();
          std::int64_t n = std::stoll(std::string(row->text(0, 0)));
          return conn.run("UPDATE state SET value = $1 WHERE key = 'counter'", Params().int64(n + 1));
        }, 100);
        if (!s.is_ok()) {
          ADD_FAILURE() << s.to_string();
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(store->get_state("counter")->value_or(""), std::to_string(kThreads * kIncrements));
  EXPECT_GE(attempts.load(), kThreads * kIncrements);
}

TEST_F(PostgresStoreTest, ASessionLockIsHeldByOneHolderAtATime) {
  constexpr std::int64_t kJobKey = 0x7062'7e57;
  auto held = SessionLock::try_acquire(url_, kJobKey);
  ASSERT_TRUE(held);
  ASSERT_TRUE(held->has_value());
  auto second = SessionLock::try_acquire(url_, kJobKey);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->has_value());
  held->reset();  // the holder stops (or dies): someone else takes over
  auto third = SessionLock::try_acquire(url_, kJobKey);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->has_value());
}

TEST_F(PostgresStoreTest, APoolConnectionKilledByTheServerIsReplaced) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->apply({.papers = {paper(1)}}));
  {
    auto admin = PgConnection::connect(url_);
    ASSERT_TRUE(admin);
    // Kill every other session on this database, as a server restart or an idle timeout would.
    ASSERT_TRUE((*admin)
                    ->run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                    .is_ok());
    for (int i = 0; i < 200; ++i) {  // termination is asynchronous
      auto left = (*admin)->query("SELECT COUNT(*) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()");
      ASSERT_TRUE(left);
      if (left->int64(0, 0) == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // The pooled connection is dead. The pool usually notices before handing it out; when the
  // socket has not closed yet, that one call fails with a clear error and the connection is dropped.
  auto first = store->get_paper("2403.00001");
  if (!first) {
    EXPECT_EQ(first.error().code(), StatusCode::kUnavailable) << first.error().to_string();
  }
  auto again = store->get_paper("2403.00001");
  ASSERT_TRUE(again) << again.error().to_string();
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->paper.title, "Paper 1");
}

TEST_F(PostgresStoreTest, ArrayParametersCarryAnyTextUnchanged) {
  auto conn = PgConnection::connect(url_);
  ASSERT_TRUE(conn);
  std::vector<std::string> elements = {"2403.01234", "hep-th/9901001", "a\"quote", "back\\slash", "comma,brace}{",
                                       "", "NULL", "'single'", "\xC3\xBCml\xC3\xA4ut"};
  auto rows = (*conn)->query("SELECT e FROM unnest($1::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n",
                             Params().text(array_literal(elements)));
  ASSERT_TRUE(rows) << rows.error().to_string();
  ASSERT_EQ(rows->rows(), static_cast<int>(elements.size()));
  for (int r = 0; r < rows->rows(); ++r) {
    EXPECT_FALSE(rows->is_null(r, 0));
    EXPECT_EQ(rows->text(r, 0), elements[static_cast<size_t>(r)]);
  }
}

TEST_F(PostgresStoreTest, ABatchMayHoldThePaperItUpdatesAndStaysAtomic) {
  auto store = open();
  ASSERT_TRUE(store);
  core::Paper v2 = paper(7);
  v2.versions.push_back({2, 1709337600});
  v2.title = "Second version";
  auto r = store->apply({.papers = {paper(7), v2, paper(7), paper(8)}});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->stale, 1);  // v1 again after v2 in the same batch
  EXPECT_EQ((*store->get_paper("2403.00007"))->paper.title, "Second version");
  // A failing paper rolls back the batch, including the papers before it.
  core::Paper clash = paper(9);
  auto conn = PgConnection::connect(url_);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->exec("ALTER TABLE papers ADD CONSTRAINT short_titles CHECK (length(title) < 20)").is_ok());
  clash.title = "A title that is much too long for the constraint";
  auto failed = store->apply({.papers = {paper(10), clash}});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message().find("2403.00009"), std::string::npos) << failed.error().message();
  EXPECT_FALSE(store->get_paper("2403.00010")->has_value());
  EXPECT_EQ(store->stats()->papers, 2);
}

TEST_F(PostgresStoreTest, UnreachableServerIsAClearError) {
  auto store = PostgresStore::open("postgresql://paperboy:secret@127.0.0.1:1/nothing?connect_timeout=2");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.error().message().find("127.0.0.1:1"), std::string::npos) << store.error().message();
  EXPECT_EQ(store.error().message().find("secret"), std::string::npos) << "password leaked";
}

}  // namespace
}  // namespace paperboy::store::postgres
