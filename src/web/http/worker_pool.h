// WorkerPool: the threads requests run their handlers on, with a bounded queue. The io threads
// only parse and write; a request that needs a handler is posted here, and when the queue is full
// the server answers 503 at once instead of piling up work it cannot do in time.
// Thread-safe; the destructor runs what is queued, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace paperboy::web {

class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false (and `job` dropped) when max_queued jobs already wait. `job` must not throw.
  [[nodiscard]] bool try_post(std::function<void()> job);

 private:
  void work();

  size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace paperboy::web
