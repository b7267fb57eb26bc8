// RenderPool: jobs run on its workers, in arrival order, with their exceptions passed back.
#include "web/render_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace paperboy::web {
namespace {

TEST(RenderPool, RunsTheJobOnAWorkerAndWaitsForIt) {
  RenderPool pool(2);
  EXPECT_EQ(pool.threads(), 2);
  std::thread::id ran_on;
  int result = 0;
  pool.run([&] {
    ran_on = std::this_thread::get_id();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    result = 42;
  });
  EXPECT_EQ(result, 42);  // run() returned only after the job finished
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(RenderPool, PassesExceptionsBackToTheCaller) {
  RenderPool pool(1);
  EXPECT_THROW(pool.run([] { throw std::runtime_error("template missing"); }), std::runtime_error);
  int after = 0;
  pool.run([&] { after = 1; });  // the worker survived
  EXPECT_EQ(after, 1);
}

TEST(RenderPool, QueuedJobsRunInArrivalOrder) {
  RenderPool pool(1);
  std::latch blocker_started(1);
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    pool.run([&] {
      blocker_started.count_down();
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  });
  blocker_started.wait();
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&, i] {
      pool.run([&, i] {
        std::lock_guard lock(mu);
        order.push_back(i);
      });
    });
    while (pool.queued() < static_cast<size_t>(i) + 1) {  // caller i is queued before i+1 starts
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  release = true;
  for (auto& c : callers) c.join();
  blocker.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(RenderPool, SeveralWorkersRunJobsAtOnce) {
  RenderPool pool(3);
  std::atomic<int> inside{0};
  std::atomic<int> met{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) {
    // Each job waits (up to a deadline, so a pool that runs one at a time fails instead of hanging)
    // until all three are inside at once.
    callers.emplace_back([&] {
      pool.run([&] {
        inside.fetch_add(1);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (inside.load() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        if (inside.load() == 3) met.fetch_add(1);
      });
    });
  }
  for (auto& c : callers) c.join();
  EXPECT_EQ(met.load(), 3) << "the three jobs never ran at the same time";
}

}  // namespace
}  // namespace paperboy::web
