// TableAccess (store/table_copy.h) on PostgreSQL: raw rows of the community and mail tables for
// `paperboy migrate`. One connection; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/table_copy.h"

namespace paperboy::store::postgres {

// Connects and applies the "community" and "mail" migrations, so the tables exist.
Result<std::unique_ptr<TableAccess>> open_table_access(const std::string& url);

}  // namespace paperboy::store::postgres
