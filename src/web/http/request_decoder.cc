#include "web/http/request_decoder.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace paperboy::web {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Text a route may read: valid UTF-8 without NUL bytes (which C APIs and SQLite would cut at).
bool is_clean_text(std::string_view s) {
  return s.find('\0') == std::string_view::npos && core::is_valid_utf8(s);
}

bool is_token_char(unsigned char c) {  // RFC 9110 §5.6.2 tchar
  return std::isalnum(c) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += plus_is_space && c == '+' ? ' ' : c;
  }
  return out;
}

void parse_urlencoded(std::string_view text, Params& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    out.emplace(percent_decode(key, true), percent_decode(value, true));
  }
}

Result<Request> decode_request(RawRequest raw, const TrustedProxies& proxies) {
  Request req;
  if (raw.method.empty() || raw.method.size() > 32 || !std::all_of(raw.method.begin(), raw.method.end(), [](char c) {
        return is_token_char(static_cast<unsigned char>(c));
      })) {
    return fail(Status::invalid_argument("malformed request method"));
  }
  // Origin-form only (RFC 9112 §3.2.1): no absolute URLs (this is not a forward proxy), no "*".
  if (!raw.target.starts_with('/')) return fail(Status::invalid_argument("the request target must start with '/'"));
  size_t q = raw.target.find('?');
  std::string_view raw_path = std::string_view(raw.target).substr(0, q);
  if (raw_path.find('#') != std::string_view::npos) return fail(Status::invalid_argument("fragment in request target"));
  req.path = percent_decode(raw_path, false);
  if (!is_clean_text(req.path)) {
    return fail(Status::invalid_argument("the request path is not valid UTF-8 (or contains a NUL byte)"));
  }
  if (q != std::string::npos) parse_urlencoded(std::string_view(raw.target).substr(q + 1), req.params);
  for (const auto& [name, value] : raw.headers) {
    if (!is_clean_text(value)) {
      return fail(Status::invalid_argument("header " + name + " is not valid UTF-8 (or contains a NUL byte)"));
    }
  }
  auto content_type = raw.headers.find("Content-Type");
  if (content_type != raw.headers.end() &&
      core::to_lower_ascii(content_type->second).starts_with("application/x-www-form-urlencoded")) {
    parse_urlencoded(raw.body, req.params);
  }
  for (const auto& [key, value] : req.params) {
    if (!is_clean_text(key) || !is_clean_text(value)) {
      // The name may be the broken part: say which parameter only when it is printable.
      std::string name = is_clean_text(key) && key.size() <= 64 ? " '" + key + "'" : "";
      return fail(Status::invalid_argument("parameter" + name + " is not valid UTF-8 (or contains a NUL byte)"));
    }
  }
  auto forwarded_for = raw.headers.find("X-Forwarded-For");
  std::string_view xff = forwarded_for == raw.headers.end() ? std::string_view() : forwarded_for->second;
  req.remote_addr = proxies.client_address(raw.peer_addr, xff);
  if (proxies.contains(raw.peer_addr)) {
    auto proto = raw.headers.find("X-Forwarded-Proto");
    req.is_https = proto != raw.headers.end() && core::to_lower_ascii(proto->second) == "https";
  }
  req.method = std::move(raw.method);
  req.target = std::move(raw.target);
  req.headers = std::move(raw.headers);
  req.body = std::move(raw.body);
  return req;
}

}  // namespace paperboy::web
