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
    // An account at its limit (collections, follows, papers in a collection): the request is fine,
    // the account's state refuses it until something is removed. Not 413 (a body too large) and
    // not 429 (waiting does not help).
    case StatusCode::kQuotaExceeded: return 409;
    case StatusCode::kRateLimited: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kStorageFull: return 507;  // Insufficient Storage (RFC 4918 §11.5)
    case StatusCode::kIoError:
    case StatusCode::kCancelled:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string_view error_heading(int http_status) {
  switch (http_status) {
    case 400: return "Bad request";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 408: return "Too slow";
    case 409: return "Cannot be done";
    case 413: return "Too large";
    case 414: return "Address too long";
    case 429: return "Slow down";
    case 431: return "Headers too large";
    case 503: return "Busy or unavailable";
    case 507: return "Out of disk space";
    default: return "Something went wrong";
  }
}

}  // namespace paperboy::web
