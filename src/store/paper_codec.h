// How the list-valued fields of a paper are stored in a single column (JSON text), shared by every
// Store implementation so their columns mean the same thing. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/paper.h"
#include "core/status.h"

namespace paperboy::store {

std::string encode_authors(const std::vector<core::Author>& authors);      // [["Hinton","Geoffrey",""]]
std::string encode_categories(const std::vector<std::string>& categories);  // ["cs.LG","stat.ML"]
std::string encode_versions(const std::vector<core::Version>& versions);    // [[1,1700000000]]

Status decode_authors(std::string_view json, std::vector<core::Author>& out);
Status decode_categories(std::string_view json, std::vector<std::string>& out);
Status decode_versions(std::string_view json, std::vector<core::Version>& out);

}  // namespace paperboy::store
