// Test support for posting the site's forms like a browser: cookie values from Set-Cookie headers
// and the CSRF token a page embeds (hidden field `csrf` or the `csrf-token` meta tag).
#pragma once

#include <httplib.h>

#include <regex>
#include <string>

namespace paperboy::testing {

// The value of cookie `name` set by a response ("" when it sets none).
inline std::string set_cookie(const httplib::Result& r, const std::string& name) {
  for (size_t i = 0; i < r->get_header_value_count("Set-Cookie"); ++i) {
    std::string c = r->get_header_value("Set-Cookie", i);
    if (c.starts_with(name + "=")) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
  }
  return "";
}

// The CSRF token in a page ("" when it has none).
inline std::string csrf_from(const std::string& html) {
  std::smatch m;
  if (std::regex_search(html, m, std::regex(R"re(name="csrf" value="([^"]+)")re"))) return m[1];
  if (std::regex_search(html, m, std::regex(R"re(name="csrf-token" content="([^"]+)")re"))) return m[1];
  return "";
}

}  // namespace paperboy::testing
