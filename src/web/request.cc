#include "web/request.h"

#include <algorithm>
#include <cctype>

namespace paperboy::web {
namespace {

template <typename Map>
std::string nth_value(const Map& map, const std::string& key, size_t index) {
  auto [begin, end] = map.equal_range(key);
  for (auto it = begin; it != end; ++it, --index) {
    if (index == 0) return it->second;
  }
  return "";
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) < std::tolower(y);
  });
}

bool Request::has_header(const std::string& name) const { return headers.contains(name); }

std::string Request::get_header_value(const std::string& name, size_t index) const {
  return nth_value(headers, name, index);
}

bool Request::has_param(const std::string& name) const { return params.contains(name); }

std::string Request::get_param_value(const std::string& name, size_t index) const {
  return nth_value(params, name, index);
}

size_t Request::get_param_value_count(const std::string& name) const { return params.count(name); }

}  // namespace paperboy::web
