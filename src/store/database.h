// Database: the one handle on Paperboy's database, SQLite or PostgreSQL, and the only way to open
// it (LevelDB's DB::Open shape): `open_database(options)` picks the backend from the URL, creates
// and migrates every table, and returns the handle whose parts every command, service and test
// uses: papers() (the paper store), community() (accounts, sessions, votes), library()
// (collections, follows, comments), curation() (featured and submitted papers), mail() (the
// outbox and subscriptions), thumbnails() (first-page thumbnails) and tables() (raw rows, for
// backups and migration). job_lease()
// hands out the lease for a scheduled job. Thread safety: the handle never changes after opening;
// each part keeps the contract its header states (every store is safe to call from any thread).
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/job_lease.h"
#include "store/library_store.h"
#include "store/mail_store.h"
#include "store/store.h"
#include "store/table_copy.h"
#include "store/thumbnail_store.h"

namespace paperboy::store {

class Database {
 public:
  struct Parts {
    std::unique_ptr<Store> papers;
    std::unique_ptr<CommunityStore> community;
    std::unique_ptr<LibraryStore> library;
    std::unique_ptr<CurationStore> curation;
    std::unique_ptr<MailStore> mail;
    std::unique_ptr<TableAccess> tables;
    std::unique_ptr<ThumbnailStore> thumbnails;
  };
  Database(StoreOptions options, Parts parts) : options_(std::move(options)), parts_(std::move(parts)) {}
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[nodiscard]] Store& papers() const { return *parts_.papers; }
  [[nodiscard]] CommunityStore& community() const { return *parts_.community; }
  [[nodiscard]] LibraryStore& library() const { return *parts_.library; }
  [[nodiscard]] CurationStore& curation() const { return *parts_.curation; }
  [[nodiscard]] MailStore& mail() const { return *parts_.mail; }
  [[nodiscard]] TableAccess& tables() const { return *parts_.tables; }
  [[nodiscard]] ThumbnailStore& thumbnails() const { return *parts_.thumbnails; }
  // The lease for `job` ("harvest", "digest" or "thumbnails"): on PostgreSQL an advisory lock on a connection of
  // its own, on SQLite (one process per file) always held.
  [[nodiscard]] Result<std::unique_ptr<JobLease>> job_lease(std::string_view job) const;
  [[nodiscard]] const StoreOptions& options() const { return options_; }

 private:
  StoreOptions options_;
  Parts parts_;
};

// Opens (creating and migrating as needed) the database named by options.url: "sqlite:PATH", a
// plain path, or "postgresql://..." / "postgres://...". The folder of a SQLite file is created.
[[nodiscard]] Result<std::unique_ptr<Database>> open_database(const StoreOptions& options);

}  // namespace paperboy::store
