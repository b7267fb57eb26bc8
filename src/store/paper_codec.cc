#include "store/paper_codec.h"

#include <nlohmann/json.hpp>

namespace paperboy::store {

using nlohmann::json;

std::string encode_authors(const std::vector<core::Author>& authors) {
  json j = json::array();
  for (const auto& a : authors) j.push_back(json::array({a.keyname, a.forenames, a.suffix}));
  return j.dump();
}

std::string encode_categories(const std::vector<std::string>& categories) { return json(categories).dump(); }

std::string encode_versions(const std::vector<core::Version>& versions) {
  json j = json::array();
  for (const auto& v : versions) j.push_back(json::array({v.number, v.created}));
  return j.dump();
}

namespace {
template <typename Fn>
Status decode(std::string_view text, std::string_view what, Fn&& fn) {
  try {
    json j = json::parse(text);
    if (!j.is_array()) return Status::internal("stored " + std::string(what) + " is not a JSON array");
    fn(j);
    return Status::ok();
  } catch (const json::exception& e) {
    return Status::internal("stored " + std::string(what) + " is corrupt: " + e.what());
  }
}
}  // namespace

Status decode_authors(std::string_view text, std::vector<core::Author>& out) {
  return decode(text, "authors", [&](const json& j) {
    out.clear();
    out.reserve(j.size());
    for (const auto& a : j) out.push_back({a.at(0).get<std::string>(), a.at(1).get<std::string>(), a.at(2).get<std::string>()});
  });
}

Status decode_categories(std::string_view text, std::vector<std::string>& out) {
  return decode(text, "categories", [&](const json& j) { out = j.get<std::vector<std::string>>(); });
}

Status decode_versions(std::string_view text, std::vector<core::Version>& out) {
  return decode(text, "versions", [&](const json& j) {
    out.clear();
    out.reserve(j.size());
    for (const auto& v : j) out.push_back({v.at(0).get<int>(), v.at(1).get<std::int64_t>()});
  });
}

}  // namespace paperboy::store
