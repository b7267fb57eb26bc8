// Schema migrations on PostgreSQL. Every applied step is a row of schema_migrations(component,
// version, description, applied_at), so several parts can keep their own numbered streams in one
// database: the store is component "store"; the community and mail tables add their own component
// and list later without touching this one. Each migration runs in its own transaction holding the
// migrations advisory lock, so instances starting together never apply a step twice, and a crash
// leaves the previous version. Used by PostgresStore at open and by tests. Thread-compatible.
#pragma once

#include <span>
#include <string_view>

#include "core/status.h"
#include "store/postgres/pg_db.h"

namespace paperboy::store::postgres {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // may hold several statements; no parameters
};

// The store's own migrations (papers, categories, state, the change sequence).
std::span<const Migration> store_migrations();
inline constexpr std::string_view kStoreComponent = "store";
// Accounts, sessions, API tokens and votes (PostgresCommunityStore).
std::span<const Migration> community_migrations();
inline constexpr std::string_view kCommunityComponent = "community";
// Digest subscriptions and the outbox (PostgresMailStore).
std::span<const Migration> mail_migrations();
inline constexpr std::string_view kMailComponent = "mail";

// The highest version recorded for `component`; 0 for a database that has none.
Result<int> current_schema_version(PgConnection& conn, std::string_view component);

// Applies the steps of `migrations` above the current version, up to `target` (-1: all). Refuses a
// database whose `component` is newer than the newest step this binary knows.
Status migrate(PgConnection& conn, std::string_view component, std::span<const Migration> migrations, int target = -1);

}  // namespace paperboy::store::postgres
