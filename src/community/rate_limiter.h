// RateLimiter: at most `limit` events per key (an address, an email, an account) in a sliding
// window of `window_s` seconds, kept in memory (a restart forgets it, which is acceptable for
// login throttling). Used for login attempts. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace paperboy::community {

class RateLimiter {
 public:
  RateLimiter(int limit, std::int64_t window_s) : limit_(limit), window_s_(window_s) {}

  // Records an event for `key` at `now` and says whether it is within the limit. Refused events
  // are not recorded, so a client that waits gets through again.
  bool allow(const std::string& key, std::int64_t now);

 private:
  int limit_;
  std::int64_t window_s_;
  std::mutex mu_;  // guards events_
  std::unordered_map<std::string, std::deque<std::int64_t>> events_;
};

}  // namespace paperboy::community
