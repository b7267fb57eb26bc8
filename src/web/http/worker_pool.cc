#include "web/http/worker_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace paperboy::web {

WorkerPool::WorkerPool(int threads, size_t max_queued) : max_queued_(std::max<size_t>(1, max_queued)) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

bool WorkerPool::try_post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queued_ || stopping_) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::work() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    // Jobs catch their own exceptions (they owe a reply); this is the thread's last guard.
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("worker: uncaught exception: {}", e.what());
    } catch (...) {
      spdlog::error("worker: uncaught exception");
    }
  }
}

}  // namespace paperboy::web
