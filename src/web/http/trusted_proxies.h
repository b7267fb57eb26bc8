// TrustedProxies: the reverse proxies (addresses and CIDR blocks, IPv4 and IPv6) whose
// X-Forwarded-For and X-Forwarded-Proto headers the server believes. From any other peer those
// headers are ignored, so a client cannot choose the address rate limits key on.
// Immutable after parse(); thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paperboy::web {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // A comma- or space-separated list: "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8". "" trusts nobody.
  [[nodiscard]] static Result<TrustedProxies> parse(std::string_view list);

  [[nodiscard]] bool empty() const { return blocks_.empty(); }
  [[nodiscard]] bool contains(std::string_view address) const;
  // The client behind `peer`: when `peer` is trusted, the rightmost X-Forwarded-For hop that is
  // not itself a trusted proxy (the leftmost when all are); otherwise `peer` (RFC 7239 §7.4).
  [[nodiscard]] std::string client_address(const std::string& peer, std::string_view forwarded_for) const;

 private:
  struct Block {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
    int prefix_bits = 128;
  };
  std::vector<Block> blocks_;
};

}  // namespace paperboy::web
