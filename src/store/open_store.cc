// open_store: picks the Store implementation from the URL scheme. The only file that knows every
// backend, so callers depend on store.h alone.
#include <filesystem>

#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/job_lease.h"
#include "store/library_store.h"
#include "store/mail_store.h"
#include "store/postgres/postgres_community_store.h"
#include "store/postgres/postgres_curation_store.h"
#include "store/postgres/postgres_job_lease.h"
#include "store/postgres/postgres_library_store.h"
#include "store/postgres/postgres_mail_store.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/postgres_table_access.h"
#include "store/sqlite/sqlite_community_store.h"
#include "store/sqlite/sqlite_curation_store.h"
#include "store/sqlite/sqlite_library_store.h"
#include "store/sqlite/sqlite_mail_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_table_access.h"
#include "store/store.h"
#include "store/table_copy.h"

namespace paperboy::store {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kUser: return "user";
    case Role::kCurator: return "curator";
    case Role::kAdmin: return "admin";
  }
  return "user";
}

Result<Role> parse_role(std::string_view name) {
  if (name == "user") return Role::kUser;
  if (name == "curator") return Role::kCurator;
  if (name == "admin") return Role::kAdmin;
  return fail(Status::invalid_argument("role: expected user, curator or admin, got '" + std::string(name) + "'"));
}

namespace {

// The SQLite file path named by a store URL, its folder created.
Result<std::string> sqlite_path(const StoreOptions& options) {
  std::string_view url = options.url;
  if (url.starts_with("sqlite:")) url.remove_prefix(7);
  if (url.empty()) return fail(Status::invalid_argument("empty database path"));
  std::filesystem::path path(url);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return fail(Status::io_error("cannot create " + path.parent_path().string() + ": " + ec.message()));
  return path.string();
}

// One process per SQLite file: nobody else can run the job.
class ProcessJobLease final : public JobLease {
 public:
  explicit ProcessJobLease(std::string job) : job_(std::move(job)) {}
  Result<bool> refresh() override { return true; }
  [[nodiscard]] bool is_held() const override { return true; }
  [[nodiscard]] const std::string& job() const override { return job_; }

 private:
  std::string job_;
};

}  // namespace

bool is_postgres_store_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  if (is_postgres_store_url(options.url)) {
    auto store = postgres::PostgresStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<Store>(std::move(*store));
  }
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

Result<std::unique_ptr<CommunityStore>> open_community_store(const StoreOptions& options) {
  if (is_postgres_store_url(options.url)) {
    auto store = postgres::PostgresCommunityStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<CommunityStore>(std::move(*store));
  }
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteCommunityStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<CommunityStore>(std::move(*store));
}

Result<std::unique_ptr<MailStore>> open_mail_store(const StoreOptions& options) {
  if (is_postgres_store_url(options.url)) {
    auto store = postgres::PostgresMailStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<MailStore>(std::move(*store));
  }
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteMailStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<MailStore>(std::move(*store));
}

Result<std::unique_ptr<TableAccess>> open_table_access(const StoreOptions& options) {
  if (is_postgres_store_url(options.url)) return postgres::open_table_access(options.url);
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  return sqlite::open_table_access(*path);
}

Result<std::unique_ptr<JobLease>> open_job_lease(const StoreOptions& options, std::string_view job) {
  std::int64_t key = 0;
  if (job == "harvest") {
    key = postgres::lock_keys::kHarvestJob;
  } else if (job == "digest") {
    key = postgres::lock_keys::kDigestJob;
  } else {
    return fail(Status::invalid_argument("unknown scheduled job '" + std::string(job) + "'"));
  }
  if (is_postgres_store_url(options.url)) {
    return std::unique_ptr<JobLease>(new postgres::PostgresJobLease(options.url, std::string(job), key));
  }
  return std::unique_ptr<JobLease>(new ProcessJobLease(std::string(job)));
}

Result<std::unique_ptr<CurationStore>> open_curation_store(const StoreOptions& options) {
  if (is_postgres_store_url(options.url)) {
    auto store = postgres::PostgresCurationStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<CurationStore>(std::move(*store));
  }
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteCurationStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<CurationStore>(std::move(*store));
}

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
  if (is_postgres_store_url(options.url)) {
    auto store = postgres::PostgresLibraryStore::open(options.url);
    if (!store) return fail(store.error());
    return std::unique_ptr<LibraryStore>(std::move(*store));
  }
  auto path = sqlite_path(options);
  if (!path) return fail(path.error());
  auto store = sqlite::SqliteLibraryStore::open(*path, options.cache_mib);
  if (!store) return fail(store.error());
  return std::unique_ptr<LibraryStore>(std::move(*store));
}

}  // namespace paperboy::store
