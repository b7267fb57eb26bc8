// HttpTransport: the HTTP/1.1 server under WebServer, event-driven on Boost.Asio with Boost.Beast's
// parser, so open connections cost a socket and a few KiB, never a thread. A few io threads accept,
// read and parse, and write replies; what a request needs done is the `Dispatch` callback's
// business (answer at once from memory, or hand it to a worker pool and reply later from any
// thread). The transport enforces every limit in every framing (request line, header bytes and
// count, body size with Content-Length and chunked, read deadline, idle keep-alive, write
// timeout, connections in total and per address, requests per connection) and answers in order
// on each connection (pipelined requests wait for the reply before them).
// bind(), run() and stop() may be called from different threads; stop() from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "web/http/request_decoder.h"
#include "web/http/trusted_proxies.h"

namespace paperboy::web {

// What one client may send and hold; each a `server.*` setting (config/config.cc).
struct ConnectionLimits {
  size_t max_target_bytes = 8 * 1024;      // request-target (path and query); beyond: 414
  size_t max_header_bytes = 16 * 1024;     // all header fields together; beyond: 431
  size_t max_headers = 100;                // header fields; beyond: 431
  size_t max_body_bytes = 64 * 1024;       // either framing (Content-Length, chunked); beyond: 413, close
  int read_timeout_ms = 10'000;            // a request's first byte to its last; then 408 and close
  int idle_timeout_ms = 5'000;             // a keep-alive connection waiting for its next request
  int write_timeout_ms = 10'000;           // each write of a reply to a client that does not read
  int max_connections = 10'000;            // open connections in all; beyond: 503 and close
  int max_connections_per_address = 256;   // per peer address (trusted proxies exempt); beyond: 503
  int max_requests_per_connection = 1000;  // then the reply says Connection: close
};

// The access log's line format: JSON (one object per line), or Apache/nginx "combined".
enum class AccessLogFormat { kJson, kCombined };

struct TransportOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (bind() returns it)
  int io_threads = 2;
  ConnectionLimits limits;
  bool access_log = true;  // one line per reply
  AccessLogFormat access_log_format = AccessLogFormat::kJson;
  int shutdown_grace_ms = 20'000;  // stop(): how long requests in flight may take (systemd waits 30 s)
  // Called once per reply written (on an io thread; must not block): the request target, the
  // status and the seconds from the request's first byte. Empty: none (metrics.enabled off).
  std::function<void(std::string_view target, int status, double seconds)> observe;
  // Sent with every reply (security headers).
  std::vector<std::pair<std::string, std::string>> default_headers;
  // Peers exempt from the per-address cap (every client behind them shares their address).
  TrustedProxies trusted_proxies;
};

// A reply; the transport adds Content-Length, Connection and the default headers, and leaves the
// body out for HEAD, 204 and 304.
struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;              // stays valid while `owner` lives
  std::shared_ptr<const void> owner;  // keeps `body` alive until written
  std::string client;                 // the client for the access log (""; the peer)
  bool close = false;                 // close the connection after this reply
};

// Response with its own body.
[[nodiscard]] Response text_response(int status, std::string body, std::string content_type);

// What parsing one request's bytes gave: the request, or the status it is refused with before any
// route sees it (400, 413, 414, 431), or 0 with `incomplete` when more bytes were needed.
struct ParsedRequest {
  int refused_status = 0;
  bool is_incomplete = false;
  RawRequest request;
};
// Parses one request from `bytes` exactly as the transport does (its limits and checks), without
// sockets: for the request fuzzer and tests.
[[nodiscard]] ParsedRequest parse_request_bytes(std::string_view bytes, const TransportOptions& options);

class HttpTransport {
 public:
  // Sends one reply; callable from any thread, exactly once per dispatched request.
  using Reply = std::function<void(Response)>;
  // Runs on an io thread: must answer quickly or hand the work elsewhere, never block.
  using Dispatch = std::function<void(RawRequest&&, Reply)>;

  HttpTransport(TransportOptions options, Dispatch dispatch);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Listens (port 0: any free port); returns the port.
  [[nodiscard]] Result<int> bind();
  // Serves on the io threads until stop().
  [[nodiscard]] Status run();
  // Graceful: stops accepting, answers the requests in flight (up to shutdown_grace_ms), then
  // run() returns. Returns at once; callable from any thread but not from a signal handler.
  void stop();
  // SIGINT and SIGTERM call stop() (from the io loop, so it is safe). Before run().
  void stop_on_signals();
  [[nodiscard]] size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperboy::web
