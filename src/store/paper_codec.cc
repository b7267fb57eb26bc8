#include "store/paper_codec.h"

#include <nlohmann/json.hpp>

namespace paperboy::store {

using nlohmann::json;

// The encoders are hand-written: they run for every paper of a bulk ingest, where building an
// nlohmann DOM per field cost more than the SQLite insert itself. Decoding stays on nlohmann.
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

std::string encode_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

std::string encode_authors(const std::vector<core::Author>& authors) {
  std::string out;
  out.reserve(authors.size() * 32 + 2);
  out += '[';
  for (size_t i = 0; i < authors.size(); ++i) {
    if (i > 0) out += ',';
    out += '[';
    append_json_string(out, authors[i].keyname);
    out += ',';
    append_json_string(out, authors[i].forenames);
    out += ',';
    append_json_string(out, authors[i].suffix);
    out += ']';
  }
  out += ']';
  return out;
}

std::string encode_categories(const std::vector<std::string>& categories) {
  std::string out = "[";
  for (size_t i = 0; i < categories.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, categories[i]);
  }
  out += ']';
  return out;
}

std::string encode_versions(const std::vector<core::Version>& versions) {
  std::string out = "[";
  for (size_t i = 0; i < versions.size(); ++i) {
    if (i > 0) out += ',';
    out += '[';
    out += std::to_string(versions[i].number);
    out += ',';
    out += std::to_string(versions[i].created);
    out += ']';
  }
  out += ']';
  return out;
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
