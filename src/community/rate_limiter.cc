#include "community/rate_limiter.h"

namespace paperboy::community {

bool RateLimiter::allow(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  // Bounded memory: when many keys accumulate, drop those whose events all expired.
  if (events_.size() > 100000) {
    std::erase_if(events_, [&](const auto& kv) { return kv.second.empty() || kv.second.back() <= now - window_s_; });
  }
  auto& q = events_[key];
  while (!q.empty() && q.front() <= now - window_s_) q.pop_front();
  if (static_cast<int>(q.size()) >= limit_) return false;
  q.push_back(now);
  return true;
}

}  // namespace paperboy::community
