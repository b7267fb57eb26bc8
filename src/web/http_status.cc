#include "web/http_status.h"

namespace paperboy::web {

int http_status(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kConflict: return 409;
    case StatusCode::kResourceExhausted: return 413;
    // What quota-limited requests have always answered; an account's limit, said by its own code.
    case StatusCode::kQuotaExceeded: return 413;
    case StatusCode::kRateLimited: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kStorageFull: return 507;  // Insufficient Storage (RFC 4918 §11.5)
    case StatusCode::kIoError:
    case StatusCode::kCancelled:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

}  // namespace paperboy::web
