// Schema migrations of the SQLite store. The schema version is recorded in PRAGMA user_version;
// each migration runs in its own transaction, so a crash leaves the database at the previous
// version, never in between. Used by SqliteStore at open and by tests.
#pragma once

#include "core/status.h"
#include "store/sqlite/sqlite_db.h"

namespace paperboy::store::sqlite {

// The version a freshly opened database ends at.
int latest_schema_version();

Result<int> current_schema_version(Connection& conn);

// Migrates up to `target` (default: latest). Refuses a database newer than this binary knows.
Status migrate(Connection& conn, int target = -1);

}  // namespace paperboy::store::sqlite
