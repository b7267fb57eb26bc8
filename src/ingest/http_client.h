// HttpClient: the one way Paperboy talks to the network (OAI-PMH harvesting, the arXiv API). A
// wrapper over libcurl with timeouts, TLS verification on, the proxy from the environment (libcurl's
// http_proxy/https_proxy/no_proxy handling), a cap on response sizes, an honest User-Agent, and a
// politeness pacer: one request at a time, and at least `min_interval_s` between the end of one
// request and the start of the next (arXiv's terms: one request per 3 seconds, one connection).
// Also the retry policy every caller shares (bounded exponential backoff, Retry-After honoured).
// Thread-safe: concurrent get() calls are serialised by the pacer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::ingest {

struct HttpClientOptions {
  std::string user_agent = "paperboy/0.1";  // see make_user_agent()
  double timeout_s = 120;                  // whole transfer, including the body
  double connect_timeout_s = 20;
  double low_speed_timeout_s = 30;         // abort when under 1 byte/s for this long (a stalled peer)
  std::int64_t max_body_bytes = 256LL << 20;  // larger responses fail with kResourceExhausted
  double min_interval_s = 3;               // pause between the end of one request and the next start
  // When set and true, a transfer in progress is aborted (kCancelled): Ctrl-C, server shutdown.
  const std::atomic<bool>* cancel = nullptr;
};

// "paperboy/0.1.0 (+self-hosted paper discovery; mailto:me@example.org)". An empty contact is
// allowed but arXiv asks for one; callers warn.
[[nodiscard]] std::string make_user_agent(std::string_view contact);

struct HttpResponse {
  long status = 0;  // HTTP status code
  std::string body;  // empty when the body went to a sink
  std::string content_type;
  std::optional<double> retry_after_s;  // from a Retry-After header, seconds from now
  std::string effective_url;
};

// Receives a 2xx response body chunk by chunk as it arrives; a non-OK Status aborts the transfer
// and becomes get()'s error. Non-2xx bodies are never passed to the sink (they are kept in body).
using BodySink = std::function<Status(std::string_view chunk)>;

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GET `url`. Cancellation (options.cancel) is kCancelled. Transport failures (timeout, refused, dropped mid-body, TLS) are kUnavailable (worth
  // a retry); an over-size body is kResourceExhausted. Any HTTP status is a successful Result: the
  // caller decides (see status_from_http()). With `sink`, a 2xx body streams into it.
  [[nodiscard]] Result<HttpResponse> get(const std::string& url, const BodySink& sink = nullptr);

  [[nodiscard]] const HttpClientOptions& options() const { return options_; }

 private:
  struct Impl;
  HttpClientOptions options_;
  std::unique_ptr<Impl> impl_;
};

// Maps an HTTP status to a Status: 2xx ok; 429 and 5xx kUnavailable (retry); 404 kNotFound; other
// 4xx kInvalidArgument; anything else kIoError. Messages name the URL.
[[nodiscard]] Status status_from_http(const HttpResponse& response, std::string_view url);

// RFC 9110 §10.2.3: delta-seconds ("120") or an HTTP-date; nullopt when unparsable. Negative
// delays (dates in the past) become 0.
[[nodiscard]] std::optional<double> parse_retry_after(std::string_view value, std::int64_t now_unix);

// How callers retry: bounded exponential backoff, Retry-After honoured up to a cap.
struct RetryPolicy {
  int max_attempts = 6;          // tries in all, including the first
  double initial_backoff_s = 5;  // first wait; doubles each time
  double max_backoff_s = 300;
  double max_retry_after_s = 3600;  // a server asking for more than this makes us give up

  // The wait before try `attempt + 1` after `attempt` failed (attempt counts from 1).
  [[nodiscard]] double backoff_s(int attempt) const;
};

// One try of an operation: ok, or an error; kUnavailable and kIoError errors are retried, others
// are final. `retry_after_s` is the server's hint for the next try.
struct TryOutcome {
  Status status;
  std::optional<double> retry_after_s;
};

// Calls `attempt(n)` (n = 1, 2, ...) until it succeeds, fails with a final error, the policy's
// attempts are spent, or `stop` is set (then kCancelled). Logs each retry with `what`.
[[nodiscard]] Status run_with_retries(const RetryPolicy& policy, std::string_view what,
                                      const std::function<TryOutcome(int attempt)>& attempt,
                                      const std::atomic<bool>* stop = nullptr, int* retries = nullptr);

// Sleeps `seconds`, waking early (returning false) when `stop` becomes true.
bool sleep_unless_stopped(double seconds, const std::atomic<bool>* stop);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters pass through).
[[nodiscard]] std::string url_encode(std::string_view value);

}  // namespace paperboy::ingest
