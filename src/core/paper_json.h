// JSON form of a paper, as the CLI (`show --json`) and the JSON API print it. Field names are
// documented in the README and kept stable. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "core/paper.h"

namespace paperboy::core {

// {"id", "title", "authors": [{"name","keyname","forenames","suffix"}], "abstract", "categories",
//  "primary_category", "comments", "journal_ref", "doi", "report_no", "license", "versions":
//  [{"version": 1, "created": "2024-01-05T00:00:00Z"}], "published", "listing_day", "updated",
//  "abs_url", "pdf_url"}
[[nodiscard]] nlohmann::json paper_to_json(const Paper& paper);

}  // namespace paperboy::core
