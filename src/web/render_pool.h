// RenderPool: pages that are not in the response cache are rendered on a few dedicated worker
// threads, first come first served, while the request workers (web/http/worker_pool.h)
// wait for the result. Why: with renders on the connection threads, a burst of uncached searches
// (1-2 ms of CPU each) had up to 64 threads time-slicing two cores, and every connection, cached
// pages too, waited behind them. Measured with 64 connections over 998 rotating queries while the
// first pass fills the cache: renders on the connection threads, admitted by a FIFO gate, p99
// 84-109 ms; on this pool 66-67 ms (a few hot threads also keep their allocator caches and
// compiled templates warm). Giving the workers a lower CPU priority made it worse: the cached
// traffic then starved the renders (nice 3: p99 73 ms; nice 10: 517 ms).
// Thread-safe; the destructor finishes queued work, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace paperboy::web {

class RenderPool {
 public:
  // `threads` 0: two per core (the second hides waits on the database).
  explicit RenderPool(int threads = 0);
  ~RenderPool();
  RenderPool(const RenderPool&) = delete;
  RenderPool& operator=(const RenderPool&) = delete;

  // Runs `job` on a worker and waits for it; rethrows what it throws.
  void run(const std::function<void()>& job);
  [[nodiscard]] int threads() const { return static_cast<int>(workers_.size()); }
  // Jobs waiting for a worker now (for tests and metrics).
  [[nodiscard]] size_t queued();

 private:
  struct Item {
    const std::function<void()>* job;
    std::promise<void> done;
  };
  void work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace paperboy::web
