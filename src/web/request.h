// Request: one parsed HTTP request as routes see it, independent of the transport that read it.
// The transport fills it (method, target, path, query and form parameters, headers, body, client
// address, route captures); routes only read it. A value type: no locking needed.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace paperboy::web {

// Header names compare case-insensitively (RFC 9110 §5.1).
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using Params = std::multimap<std::string, std::string>;

struct Request {
  std::string method;       // "GET", "POST", ...
  std::string target;       // as sent: path and query, still percent-encoded
  std::string path;         // percent-decoded path, without the query
  std::string body;         // the request body, already bounded by the server's limits
  std::string remote_addr;  // the client: the peer, or X-Forwarded-For's from a trusted proxy
  bool is_https = false;    // the client's request came over TLS (X-Forwarded-Proto from a trusted proxy)
  Headers headers;
  Params params;                     // query parameters, then form fields (percent-decoded)
  std::vector<std::string> matches;  // the route pattern's whole match, then its capture groups

  [[nodiscard]] bool has_header(const std::string& name) const;
  // The `index`th value of header `name`; "" when absent.
  [[nodiscard]] std::string get_header_value(const std::string& name, size_t index = 0) const;
  [[nodiscard]] bool has_param(const std::string& name) const;
  // The `index`th value of parameter `name`; "" when absent.
  [[nodiscard]] std::string get_param_value(const std::string& name, size_t index = 0) const;
  [[nodiscard]] size_t get_param_value_count(const std::string& name) const;
};

}  // namespace paperboy::web
