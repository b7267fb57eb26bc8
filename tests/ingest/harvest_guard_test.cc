// A background job that throws (a bug) must not end the process: the harvest scheduler turns the
// exception into a failed run it logs and reports on /healthz, and its thread keeps scheduling.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "ingest/harvest_schedule.h"

namespace paperboy::ingest {
namespace {

// Waits (bounded) until the scheduler has finished `runs` runs.
HarvestRunStatus wait_for_runs(const HarvestScheduler& s, std::int64_t runs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  HarvestRunStatus st = s.status();
  while ((st.runs < runs || st.is_running || st.last_finished == 0) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    st = s.status();
  }
  return st;
}

TEST(HarvestSchedulerGuard, AThrowingRunIsAFailedRunAndTheSchedulerCarriesOn) {
  std::atomic<int> calls{0};
  HarvestScheduler scheduler(
      [&](const std::atomic<bool>&) -> Result<HarvestSummary> {
        if (calls.fetch_add(1) == 0) throw std::runtime_error("boom in the harvest");
        HarvestSummary s;
        s.records = 3;
        return s;
      },
      /*minute_of_day=*/0);
  scheduler.start();
  ASSERT_TRUE(scheduler.trigger());
  HarvestRunStatus first = wait_for_runs(scheduler, 1);
  EXPECT_EQ(first.runs, 1);
  EXPECT_FALSE(first.last_ok);
  EXPECT_NE(first.last_error.find("unexpected exception: boom in the harvest"), std::string::npos) << first.last_error;
  EXPECT_EQ(scheduler.status_json().dump().find("boom") != std::string::npos, true);
  // The same thread runs the next harvest.
  bool triggered = false;
  for (int i = 0; i < 2000 && !(triggered = scheduler.trigger()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(triggered);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  HarvestRunStatus second = scheduler.status();
  while (!(second.runs == 2 && second.last_ok) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    second = scheduler.status();
  }
  EXPECT_EQ(second.runs, 2);
  EXPECT_TRUE(second.last_ok) << second.last_error;
  EXPECT_EQ(second.last_records, 3);
  scheduler.stop();
}

}  // namespace
}  // namespace paperboy::ingest
