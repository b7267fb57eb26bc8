#include "web/fifo_gate.h"

#include <algorithm>
#include <thread>

namespace paperboy::web {

FifoGate::FifoGate(int limit)
    : limit_(limit > 0 ? limit : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()))), free_(limit_) {}

void FifoGate::acquire() {
  std::unique_lock lock(mu_);
  if (free_ > 0 && queue_.empty()) {
    --free_;
    return;
  }
  Waiter me;
  queue_.push_back(&me);
  me.cv.wait(lock, [&me] { return me.admitted; });
}

size_t FifoGate::waiting() {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void FifoGate::release() {
  std::lock_guard lock(mu_);
  if (queue_.empty()) {
    ++free_;
    return;
  }
  // The place passes straight to the oldest waiter; it never becomes free in between, so a
  // newcomer cannot overtake the queue.
  Waiter* next = queue_.front();
  queue_.pop_front();
  next->admitted = true;
  next->cv.notify_one();
}

}  // namespace paperboy::web
