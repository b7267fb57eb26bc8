// FifoGate: never more than `limit` inside, and waiters admitted in arrival order.
#include "web/fifo_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace paperboy::web {
namespace {

void wait_for_queue(FifoGate& gate, size_t n) {
  while (gate.waiting() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(FifoGate, AdmitsWaitersInArrivalOrder) {
  FifoGate gate(1);
  gate.acquire();
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      FifoGate::Slot slot(gate);
      std::lock_guard lock(mu);
      order.push_back(i);
    });
    wait_for_queue(gate, static_cast<size_t>(i) + 1);  // thread i is queued before i+1 starts
  }
  gate.release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(gate.waiting(), 0U);
}

TEST(FifoGate, NeverLetsMoreThanTheLimitIn) {
  FifoGate gate(3);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        FifoGate::Slot slot(gate);
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
}

// It does let `limit` in at once (and the next one waits): three slots taken by three threads, a
// fourth thread queues, and gets in once one leaves. No timing: each step waits for its signal.
TEST(FifoGate, LetsExactlyTheLimitInAtOnce) {
  FifoGate gate(3);
  for (int i = 0; i < 3; ++i) gate.acquire();  // three at once on one thread: none of them waits
  EXPECT_EQ(gate.waiting(), 0U);
  std::atomic<bool> fourth_in{false};
  std::thread fourth([&] {
    FifoGate::Slot slot(gate);
    fourth_in = true;
  });
  wait_for_queue(gate, 1);  // the fourth waits: the gate is full
  EXPECT_FALSE(fourth_in.load());
  gate.release();  // one of the three leaves: the fourth gets in
  fourth.join();
  EXPECT_TRUE(fourth_in.load());
  gate.release();
  gate.release();
}

TEST(FifoGate, NewcomersDoNotOvertakeTheQueue) {
  FifoGate gate(1);
  gate.acquire();
  std::atomic<bool> first_in{false};
  std::thread waiter([&] {
    FifoGate::Slot slot(gate);
    first_in = true;
  });
  wait_for_queue(gate, 1);
  gate.release();  // the place passes to the waiter, never becoming free in between
  FifoGate::Slot mine(gate);
  EXPECT_TRUE(first_in.load());
  waiter.join();
}

}  // namespace
}  // namespace paperboy::web
