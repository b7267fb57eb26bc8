#include "store/library_store.h"

namespace paperboy::store {

std::string_view follow_kind_name(FollowKind kind) {
  switch (kind) {
    case FollowKind::kCategory: return "category";
    case FollowKind::kAuthor: return "author";
    case FollowKind::kSearch: return "search";
  }
  return "category";
}

Result<FollowKind> parse_follow_kind(std::string_view name) {
  if (name == "category") return FollowKind::kCategory;
  if (name == "author") return FollowKind::kAuthor;
  if (name == "search") return FollowKind::kSearch;
  return fail(Status::invalid_argument("kind: expected category, author or search, got '" + std::string(name) + "'"));
}
}  // namespace paperboy::store
