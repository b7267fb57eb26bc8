// TableAccess (store/table_copy.h) on a SQLite database file: raw rows of the community and mail
// tables for `paperboy migrate`. One connection; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/table_copy.h"

namespace paperboy::store::sqlite {

// Opens (creating and migrating as needed) the database file at `path`.
Result<std::unique_ptr<TableAccess>> open_table_access(const std::string& path);

}  // namespace paperboy::store::sqlite
