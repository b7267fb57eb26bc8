// Status and Result<T>: how every expected failure in Paperboy travels (bad input, I/O, network,
// not found, conflict). Exceptions are for bugs only. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace paperboy {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (bad id, malformed record)
  kNotFound,
  kAlreadyExists,
  kConflict,     // a concurrent or out-of-order write lost
  kIoError,      // file system, database, network
  kUnavailable,  // a remote peer is down or asked us to retry later
  kCancelled,    // interrupted by the user (Ctrl-C)
  kPermissionDenied,
  kResourceExhausted,  // the server ran short: memory, request sizes it cannot take
  kInternal,
  kUnauthenticated,  // no credentials, or ones that name nobody: log in first
  kRateLimited,      // too many attempts for now; retry_after_s() says when to try again
  kStorageFull,      // the server's disk is full: nothing was written; the caller did nothing wrong
  kQuotaExceeded,    // the account has all it may keep (collections, follows, papers in a collection)
};

std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status already_exists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status permission_denied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status resource_exhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status storage_full(std::string m) { return {StatusCode::kStorageFull, std::move(m)}; }
  static Status quota_exceeded(std::string m) { return {StatusCode::kQuotaExceeded, std::move(m)}; }
  static Status unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status rate_limited(std::string m, std::int64_t retry_after_s = 0) {
    Status s(StatusCode::kRateLimited, std::move(m));
    s.retry_after_s_ = retry_after_s;
    return s;
  }

  [[nodiscard]] bool is_ok() const { return code_ == StatusCode::kOk; }
  [[nodiscard]] StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // Seconds after which a rate-limited attempt may succeed; 0 when unknown or not rate limited.
  [[nodiscard]] std::int64_t retry_after_s() const { return retry_after_s_; }
  // "not found: paper 2403.01234"
  [[nodiscard]] std::string to_string() const;

  // Prefixes the message with where it happened: "line 12: " + message.
  [[nodiscard]] Status with_context(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::int64_t retry_after_s_ = 0;
};

template <typename T>
using Result = std::expected<T, Status>;

// Shorthand for `return std::unexpected(status)` in functions returning Result<T>.
inline std::unexpected<Status> fail(Status status) {
  return std::unexpected(std::move(status));
}

}  // namespace paperboy

// Propagates a failed Status from an expression returning Status.
#define PB_RETURN_IF_ERROR(expr)                \
  do {                                          \
    ::paperboy::Status pb_status_ = (expr);     \
    if (!pb_status_.is_ok()) return pb_status_; \
  } while (0)
