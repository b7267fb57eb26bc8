#include "web/response_cache.h"

#include <mutex>

namespace paperboy::web {

std::shared_ptr<const CachedResponse> ResponseCache::get(const std::string& key, std::int64_t generation,
                                                         std::int64_t now) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  const auto& r = it->second;
  if (r->generation != generation || now - r->stored_at >= ttl_s_) return nullptr;
  return r;
}

void ResponseCache::put(const std::string& key, std::shared_ptr<const CachedResponse> response) {
  std::unique_lock lock(mu_);
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) entries_.clear();
  entries_[key] = std::move(response);
}

}  // namespace paperboy::web
