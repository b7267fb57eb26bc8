// open_store: picks the Store implementation from the URL scheme. The only file that knows every
// backend, so callers depend on store.h alone.
#include <filesystem>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace paperboy::store {

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  std::string_view url = options.url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto store = postgres::PostgresStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<Store>(std::move(*store));
  }
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  if (url.empty()) return fail(Status::invalid_argument("empty database path"));
  std::filesystem::path path(url);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return fail(Status::io_error("cannot create " + path.parent_path().string() + ": " + ec.message()));
  auto store = sqlite::SqliteStore::open(path.string(), options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace paperboy::store
