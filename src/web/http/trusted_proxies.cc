#include "web/http/trusted_proxies.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>

#include "core/text.h"

namespace paperboy::web {
namespace {

using core::trim_blanks;

// An address as 16 bytes (IPv4 mapped into IPv6), and whether it was IPv4.
std::optional<std::pair<std::array<std::uint8_t, 16>, bool>> parse_address(std::string_view text) {
  text = trim_blanks(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return std::pair{out, true};
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return std::pair{out, false};
  }
  return std::nullopt;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies out;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t end = list.find_first_of(", ", pos);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = trim_blanks(list.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    std::string_view addr = item;
    std::optional<int> prefix;
    if (size_t slash = item.find('/'); slash != std::string_view::npos) {
      addr = item.substr(0, slash);
      std::string_view bits = item.substr(slash + 1);
      int n = -1;
      auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
      if (ec != std::errc() || p != bits.data() + bits.size() || n < 0) {
        return fail(
            Status::invalid_argument("server.trusted_proxies: bad prefix length in '" + std::string(item) + "'"));
      }
      prefix = n;
    }
    auto parsed = parse_address(addr);
    if (!parsed) {
      return fail(Status::invalid_argument("server.trusted_proxies: '" + std::string(item) +
                                           "' is not an IPv4 or IPv6 address or CIDR block"));
    }
    auto [bytes, is_v4] = *parsed;
    int max_bits = is_v4 ? 32 : 128;
    int bits = prefix.value_or(max_bits);
    if (bits > max_bits) {
      return fail(Status::invalid_argument("server.trusted_proxies: prefix too long in '" + std::string(item) + "'"));
    }
    out.blocks_.push_back(Block{bytes, is_v4 ? bits + 96 : bits});
  }
  return out;
}

bool TrustedProxies::contains(std::string_view address) const {
  if (blocks_.empty()) return false;
  auto parsed = parse_address(address);
  if (!parsed) return false;
  const auto& bytes = parsed->first;
  for (const Block& b : blocks_) {
    int bits = b.prefix_bits;
    bool match = true;
    for (int i = 0; i < 16 && bits > 0 && match; ++i, bits -= 8) {
      std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
      match = (bytes[i] & mask) == (b.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string TrustedProxies::client_address(const std::string& peer, std::string_view forwarded_for) const {
  if (forwarded_for.empty() || !contains(peer)) return peer;
  std::vector<std::string_view> hops;
  for (size_t pos = 0; pos <= forwarded_for.size();) {
    size_t comma = forwarded_for.find(',', pos);
    if (comma == std::string_view::npos) comma = forwarded_for.size();
    hops.push_back(trim_blanks(forwarded_for.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  std::string client = peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    // A hop that is not an address (garbage, "unknown") ends the chain: nothing left of it is
    // vouched for by a proxy we trust.
    if (!parse_address(*it)) break;
    client = std::string(*it);
    if (!contains(*it)) break;
  }
  return client;
}

}  // namespace paperboy::web
