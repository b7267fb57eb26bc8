#include "web/render_pool.h"

#include <algorithm>

namespace paperboy::web {

RenderPool::RenderPool(int threads) {
  int n = threads > 0 ? threads : 2 * static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  workers_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

RenderPool::~RenderPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void RenderPool::run(const std::function<void()>& job) {
  Item item{&job, {}};
  auto done = item.done.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(&item);
  }
  cv_.notify_one();
  done.get();
}

size_t RenderPool::queued() {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void RenderPool::work() {
  for (;;) {
    Item* item = nullptr;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      item = queue_.front();
      queue_.pop_front();
    }
    try {
      (*item->job)();
      item->done.set_value();
    } catch (...) {
      item->done.set_exception(std::current_exception());
    }
  }
}

}  // namespace paperboy::web
