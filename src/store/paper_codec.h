// How the list-valued fields of a paper are stored in a single column (JSON text), shared by every
// Store implementation so their columns mean the same thing. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/paper.h"
#include "core/status.h"

namespace paperboy::store {

// A JSON string literal ("O'Neil \"Q\""), exactly as the encoders below write each string, so
// queries can match text inside the stored columns.
std::string encode_json_string(std::string_view text);

std::string encode_authors(const std::vector<core::Author>& authors);      // [["Hinton","Geoffrey",""]]
std::string encode_categories(const std::vector<std::string>& categories);  // ["cs.LG","stat.ML"]
std::string encode_versions(const std::vector<core::Version>& versions);    // [[1,1700000000]]

Status decode_authors(std::string_view json, std::vector<core::Author>& out);
Status decode_categories(std::string_view json, std::vector<std::string>& out);
Status decode_versions(std::string_view json, std::vector<core::Version>& out);

}  // namespace paperboy::store
