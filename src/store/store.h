// Store: the one interface through which every part of Paperboy reads and writes persistent
// state. Implementations: SQLite (store/sqlite, the default) and PostgreSQL (store/postgres). Callers never
// see which one they have. Implementations are thread-safe: any number of concurrent readers,
// writes serialised inside the store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/paper.h"
#include "core/status.h"

namespace paperboy::store {

// What an upsert did to one paper.
enum class UpsertOutcome {
  kInserted,   // a paper we did not have
  kUpdated,    // a newer version or newer metadata; the change sequence moved
  kUnchanged,  // identical to what we have
  kStale,      // older than what we have; nothing overwritten
};

// A paper as stored: the record plus the store's bookkeeping.
struct StoredPaper {
  std::int64_t doc_id = 0;      // dense integer id, stable for the paper's lifetime (index labels)
  std::int64_t change_seq = 0;  // the change sequence value of the paper's last change
  core::Paper paper;
};

// One atomic write: papers to upsert and state entries to set, committed together or not at all.
// Ingest puts its resume checkpoint here so a crash never separates data from checkpoint.
struct WriteBatch {
  std::vector<core::Paper> papers;
  std::vector<std::pair<std::string, std::string>> state;  // key -> value
};

struct BatchResult {
  std::vector<UpsertOutcome> outcomes;  // one per paper, in order
  std::int64_t inserted = 0, updated = 0, unchanged = 0, stale = 0;
};

// A page of a listing: papers whose listing day lies in [from_day, to_day], optionally only those
// carrying one of `categories` (any position), newest first, leaving out `exclude_ids`.
struct ListingQuery {
  std::string from_day;  // "YYYY-MM-DD", inclusive; empty = unbounded
  std::string to_day;    // inclusive; empty = unbounded
  std::vector<std::string> categories;
  int limit = 50;
  int offset = 0;
  // Papers to leave out (canonical ids): those curators hid, and those a listing shows elsewhere
  // on the page (featured, submitted). count_papers counts them out too, so pages stay exact.
  std::vector<std::string> exclude_ids;
};

struct NamedCount {
  std::string name;
  std::int64_t count = 0;
};

struct StoreStats {
  std::int64_t papers = 0;
  std::int64_t max_change_seq = 0;
  int schema_version = 0;
  std::vector<NamedCount> by_primary_category;  // largest first
  std::vector<NamedCount> by_month;             // "YYYY-MM" of the listing day, ascending
  std::string newest_listing_day;
  std::string oldest_listing_day;
};

// A store's database connections (/metrics): open ones, those lent out now, and the most the pool
// opens (0: no limit).
struct PoolUse {
  int open = 0;
  int in_use = 0;
  int max = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Its connection pool's use now.
  virtual PoolUse pool_use() = 0;

  // Upserts by arXiv id under the version rules: a newer version replaces metadata and extends the
  // version history; equal content changes nothing; an older record never overwrites a newer one
  // (it may only add versions we did not know). Every change takes the next value of the store's
  // monotonic change sequence. Papers must pass core::validate_paper.
  virtual Result<BatchResult> apply(const WriteBatch& batch) = 0;

  virtual Result<std::optional<StoredPaper>> get_paper(std::string_view id) = 0;
  // The paper whose DOI field is `doi`, compared without regard to ASCII case (DOI names are
  // case-insensitive: DOI Handbook §2.4); the oldest such paper when several carry it, nullopt
  // when none does. Served by an index on the lower-cased DOI.
  virtual Result<std::optional<StoredPaper>> get_paper_by_doi(std::string_view doi) = 0;
  // Papers by doc id, in the order asked; ids that do not exist are skipped.
  virtual Result<std::vector<StoredPaper>> get_papers_by_doc_id(std::span<const std::int64_t> doc_ids) = 0;

  // Papers whose change_seq > after_seq, ascending by change_seq, at most `limit`. Derived indexes
  // follow the store with this (after_seq = 0 is a full scan).
  virtual Result<std::vector<StoredPaper>> papers_changed_since(std::int64_t after_seq, int limit) = 0;
  virtual Result<std::int64_t> max_change_seq() = 0;

  virtual Result<std::vector<StoredPaper>> list_papers(const ListingQuery& query) = 0;
  virtual Result<std::int64_t> count_papers(const ListingQuery& query) = 0;
  // The newest listing day that has papers ("" when the store is empty).
  virtual Result<std::string> newest_listing_day() = 0;
  // The nearest listing days before and after `day` that have papers ("" where there is none).
  // For previous/next navigation on daily listings.
  virtual Result<std::pair<std::string, std::string>> neighbour_listing_days(std::string_view day) = 0;
  // Papers listing an author with this keyname (and these forenames when not empty), newest first.
  virtual Result<std::vector<StoredPaper>> list_papers_by_author(std::string_view keyname, std::string_view forenames,
                                                                 int limit, int offset) = 0;

  virtual Result<StoreStats> stats() = 0;

  // Small durable key-value state: ingest checkpoints, harvest cursors, schedule bookkeeping.
  virtual Result<std::optional<std::string>> get_state(std::string_view key) = 0;
  // Every state entry, ordered by key (for `paperboy migrate` and backups).
  virtual Result<std::vector<std::pair<std::string, std::string>>> list_state() = 0;
  virtual Status put_state(std::string_view key, std::string_view value) = 0;
  virtual Status delete_state(std::string_view key) = 0;
  // Sets `key` to `value` only when it has no value yet, atomically; returns the value it has
  // afterwards (ours or the one that was there). For values every instance must agree on, such as
  // the signing key. The default is not atomic; implementations override it.
  virtual Result<std::string> put_state_if_absent(std::string_view key, std::string_view value) {
    auto have = get_state(key);
    if (!have) return fail(have.error());
    if (*have) return std::move(**have);
    if (Status s = put_state(key, value); !s.is_ok()) return fail(s);
    return std::string(value);
  }
};

// The key that signs tokens (email links, CSRF), created on first use and shared through the
// store by every instance that uses it.
[[nodiscard]] Result<std::string> signing_key_hex(Store& store);

struct StoreOptions {
  // "sqlite:/path/to/paperboy.db", a plain path (SQLite), or "postgresql://USER@HOST:PORT/DB"
  // (also "postgres://...", any libpq connection URI).
  std::string url;
  // SQLite: page cache per connection, in MiB.
  int cache_mib = 64;
};

// Whether a store URL names PostgreSQL (postgresql:// or postgres://); anything else is SQLite.
[[nodiscard]] bool is_postgres_store_url(std::string_view url);

}  // namespace paperboy::store
