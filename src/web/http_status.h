// The one place a Status becomes an HTTP status code. Routes and services say what happened
// (Status); this file says how HTTP spells it. Stateless: thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"

namespace paperboy::web {

// 400 invalid argument, 401 unauthenticated, 403 permission denied, 404 not found, 409 already
// exists, conflict or quota exceeded (an account's limits), 413 resource exhausted (sizes), 429
// rate limited, 503 unavailable, 507 storage full;
// 500 for the rest (internal, I/O, cancelled), whose details stay in the server log.
[[nodiscard]] int http_status(const Status& s);

// The heading of the error page a browser gets for an HTTP error status ("Not found",
// "Slow down"...); "Something went wrong" for the 5xx and anything unlisted.
[[nodiscard]] std::string_view error_heading(int http_status);

}  // namespace paperboy::web
