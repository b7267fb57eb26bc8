// open_database: picks every part's implementation from the URL scheme. The only file that knows
// every backend, so callers depend on database.h and the part interfaces alone.
#include <filesystem>

#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/database.h"
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
#include "store/postgres/postgres_thumbnail_store.h"
#include "store/sqlite/sqlite_community_store.h"
#include "store/sqlite/sqlite_curation_store.h"
#include "store/sqlite/sqlite_library_store.h"
#include "store/sqlite/sqlite_mail_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_table_access.h"
#include "store/sqlite/sqlite_thumbnail_store.h"
#include "store/store.h"
#include "store/table_copy.h"

namespace paperboy::store {
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

// Opens one part: `Postgres::open(url)` or `Sqlite::open(path, cache)`, as the interface `Part`.
template <typename Part, typename Postgres, typename Sqlite>
Result<std::unique_ptr<Part>> open_part(const StoreOptions& options, const std::string& sqlite_file) {
  if (is_postgres_store_url(options.url)) {
    auto part = Postgres::open(options.url);
    if (!part) return fail(part.error());
    return std::unique_ptr<Part>(std::move(*part));
  }
  auto part = Sqlite::open(sqlite_file, options.cache_mib);
  if (!part) return fail(part.error());
  return std::unique_ptr<Part>(std::move(*part));
}

}  // namespace

bool is_postgres_store_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

Result<std::unique_ptr<Database>> open_database(const StoreOptions& options) {
  const bool postgres = is_postgres_store_url(options.url);
  std::string file;
  if (!postgres) {
    auto path = sqlite_path(options);
    if (!path) return fail(path.error());
    file = std::move(*path);
  }
  // The paper store first: its migrations create the tables the other parts refer to.
  Database::Parts parts;
  auto papers = open_part<Store, postgres::PostgresStore, sqlite::SqliteStore>(options, file);
  if (!papers) return fail(papers.error());
  parts.papers = std::move(*papers);
  auto community =
      open_part<CommunityStore, postgres::PostgresCommunityStore, sqlite::SqliteCommunityStore>(options, file);
  if (!community) return fail(community.error());
  parts.community = std::move(*community);
  auto library = open_part<LibraryStore, postgres::PostgresLibraryStore, sqlite::SqliteLibraryStore>(options, file);
  if (!library) return fail(library.error());
  parts.library = std::move(*library);
  auto curation = open_part<CurationStore, postgres::PostgresCurationStore, sqlite::SqliteCurationStore>(options, file);
  if (!curation) return fail(curation.error());
  parts.curation = std::move(*curation);
  auto mail = open_part<MailStore, postgres::PostgresMailStore, sqlite::SqliteMailStore>(options, file);
  if (!mail) return fail(mail.error());
  parts.mail = std::move(*mail);
  auto thumbnails =
      open_part<ThumbnailStore, postgres::PostgresThumbnailStore, sqlite::SqliteThumbnailStore>(options, file);
  if (!thumbnails) return fail(thumbnails.error());
  parts.thumbnails = std::move(*thumbnails);
  auto tables = postgres ? postgres::open_table_access(options.url) : sqlite::open_table_access(file);
  if (!tables) return fail(tables.error());
  parts.tables = std::move(*tables);
  StoreOptions resolved = options;
  if (!postgres) resolved.url = "sqlite:" + file;
  return std::make_unique<Database>(std::move(resolved), std::move(parts));
}

Result<std::unique_ptr<JobLease>> Database::job_lease(std::string_view job) const {
  std::int64_t key = 0;
  if (job == "harvest") {
    key = postgres::lock_keys::kHarvestJob;
  } else if (job == "digest") {
    key = postgres::lock_keys::kDigestJob;
  } else if (job == "thumbnails") {
    key = postgres::lock_keys::kThumbnailJob;
  } else {
    return fail(Status::invalid_argument("unknown scheduled job '" + std::string(job) + "'"));
  }
  if (is_postgres_store_url(options_.url)) {
    return std::unique_ptr<JobLease>(new postgres::PostgresJobLease(options_.url, std::string(job), key));
  }
  return std::unique_ptr<JobLease>(new ProcessJobLease(std::string(job)));
}

}  // namespace paperboy::store
