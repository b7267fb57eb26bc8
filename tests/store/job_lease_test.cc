// JobLease on a real PostgreSQL (support/postgres_server.h): one holder among several instances,
// taken over when the holder lets go or its session dies; always held on SQLite.
#include "store/database.h"

#include <gtest/gtest.h>

#include "store/postgres/pg_db.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

bool refreshed(JobLease& lease) {
  auto held = lease.refresh();
  EXPECT_TRUE(held) << held.error().to_string();
  return held && *held;
}

TEST(JobLease, ExactlyOneInstanceHoldsAJobAndAnotherTakesOverWhenItGoes) {
  std::string url = testing::fresh_postgres_database();
  ASSERT_FALSE(url.empty());
  // Two instances: two handles on one database.
  auto first = open_database({.url = url});
  auto second = open_database({.url = url});
  ASSERT_TRUE(first && second);
  auto a = (*first)->job_lease("harvest");
  auto b = (*second)->job_lease("harvest");
  auto other_job = (*second)->job_lease("digest");
  ASSERT_TRUE(a && b && other_job);
  EXPECT_TRUE(refreshed(**a));
  EXPECT_FALSE(refreshed(**b));
  EXPECT_TRUE(refreshed(**a));  // still ours on the next tick
  EXPECT_FALSE((*b)->is_held());
  EXPECT_TRUE(refreshed(**other_job));  // jobs are independent
  // The holder shuts down: the next tick of the other instance takes the job.
  a->reset();
  EXPECT_TRUE(refreshed(**b));
}

TEST(JobLease, DeadHoldersSessionReleasesTheJob) {
  std::string url = testing::fresh_postgres_database();
  ASSERT_FALSE(url.empty());
  auto first = open_database({.url = url});
  auto second = open_database({.url = url});
  ASSERT_TRUE(first && second);
  auto a = (*first)->job_lease("digest");
  auto b = (*second)->job_lease("digest");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(refreshed(**a));
  ASSERT_FALSE(refreshed(**b));
  // As if the holder's process died: PostgreSQL ends its session (kill -9 closes the socket; here
  // the server terminates the backend holding the advisory lock).
  auto admin = postgres::PgConnection::connect(url);
  ASSERT_TRUE(admin);
  auto killed = (*admin)->query(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1::bigint",
      postgres::Params().int64(postgres::lock_keys::kDigestJob & 0xffffffff));
  ASSERT_TRUE(killed) << killed.error().to_string();
  ASSERT_EQ(killed->rows(), 1);
  for (int i = 0; i < 100 && !refreshed(**b); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE((*b)->is_held());
  // The old holder notices on its next tick that it lost the job, and does not get it back.
  auto again = (*a)->refresh();
  EXPECT_TRUE(!again || !*again);
  EXPECT_FALSE((*a)->is_held());
}

TEST(JobLease, SqliteProcessAlwaysHoldsAndUnknownJobsAreRefused) {
  testing::TempDir dir;
  auto db = open_database({.url = "sqlite:" + dir.file("p.db")});
  ASSERT_TRUE(db) << db.error().to_string();
  auto lease = (*db)->job_lease("harvest");
  ASSERT_TRUE(lease);
  EXPECT_TRUE(refreshed(**lease));
  auto unknown = (*db)->job_lease("reindex");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace paperboy::store
