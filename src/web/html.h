// HTML rendering helpers for the web layer: escaping (everything user- or paper-controlled goes
// through escape_html) and the plain newest-papers page. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace paperboy::web {

[[nodiscard]] std::string escape_html(std::string_view text);
[[nodiscard]] std::string render_newest_page(const std::vector<store::StoredPaper>& papers);

}  // namespace paperboy::web
