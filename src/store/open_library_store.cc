// open_library_store: picks the LibraryStore implementation from the store URL (as open_store.cc
// does for the Store), and the follow-kind names shared by every backend and the web layer.
#include <filesystem>

#include "store/library_store.h"
#include "store/postgres/postgres_library_store.h"
#include "store/sqlite/sqlite_library_store.h"

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

Result<std::unique_ptr<LibraryStore>> open_library_store(const StoreOptions& options) {
  std::string_view url = options.url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto store = postgres::PostgresLibraryStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<LibraryStore>(std::move(*store));
  }
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  if (url.empty()) return fail(Status::invalid_argument("empty database path"));
  std::filesystem::path path(url);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return fail(Status::io_error("cannot create " + path.parent_path().string() + ": " + ec.message()));
  auto store = sqlite::SqliteLibraryStore::open(path.string(), options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<LibraryStore>(std::move(*store));
}

}  // namespace paperboy::store
