// FifoGate: at most `limit` holders at once; the others wait asleep and are let in strictly in
// arrival order. std::counting_semaphore makes no ordering promise, and under a burst of 64
// waiting requests some waited behind dozens of later arrivals (the search page's p99 was 4x
// its median). First-come first-served bounds every wait by the queue ahead of it. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace paperboy::web {

class FifoGate {
 public:
  // `limit` 0: std::thread::hardware_concurrency().
  explicit FifoGate(int limit = 0);

  void acquire();
  void release();
  [[nodiscard]] int limit() const { return limit_; }
  // How many are queued now (for tests and metrics).
  [[nodiscard]] size_t waiting();

  // Holds one place for its lifetime.
  class Slot {
   public:
    explicit Slot(FifoGate& gate) : gate_(gate) { gate_.acquire(); }
    ~Slot() { gate_.release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    FifoGate& gate_;
  };

 private:
  struct Waiter {
    std::condition_variable cv;
    bool admitted = false;
  };
  int limit_;
  std::mutex mu_;
  int free_;
  std::deque<Waiter*> queue_;
};

}  // namespace paperboy::web
