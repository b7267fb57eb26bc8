// The request layer between the transport and the routes: turns what the transport read (method,
// target, header fields, body, peer address) into the web::Request routes see: the percent-decoded
// path, query and form parameters, and the real client behind a trusted proxy. Every decoded
// string a route can read is checked here, once, before any route runs: invalid UTF-8 or a NUL
// byte is a 400 with a clear message (issue 13 row 10). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "web/http/trusted_proxies.h"
#include "web/request.h"

namespace paperboy::web {

// One request as the transport read it, before decoding.
struct RawRequest {
  std::string method;
  std::string target;  // request-target as sent
  Headers headers;
  std::string body;
  std::string peer_addr;  // the TCP peer
};

// The Request routes see, or invalid_argument (answered 400) naming what is wrong.
[[nodiscard]] Result<Request> decode_request(RawRequest raw, const TrustedProxies& proxies);

// %XX sequences decoded (a malformed one is kept as written); `plus_is_space` for query and
// form encoding (application/x-www-form-urlencoded), not for paths.
[[nodiscard]] std::string percent_decode(std::string_view text, bool plus_is_space);
// "a=1&b=2" into `out`, keys and values decoded.
void parse_urlencoded(std::string_view text, Params& out);

}  // namespace paperboy::web
