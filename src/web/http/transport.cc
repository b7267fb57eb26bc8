#include "web/http/transport.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>

namespace paperboy::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Parser = http::request_parser<http::string_body>;
using Clock = std::chrono::steady_clock;

// The request line is method SP target SP version: the target's limit plus room for the rest.
constexpr size_t kRequestLineSlack = 64;
// After refusing a request whose body is still arriving, read and drop this much (at most
// `kLingerMs`) before closing, so the client sees the reply instead of a reset (RFC 9112 §9.6).
constexpr size_t kLingerBytes = 1 << 20;
constexpr int kLingerMs = 1000;

size_t header_limit(const TransportOptions& o) {
  return o.limits.max_target_bytes + kRequestLineSlack + o.limits.max_header_bytes;
}

void configure(Parser& p, const TransportOptions& o) {
  p.header_limit(static_cast<std::uint32_t>(std::min<size_t>(header_limit(o), UINT32_MAX)));
  p.body_limit(o.limits.max_body_bytes);
}

// Which limit a header that outgrew the parser's header_limit broke: the request line (414) or the
// fields (431), from the bytes still in the buffer.
int oversized_header_status(std::string_view pending, const TransportOptions& o) {
  size_t eol = pending.find("\r\n");
  if (eol == std::string_view::npos) eol = pending.size();
  return eol > o.limits.max_target_bytes + kRequestLineSlack ? 414 : 431;
}

// The status for a parse error; 0 when the connection just ended.
int status_for_error(const beast::error_code& ec, std::string_view pending, const TransportOptions& o) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) return oversized_header_status(pending, o);
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
      ec == net::error::operation_aborted || ec == net::error::bad_descriptor || ec == net::error::broken_pipe) {
    return 0;
  }
  if (ec.category() == beast::error_code(http::error::bad_target).category() || ec == http::error::partial_message)
    return 400;
  return 0;
}

// Limits the parser does not check itself, once the header is in.
int check_header(const Parser& p, const TransportOptions& o) {
  const auto& msg = p.get();
  if (msg.target().size() > o.limits.max_target_bytes) return 414;
  size_t fields = 0;
  size_t bytes = 0;
  for (const auto& f : msg) {
    ++fields;
    bytes += f.name_string().size() + f.value().size() + 4;  // "name: value\r\n"
  }
  if (fields > o.limits.max_headers || bytes > o.limits.max_header_bytes) return 431;
  if (msg.version() != 10 && msg.version() != 11) return 505;
  return 0;
}

RawRequest to_raw(Parser& p, std::string peer) {
  auto msg = p.release();
  RawRequest raw;
  raw.method = std::string(msg.method_string());
  raw.target = std::string(msg.target());
  for (const auto& field : msg) raw.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  raw.body = std::move(msg.body());
  raw.peer_addr = std::move(peer);
  return raw;
}

std::string_view reason(int status) {
  auto r = http::obsolete_reason(static_cast<http::status>(status));
  return r.empty() ? std::string_view("Status") : std::string_view(r.data(), r.size());
}

// Open connections in all and per peer address; a Ticket gives its place back when destroyed.
class ConnectionCounter {
 public:
  explicit ConnectionCounter(const TransportOptions& o) : options_(o) {}
  struct Ticket {
    ConnectionCounter* counter = nullptr;
    std::string address;
    Ticket() = default;
    Ticket(ConnectionCounter* c, std::string a) : counter(c), address(std::move(a)) {}
    Ticket(Ticket&& other) noexcept
        : counter(std::exchange(other.counter, nullptr)), address(std::move(other.address)) {}
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (counter != nullptr) counter->release(address);
    }
  };
  std::optional<Ticket> admit(const std::string& address) {
    std::lock_guard lock(mu_);
    if (total_ >= static_cast<size_t>(std::max(1, options_.limits.max_connections))) return std::nullopt;
    int& mine = per_address_[address];
    bool is_exempt = options_.trusted_proxies.contains(address);
    if (!is_exempt && mine >= std::max(1, options_.limits.max_connections_per_address)) {
      if (mine == 0) per_address_.erase(address);
      return std::nullopt;
    }
    ++mine;
    ++total_;
    return std::optional<Ticket>(std::in_place, this, address);
  }
  size_t total() const {
    std::lock_guard lock(mu_);
    return total_;
  }

 private:
  void release(const std::string& address) {
    std::lock_guard lock(mu_);
    --total_;
    auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
  }
  const TransportOptions& options_;
  mutable std::mutex mu_;
  size_t total_ = 0;
  std::unordered_map<std::string, int> per_address_;
};

// What one access-log line says about a reply.
struct AccessEntry {
  std::string_view remote, method, target, referer, user_agent;
  bool is_http10 = false;
  int status = 0;
  size_t bytes = 0;
  Clock::time_point started;
};

// A field of a combined line: quotes, backslashes, control and non-ASCII bytes as \xHH (as nginx
// writes them), so a client cannot forge a line or a field; "-" when empty.
std::string log_field(std::string_view s) {
  if (s.empty()) return "-";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void access_log(AccessLogFormat format, const AccessEntry& e) {
  if (format == AccessLogFormat::kCombined) {
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char when[40];
    std::strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    std::string request =
        e.method.empty() ? "-"
                         : log_field(e.method) + " " + log_field(e.target) + (e.is_http10 ? " HTTP/1.0" : " HTTP/1.1");
    spdlog::info("{} - - [{}] \"{}\" {} {} \"{}\" \"{}\"", log_field(e.remote), when, request, e.status, e.bytes,
                 log_field(e.referer), log_field(e.user_agent));
    return;
  }
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - e.started).count();
  nlohmann::json line = {{"type", "access"},
                         {"remote", e.remote},
                         {"method", e.method},
                         {"target", e.target},
                         {"status", e.status},
                         {"bytes", e.bytes},
                         {"ms", std::round(ms * 100) / 100}};
  spdlog::info("{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// The Referer and User-Agent of a parsed header, for the combined log format.
template <class Message>
void read_log_headers(const Message& m, std::string& referer, std::string& user_agent) {
  referer = std::string(m[http::field::referer]);
  user_agent = std::string(m[http::field::user_agent]);
}

}  // namespace

Response text_response(int status, std::string body, std::string content_type) {
  auto owned = std::make_shared<std::string>(std::move(body));
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = *owned;
  r.owner = std::move(owned);
  return r;
}

ParsedRequest parse_request_bytes(std::string_view bytes, const TransportOptions& options) {
  ParsedRequest out;
  Parser p;
  configure(p, options);
  p.eager(true);
  beast::error_code ec;
  net::const_buffer buf(bytes.data(), bytes.size());
  bool header_checked = false;
  while (!p.is_done()) {
    size_t used = p.put(buf, ec);
    buf += used;
    if (ec == http::error::need_more) {
      out.is_incomplete = true;
      return out;
    }
    if (ec) {
      std::string_view pending(static_cast<const char*>(buf.data()), buf.size());
      out.refused_status = std::max(400, status_for_error(ec, pending, options));
      return out;
    }
    if (p.is_header_done() && !header_checked) {
      header_checked = true;
      if (int s = check_header(p, options); s != 0) {
        out.refused_status = s;
        return out;
      }
    }
    if (used == 0 && !p.is_done()) {
      out.is_incomplete = true;
      return out;
    }
  }
  out.request = to_raw(p, "127.0.0.1");
  return out;
}

// What the sessions and the shutdown share: whether the server is stopping, and how many
// dispatched requests have not had their reply written yet.
struct Lifecycle {
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
};

struct HttpTransport::Impl {
  TransportOptions options;
  Dispatch dispatch;
  Lifecycle life;
  ConnectionCounter counter{options};  // before `ioc`: sessions that ioc destroys give their place back
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_retry{ioc};
  net::steady_timer drain_timer{ioc};
  std::optional<net::signal_set> signals;
  Clock::time_point drain_deadline;

  Impl(TransportOptions o, Dispatch d) : options(std::move(o)), dispatch(std::move(d)) {}

  void accept();

  // On an io thread: stop accepting, let the requests in flight finish (at most
  // shutdown_grace_ms), then stop the loop. Idle keep-alive connections are dropped with it.
  void begin_shutdown() {
    if (life.stopping.exchange(true)) return;
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    if (signals) signals->cancel(ignored);
    drain_deadline = Clock::now() + std::chrono::milliseconds(std::max(0, options.shutdown_grace_ms));
    wait_for_drain();
  }
  void wait_for_drain() {
    if (life.in_flight.load() <= 0 || Clock::now() >= drain_deadline) {
      if (life.in_flight.load() > 0) spdlog::warn("stopping with {} requests unanswered", life.in_flight.load());
      ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([this](beast::error_code) { wait_for_drain(); });
  }
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const TransportOptions& options, const HttpTransport::Dispatch& dispatch, Lifecycle& life,
          std::string peer, ConnectionCounter::Ticket ticket)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        dispatch_(dispatch),
        options_(options),
        life_(life),
        peer_(std::move(peer)),
        ticket_(std::move(ticket)),
        buffer_(header_limit(options_) + 64 * 1024) {}

  void start() { wait_for_request(); }

 private:
  enum class Deadline { kIdle, kRead, kWrite, kLinger };

  void arm(Deadline what, int ms) {
    std::uint64_t id = ++armed_;
    timer_.expires_after(std::chrono::milliseconds(std::max(1, ms)));
    timer_.async_wait([self = shared_from_this(), what, id](beast::error_code ec) {
      if (ec || self->armed_ != id) return;  // cancelled, or re-armed since
      self->timed_out_ = true;
      beast::error_code ignored;
      if (what == Deadline::kRead) {
        self->socket_.cancel(ignored);  // the read handler answers 408
      } else {
        self->socket_.close(ignored);
      }
    });
  }
  void disarm() {
    ++armed_;
    timer_.cancel();
  }

  // Keep-alive: wait (idle timeout) for the next request's first byte, unless it is already here.
  void wait_for_request() {
    if (buffer_.size() > 0) return read_header();
    timed_out_ = false;
    arm(Deadline::kIdle, options_.limits.idle_timeout_ms);
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec || self->timed_out_) return self->close();
      self->read_header();
    });
  }

  void read_header() {
    parser_.emplace();
    configure(*parser_, options_);
    started_ = Clock::now();
    timed_out_ = false;
    arm(Deadline::kRead, options_.limits.read_timeout_ms);
    http::async_read_header(socket_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    if (int s = check_header(*parser_, options_); s != 0) return refuse(s);
    const auto& msg = parser_->get();
    if (parser_->is_done()) return dispatch();
    auto expect = msg[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      // RFC 9110 §10.1.1: the client waits for this before sending the body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code wec, size_t) {
                         if (wec) return self->close();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->dispatch();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (timed_out_) {
      timed_out_ = false;
      return refuse(408);
    }
    std::string_view pending(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    int status = status_for_error(ec, pending, options_);
    if (status == 0) return close();
    refuse(status);
  }

  // A reply the transport makes itself (limits, malformed requests); the connection then closes.
  void refuse(int status) {
    std::string text = std::string(reason(status)) + "\n";
    Response r = text_response(status, std::move(text), "text/plain; charset=utf-8");
    r.close = true;
    if (status == 503) r.headers.emplace_back("Retry-After", "1");
    if (parser_ && parser_->is_header_done()) {
      method_ = std::string(parser_->get().method_string());
      target_ = std::string(parser_->get().target());
      read_log_headers(parser_->get(), referer_, user_agent_);
    } else {
      method_.clear();
      target_.clear();
      referer_.clear();
      user_agent_.clear();
    }
    is_head_ = false;
    is_http10_ = false;
    write(std::move(r));
  }

  void dispatch() {
    disarm();
    ++requests_;
    // While stopping, a request that arrives on an open connection is still answered, then closes it.
    bool keep_alive =
        parser_->keep_alive() && requests_ < options_.limits.max_requests_per_connection && !life_.stopping.load();
    is_http10_ = parser_->get().version() == 10;
    if (options_.access_log && options_.access_log_format == AccessLogFormat::kCombined) {
      read_log_headers(parser_->get(), referer_, user_agent_);
    }
    RawRequest raw = to_raw(*parser_, peer_);
    method_ = raw.method;
    target_ = raw.target;
    is_head_ = raw.method == "HEAD";
    keep_alive_ = keep_alive;
    auto self = shared_from_this();
    auto replied = std::make_shared<std::atomic<bool>>(false);
    HttpTransport::Reply reply = [self, replied](Response r) {
      if (replied->exchange(true)) return;
      net::post(self->socket_.get_executor(), [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
    };
    ++life_.in_flight;
    in_flight_ = true;
    try {
      dispatch_(std::move(raw), reply);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", method_, target_, e.what());
      reply(text_response(500, "internal error\n", "text/plain; charset=utf-8"));
    } catch (...) {
      spdlog::error("{} {}: unknown exception", method_, target_);
      reply(text_response(500, "internal error\n", "text/plain; charset=utf-8"));
    }
  }

  void write(Response r) {
    if (r.close) keep_alive_ = false;
    bool has_body = !is_head_ && r.status != 204 && r.status != 304 && r.status >= 200;
    std::string& head = head_;
    head.clear();
    head += "HTTP/1.1 " + std::to_string(r.status) + " ";
    head += reason(r.status);
    head += "\r\n";
    for (const auto& [k, v] : options_.default_headers) head += k + ": " + v + "\r\n";
    for (const auto& [k, v] : r.headers) head += k + ": " + v + "\r\n";
    if (r.status != 204 && r.status != 304) head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    if (!keep_alive_) head += "Connection: close\r\n";
    if (keep_alive_ && is_http10_) head += "Connection: keep-alive\r\n";  // HTTP/1.0 closes by default
    head += "\r\n";
    body_bytes_ = has_body ? r.body.size() : 0;
    // Counted before the bytes leave, so a client that has its reply also sees it in /metrics.
    if (options_.observe) {
      options_.observe(target_, r.status, std::chrono::duration<double>(Clock::now() - started_).count());
    }
    reply_ = std::move(r);
    std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(reply_.body.data(), body_bytes_)};
    arm(Deadline::kWrite, options_.limits.write_timeout_ms);
    net::async_write(socket_, buffers,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_written(ec); });
  }

  void on_written(beast::error_code ec) {
    disarm();
    if (options_.access_log) {
      access_log(options_.access_log_format, {.remote = reply_.client.empty() ? peer_ : reply_.client,
                                              .method = method_,
                                              .target = target_,
                                              .referer = referer_,
                                              .user_agent = user_agent_,
                                              .is_http10 = is_http10_,
                                              .status = reply_.status,
                                              .bytes = body_bytes_,
                                              .started = started_});
    }
    reply_ = Response{};
    if (in_flight_) {
      in_flight_ = false;
      --life_.in_flight;
    }
    if (ec) return close();
    if (!keep_alive_ || life_.stopping.load()) return linger();
    wait_for_request();
  }

  // Closes after a reply whose request may still be sending: stop sending, then read and drop
  // what the client still sends (bounded) so the close does not reset the reply away.
  void linger() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (parser_ && parser_->is_done() && buffer_.size() == 0) return close();
    buffer_.consume(buffer_.size());
    arm(Deadline::kLinger, std::min(kLingerMs, options_.limits.read_timeout_ms));
    drain();
  }
  void drain() {
    socket_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ >= kLingerBytes) return self->close();
      self->drain();
    });
  }

  void close() {
    disarm();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  const HttpTransport::Dispatch& dispatch_;
  const TransportOptions& options_;
  Lifecycle& life_;
  bool in_flight_ = false;  // a dispatched request whose reply is not written yet
  std::string peer_;
  ConnectionCounter::Ticket ticket_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::uint64_t armed_ = 0;  // which arm() a timer expiry belongs to
  bool timed_out_ = false;
  bool keep_alive_ = true;
  bool is_head_ = false;
  bool is_http10_ = false;
  int requests_ = 0;
  Clock::time_point started_ = Clock::now();
  std::string method_, target_, head_;
  std::string referer_, user_agent_;  // for the combined access log
  Response reply_;
  size_t body_bytes_ = 0;
  size_t drained_ = 0;
  std::array<char, 16 * 1024> scratch_{};
};

// Lets a process hold as many sockets as its hard limit allows (the soft limit is often 1024).
void raise_open_files_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) spdlog::warn("could not raise the open files limit");
  }
}

}  // namespace

void HttpTransport::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [self = this](beast::error_code ec, tcp::socket socket) {
    if (self->life.stopping) return;
    if (ec) {
      if (ec == net::error::operation_aborted) return;
      // Out of file descriptors (EMFILE) and the like: pause instead of spinning on the error.
      spdlog::warn("accept: {}", ec.message());
      self->accept_retry.expires_after(std::chrono::milliseconds(50));
      self->accept_retry.async_wait([self](beast::error_code) { self->accept(); });
      return;
    }
    beast::error_code peer_ec;
    auto endpoint = socket.remote_endpoint(peer_ec);
    std::string peer = peer_ec ? std::string("unknown") : endpoint.address().to_string();
    if (endpoint.address().is_v6() && endpoint.address().to_v6().is_v4_mapped()) {
      peer = net::ip::make_address_v4(net::ip::v4_mapped, endpoint.address().to_v6()).to_string();
    }
    auto ticket = self->counter.admit(peer);
    if (!ticket) {
      // Over a connection cap: say so if the socket takes it at once, and close.
      static constexpr std::string_view kBusy =
          "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)::send(socket.native_handle(), kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true), peer_ec);
      std::make_shared<Session>(std::move(socket), self->options, self->dispatch, self->life, std::move(peer),
                                std::move(*ticket))
          ->start();
    }
    self->accept();
  });
}

HttpTransport::HttpTransport(TransportOptions options, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(dispatch))) {}

HttpTransport::~HttpTransport() {
  stop();
}

Result<int> HttpTransport::bind() {
  raise_open_files_limit();
  const auto& o = impl_->options;
  auto fail_listen = [&](const beast::error_code& ec) {
    return fail(
        Status::io_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (" + ec.message() + ")"));
  };
  beast::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) {
    // A host name: the first address it resolves to.
    tcp::resolver resolver(impl_->ioc);
    auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec || results.empty()) return fail(Status::io_error("cannot resolve " + o.host));
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail_listen(ec);
  // SO_REUSEADDR (a restart need not wait for TIME_WAIT) but never SO_REUSEPORT: a second server
  // on the same port must fail to start rather than silently share it.
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  // Linux copies TCP_NODELAY to accepted sockets; without it a small body written after the
  // headers waits for the client's delayed ACK (~40 ms per response).
  acceptor.set_option(tcp::no_delay(true), ec);
  acceptor.bind(endpoint, ec);
  if (ec) return fail_listen(ec);
  acceptor.listen(SOMAXCONN, ec);
  if (ec) return fail_listen(ec);
  return static_cast<int>(acceptor.local_endpoint().port());
}

Status HttpTransport::run() {
  if (!impl_->acceptor.is_open()) {
    auto port = bind();
    if (!port) return port.error();
  }
  impl_->accept();
  auto run_loop = [impl = impl_.get()] {
    while (true) {
      try {
        impl->ioc.run();
        return;
      } catch (const std::exception& e) {  // a bug in a handler: log it and keep the loop up
        spdlog::error("io thread: {}", e.what());
      } catch (...) {
        spdlog::error("io thread: unknown exception");
      }
    }
  };
  std::vector<std::thread> extra;
  for (int i = 1; i < std::max(1, impl_->options.io_threads); ++i) extra.emplace_back(run_loop);
  run_loop();
  for (auto& t : extra) t.join();
  return Status::ok();
}

void HttpTransport::stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->begin_shutdown(); });
}

void HttpTransport::stop_on_signals() {
  auto& signals = impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([impl = impl_.get()](beast::error_code ec, int) {
    if (!ec) impl->begin_shutdown();
  });
}

size_t HttpTransport::open_connections() const {
  return impl_->counter.total();
}

}  // namespace paperboy::web
