// open_store: picks the Store implementation from the URL scheme. The only file that knows every
// backend, so callers depend on store.h alone.
#include <filesystem>

#include "store/mail_store.h"
#include "store/sqlite/sqlite_mail_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace paperboy::store {

namespace {

// The SQLite file named by a store URL, its folder created; an error for other schemes.
Result<std::string> sqlite_path(const StoreOptions& options) {
  std::string_view url = options.url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return fail(Status::invalid_argument("PostgreSQL support is not built into this paperboy yet"));
  }
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  if (url.empty()) return fail(Status::invalid_argument("empty database path"));
  std::filesystem::path path(url);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return fail(Status::io_error("cannot create " + path.parent_path().string() + ": " + ec.message()));
  return path.string();
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

Result<std::unique_ptr<MailStore>> open_mail_store(const StoreOptions& options) {
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteMailStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<MailStore>(std::move(*store));
}

}  // namespace paperboy::store
