// The arXiv category taxonomy (https://arxiv.org/category_taxonomy): each category code ("cs.LG")
// with its human name ("Machine Learning"), for chips and filters that readers can understand.
// Listing pages, paper pages and feeds use it. A static table; pure and thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace paperboy::core {

struct CategoryName {
  std::string_view code;  // "cs.LG", "hep-th", "cond-mat.str-el"
  std::string_view name;  // "Machine Learning", "High Energy Physics - Theory"
};

// Every category of the taxonomy, ordered by code.
[[nodiscard]] std::span<const CategoryName> arxiv_categories();
// The human name of a category code; empty when the code is not in the taxonomy.
[[nodiscard]] std::string_view category_name(std::string_view code);
// The name for display: the taxonomy's name, or the code itself when it is unknown (an old or
// new category should still show something).
[[nodiscard]] std::string category_label(std::string_view code);

}  // namespace paperboy::core
