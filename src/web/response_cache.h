// ResponseCache: rendered responses keyed by request target, valid while the store's change
// sequence (the "generation") is unchanged and for at most a TTL (search indexes may lag the
// store). Lets the listing and paper pages be served from memory. When full it is cleared
// (simple and enough: a refill costs one render per page). Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "web/compression.h"

namespace paperboy::web {

struct CachedResponse {
  int status = 200;
  std::string body;
  std::string content_type;
  std::string etag;  // quoted, strong: "\"1a2b...\""
  std::string cache_control;
  std::string disposition;         // Content-Disposition or ""
  std::string location;            // Location or ""
  std::int64_t retry_after_s = 0;  // Retry-After when > 0
  std::vector<std::string> set_cookies;
  bool varies_by_cookie = false;  // sent with Vary: Accept-Encoding, Cookie
  std::int64_t last_modified = 0;
  std::int64_t generation = 0;
  std::int64_t stored_at = 0;
  // gzip/Brotli forms of `body`, made on first request for them.
  mutable CompressedVariants variants;
};

class ResponseCache {
 public:
  ResponseCache(size_t max_entries, std::int64_t ttl_s) : max_entries_(max_entries), ttl_s_(ttl_s) {}

  [[nodiscard]] std::shared_ptr<const CachedResponse> get(const std::string& key, std::int64_t generation,
                                                          std::int64_t now) const;
  void put(const std::string& key, std::shared_ptr<const CachedResponse> response);

 private:
  size_t max_entries_;
  std::int64_t ttl_s_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const CachedResponse>> entries_;
};

}  // namespace paperboy::web
