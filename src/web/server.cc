#include "web/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "core/time.h"
#include "store/community_store.h"
#include "web/assets.h"
#include "web/csrf.h"
#include "web/render_pool.h"
#include "web/response_cache.h"
#include "web/routes/common.h"
#include "web/search_gate.h"
#include "web/views.h"

namespace paperboy::web {
namespace {

// CSP without inline script or style: every script and stylesheet is a same-origin file; KaTeX
// sets styles through the CSSOM, which style-src does not restrict.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

thread_local std::chrono::steady_clock::time_point t_request_start;

// The one place a Status becomes an HTTP status code.
int http_status(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kConflict: return 409;
    default: return 500;
  }
}

bool etag_matches(const std::string& header, const std::string& etag) {
  if (header == "*") return true;
  // RFC 9110 §13.1.2: a comma-separated list, weak comparison.
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string::npos) comma = header.size();
    std::string tag = header.substr(pos, comma - pos);
    pos = comma + 1;
    while (!tag.empty() && tag.front() == ' ') tag.erase(0, 1);
    while (!tag.empty() && tag.back() == ' ') tag.pop_back();
    if (tag.starts_with("W/")) tag.erase(0, 2);
    if (tag == etag) return true;
  }
  return false;
}

// The coding a reply is sent in: the client's preferred one for text worth compressing.
Encoding choose_encoding(const httplib::Request& req, std::string_view body, std::string_view content_type) {
  constexpr size_t kMinCompressed = 1024;  // below this the header overhead eats the gain
  return body.size() >= kMinCompressed && is_compressible(content_type)
             ? preferred_encoding(req.get_header_value("Accept-Encoding"))
             : Encoding::kIdentity;
}

// A compressed representation gets the weak form of the body's ETag (as nginx does): strong
// validators must differ between codings, and If-None-Match compares weakly anyway.
std::string etag_for(const std::string& etag, Encoding e) {
  return e == Encoding::kIdentity ? etag : "W/" + etag;
}

// Writes `body` in coding `e`, from `variants` (compressed once per body, not per request). The
// reply is streamed from memory that `owner` keeps alive until httplib has written it (after the
// handler returns); httplib's own per-request compression does not apply to such replies.
void send_body(httplib::Response& res, Encoding e, std::string_view body, const std::string& content_type,
               CompressedVariants& variants, std::shared_ptr<const void> owner) {
  if (body.empty()) {  // httplib wants a provider to have something to provide
    res.set_content("", content_type);
    return;
  }
  std::string_view out = variants.get(e, body);
  if (e != Encoding::kIdentity) res.set_header("Content-Encoding", std::string(encoding_name(e)));
  res.set_content_provider(out.size(), content_type,
                           [out, owner = std::move(owner)](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(out.data() + offset, length);
                           });
}

// The transport-independent view of an httplib request that routes see.
Request to_request(const httplib::Request& raw) {
  Request req;
  req.method = raw.method;
  req.target = raw.target;
  req.path = raw.path;
  req.body = raw.body;
  req.remote_addr = raw.remote_addr;
  for (const auto& [k, v] : raw.headers) req.headers.emplace(k, v);
  for (const auto& [k, v] : raw.params) req.params.emplace(k, v);
  for (const auto& m : raw.matches) req.matches.push_back(m.str());
  return req;
}

}  // namespace

struct WebServer::Impl {
  store::Store& store;
  ServerOptions options;
  RenderPool render_pool;  // uncached GET renders; declared before `http`, so it outlives its users
  std::mutex flights_mu;   // guards `flights`: renders in progress by URL and generation
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const CachedResponse>>> flights;
  httplib::Server http;
  bool bound = false;
  std::int64_t started_at = core::unix_now();
  Assets assets;
  Views views;
  ResponseCache cache;
  std::unique_ptr<SearchGate> search_gate;  // what the routes search through
  std::unique_ptr<community::AccountService> accounts;
  std::unique_ptr<community::SubmissionService> submissions;
  std::unique_ptr<Csrf> csrf;
  std::unique_ptr<community::RateLimiter> comment_limiter;
  std::optional<core::Signer> signer;
  RouteContext ctx;
  // The store's change sequence, re-read at most once a second: a cheap cache key for "the data".
  std::atomic<std::int64_t> generation{-1};
  std::atomic<std::int64_t> generation_checked_ms{0};
  std::atomic<std::int64_t> data_changed_at{core::unix_now()};
  std::atomic<std::int64_t> last_votes{0};
  std::atomic<std::int64_t> last_curation{0};
  std::atomic<std::int64_t> last_library{0};
  socket_t listen_socket = -1;  // set by the socket-options callback when bind() creates it

  Impl(store::Store& s, ServerOptions o)
      : store(s),
        options(std::move(o)),
        render_pool(options.render_concurrency),
        assets(options.katex_dir),
        views(assets),
        cache(options.cache_entries, options.cache_ttl_s),
        ctx{store, options.search, views, options} {
    if (options.search != nullptr) {
      search_gate = std::make_unique<SearchGate>(*options.search, options.search_concurrency);
      ctx.search = search_gate.get();
    }
    ctx.get = [this](const std::string& pattern, Handler h) {
      http.Get(pattern, [this, h](const httplib::Request& req, httplib::Response& res) { serve(h, req, res, true); });
    };
    ctx.post = [this](const std::string& pattern, Handler h) {
      http.Post(pattern, [this, h](const httplib::Request& req, httplib::Response& res) { serve(h, req, res, false); });
    };
    ctx.put = [this](const std::string& pattern, Handler h) {
      http.Put(pattern, [this, h](const httplib::Request& req, httplib::Response& res) { serve(h, req, res, false); });
    };
    ctx.del = [this](const std::string& pattern, Handler h) {
      http.Delete(pattern,
                  [this, h](const httplib::Request& req, httplib::Response& res) { serve(h, req, res, false); });
    };
  }

  std::int64_t current_generation() {
    auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    if (now_ms - generation_checked_ms.load() >= 1000) {
      generation_checked_ms = now_ms;
      auto seq = store.max_change_seq();
      // Twice the store's sequence, plus one once the search indexes have caught up with it: the key
      // moves when the store changes (listings) and again when search sees the change, so a search
      // result cached while the index lagged (another process ingested) is not served after.
      std::int64_t g = -2;
      if (seq) {
        bool is_indexed = options.search == nullptr || options.search->indexed_seq() >= *seq;
        g = *seq * 2 + (is_indexed ? 1 : 0);
      }
      if (g != generation.exchange(g)) data_changed_at = core::unix_now();
    }
    std::int64_t g = generation.load();
    // Votes are read on every request (an in-memory counter), so a count is fresh right after a
    // vote. Both counters only grow, so their sum changes whenever either does.
    if (options.community != nullptr && g >= 0) {
      auto votes = options.community->vote_generation();
      if (!votes) return -2;
      if (*votes != last_votes.exchange(*votes)) data_changed_at = core::unix_now();
      g += *votes;
    }
    // Submissions and curators' flags change listings without touching the paper store.
    if (options.curation != nullptr && g >= 0) {
      std::int64_t curated = options.curation->curation_generation();
      if (curated != last_curation.exchange(curated)) data_changed_at = core::unix_now();
      g += curated;
    }
    // Comments and public collections appear on shared pages too; this counter also only grows.
    if (options.library != nullptr && g >= 0) {
      auto library = options.library->generation();
      if (!library) return -2;
      if (*library != last_library.exchange(*library)) data_changed_at = core::unix_now();
      g += *library;
    }
    return g;
  }

  std::shared_ptr<const CachedResponse> render(const Handler& h, const Request& req) {
    auto out = std::make_shared<CachedResponse>();
    Result<Reply> reply = fail(Status::internal("no reply"));
    try {
      reply = h(req);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", req.method, req.target, e.what());
      reply = fail(Status::internal(e.what()));
    }
    if (!reply) {
      const Status& s = reply.error();
      out->status = http_status(s);
      // Internal errors are logged in full and shown without details.
      std::string message = out->status == 500 ? "internal error; the server log has the details" : s.message();
      if (out->status == 500) spdlog::error("{} {}: {}", req.method, req.target, s.to_string());
      if (req.path.starts_with("/api/")) {
        out->body = nlohmann::json{{"error", message}, {"status", out->status}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
        out->content_type = "application/json";
      } else if (req.path.starts_with("/feeds/") || req.path.ends_with(".bib")) {
        out->body = message + "\n";
        out->content_type = "text/plain; charset=utf-8";
      } else {
        std::string heading = out->status == 404   ? "Not found"
                              : out->status == 400 ? "Bad request"
                                                   : "Something went wrong";
        out->body = message_page(views, heading, {message});
        out->content_type = "text/html; charset=utf-8";
      }
      out->cache_control = "no-store";
      return out;
    }
    out->status = reply->status;
    out->body = std::move(reply->body);
    out->content_type = std::move(reply->content_type);
    out->cache_control = reply->max_age_s > 0 ? "public, max-age=" + std::to_string(reply->max_age_s) : "no-cache";
    // Personal pages (and replies that set a cookie) stay out of every shared cache.
    if (is_personal_request(req) || !reply->set_cookies.empty()) out->cache_control = "private, no-store";
    out->set_cookies = std::move(reply->set_cookies);
    out->location = std::move(reply->location);
    if (!reply->download_name.empty()) out->disposition = "attachment; filename=\"" + reply->download_name + "\"";
    out->last_modified = reply->last_modified > 0 ? reply->last_modified : data_changed_at.load();
    out->etag = "\"" + content_hash_hex(out->body) + "\"";
    return out;
  }

  void serve(const Handler& h, const httplib::Request& raw, httplib::Response& res, bool is_get) {
    Request req = to_request(raw);
    bool cacheable = is_get;
    std::int64_t gen = current_generation();
    std::int64_t now = core::unix_now();
    // A logged-in client's pages show its own votes and forms: never from or into the shared cache.
    if (is_personal_request(req)) cacheable = false;
    std::shared_ptr<const CachedResponse> r = cacheable ? cache.get(req.target, gen, now) : nullptr;
    if (!r) r = cacheable ? render_once(h, req, gen, now) : render_fresh(h, req, is_get, gen, now, false);
    write(raw, res, r);
  }

  // Renders a reply; GET handlers only compute and read, so they run on the render pool, while
  // writes (which may wait on the network, e.g. a submission's arXiv lookup) must not hold a worker
  // that pages wait for. `cacheable` replies that anyone may see go into the response cache.
  std::shared_ptr<const CachedResponse> render_fresh(const Handler& h, const Request& req, bool is_get,
                                                     std::int64_t gen, std::int64_t now, bool cacheable) {
    std::shared_ptr<const CachedResponse> fresh;
    if (is_get) {
      render_pool.run([&] { fresh = render(h, req); });
    } else {
      fresh = render(h, req);
    }
    auto mutable_copy = std::const_pointer_cast<CachedResponse>(fresh);
    mutable_copy->generation = gen;
    mutable_copy->stored_at = now;
    if (cacheable && is_shareable(*fresh)) cache.put(req.target, fresh);
    return fresh;
  }

  static bool is_shareable(const CachedResponse& r) {
    return r.status == 200 && r.cache_control.starts_with("public") && r.set_cookies.empty();
  }

  // One render per URL and data generation at a time: requests for a page that is being rendered
  // wait for that render instead of starting their own (after every vote or ingest the popular
  // pages are stale at once, and each of 64 connections would otherwise render the same page).
  // A reply that is not for everyone (a cookie, an error) is not shared: the waiters render theirs.
  std::shared_ptr<const CachedResponse> render_once(const Handler& h, const Request& req, std::int64_t gen,
                                                    std::int64_t now) {
    using Reply = std::shared_ptr<const CachedResponse>;
    std::string key = req.target + '\n' + std::to_string(gen);
    std::promise<Reply> mine;
    std::shared_future<Reply> theirs;
    {
      std::lock_guard lock(flights_mu);
      auto it = flights.find(key);
      if (it == flights.end()) {
        flights.emplace(key, mine.get_future().share());
      } else {
        theirs = it->second;
      }
    }
    if (theirs.valid()) {
      Reply shared = theirs.get();
      return is_shareable(*shared) ? shared : render_fresh(h, req, true, gen, now, true);
    }
    Reply fresh;
    try {
      fresh = render_fresh(h, req, true, gen, now, true);
      mine.set_value(fresh);
    } catch (...) {
      mine.set_exception(std::current_exception());
      std::lock_guard lock(flights_mu);
      flights.erase(key);
      throw;
    }
    std::lock_guard lock(flights_mu);
    flights.erase(key);
    return fresh;
  }

  static void write(const httplib::Request& req, httplib::Response& res, std::shared_ptr<const CachedResponse> rp) {
    const CachedResponse& r = *rp;
    res.status = r.status;
    res.set_header("Cache-Control", r.cache_control);
    res.set_header("Vary", "Accept-Encoding");
    if (!r.disposition.empty()) res.set_header("Content-Disposition", r.disposition);
    if (!r.location.empty()) res.set_header("Location", r.location);
    for (const auto& c : r.set_cookies) res.set_header("Set-Cookie", c);
    Encoding e = choose_encoding(req, r.body, r.content_type);
    if (r.status == 200) {
      res.set_header("ETag", etag_for(r.etag, e));
      res.set_header("Last-Modified", core::format_rfc2822(r.last_modified));
      // RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since.
      bool not_modified = false;
      if (req.has_header("If-None-Match")) {
        not_modified = etag_matches(req.get_header_value("If-None-Match"), r.etag);
      } else if (req.has_header("If-Modified-Since")) {
        auto since = core::parse_rfc2822(req.get_header_value("If-Modified-Since"));
        not_modified = since && *since >= r.last_modified;
      }
      if (not_modified && (req.method == "GET" || req.method == "HEAD")) {
        res.status = 304;
        return;
      }
    }
    send_body(res, e, r.body, r.content_type, r.variants, std::move(rp));
  }

  void static_route() {
    http.Get(R"(/static/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      const Asset* a = assets.find(req.path);
      if (a == nullptr) {
        res.status = 404;
        res.set_content("no such asset\n", "text/plain; charset=utf-8");
        return;
      }
      std::string etag = "\"" + req.path.substr(req.path.rfind('/') + 1) + "\"";
      Encoding e = choose_encoding(req, a->content, a->content_type);
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
      res.set_header("Vary", "Accept-Encoding");
      res.set_header("ETag", etag_for(etag, e));
      if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), etag)) {
        res.status = 304;
        return;
      }
      send_body(res, e, a->content, a->content_type, *a->variants, a->variants);
    });
  }

  void health_route() {
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      nlohmann::json body = {{"status", "ok"}, {"uptime_s", core::unix_now() - started_at}};
      auto stats = store.max_change_seq();
      if (stats) {
        body["store"] = {{"ok", true}, {"max_change_seq", *stats}};
      } else {
        body["status"] = "degraded";
        body["store"] = {{"ok", false}, {"error", stats.error().to_string()}};
      }
      body["search"] = options.search != nullptr ? "enabled" : "unavailable";
      if (options.health_details) body.update(options.health_details());
      res.status = body["status"] == "ok" ? 200 : 503;
      res.set_header("Cache-Control", "no-store");
      res.set_content(body.dump(), "application/json");
    });
  }

  void setup() {
    http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "strict-origin-when-cross-origin"},
                              {"X-Frame-Options", "DENY"},
                              {"Cross-Origin-Opener-Policy", "same-origin"}});
    http.set_payload_max_length(options.max_request_body_bytes);
    // Linux copies TCP_NODELAY from the listening socket to accepted ones. Without it a small body
    // written after the headers waits for the client's delayed ACK (~40 ms per response).
    // Not httplib::default_socket_options: it adds SO_REUSEPORT, which would let a second server
    // silently share the port instead of failing to start.
    http.set_socket_options([this](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      listen_socket = sock;  // the socket httplib is about to bind and listen on
    });
    // httplib holds a worker thread per keep-alive connection (size server.threads to the expected
    // concurrent connections). Recycling connections after 100 requests and dropping idle ones
    // after 1 s keeps waiting connections from starving when they outnumber the threads (a
    // browser opens several at once for a page's assets).
    http.set_keep_alive_max_count(100);
    http.set_keep_alive_timeout(1);
    http.set_read_timeout(10, 0);
    http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
      t_request_start = std::chrono::steady_clock::now();
      // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3),
      // e.g. `curl -X POST URL` casting an upvote. httplib 0.11 would instead read until the
      // connection closes and answer 400, so the length is made explicit before it reads. The
      // handler sees a const view of the Request object httplib owns (not a const object).
      if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
        const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty() || res.content_length_ > 0) return;  // the handler's own page (send_body)
      std::string heading = res.status == 404 ? "Not found" : res.status == 413 ? "Request too large" : "Error";
      std::string text =
          res.status == 404 ? "There is no page at " + req.path + "." : "The request could not be served.";
      if (req.path.starts_with("/api/")) {
        res.set_content(nlohmann::json{{"error", text}, {"status", res.status}}.dump(
                            -1, ' ', false, nlohmann::json::error_handler_t::replace),
                        "application/json");
      } else {
        res.set_content(message_page(views, heading, {text}), "text/html; charset=utf-8");
      }
    });
    if (options.access_log) {
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
        nlohmann::json line = {{"type", "access"},
                               {"remote", req.remote_addr},
                               {"method", req.method},
                               {"target", req.target},
                               {"status", res.status},
                               // Replies from send_body are streamed: their length is the provider's.
                               {"bytes", res.body.empty() ? res.content_length_ : res.body.size()},
                               {"ms", std::round(ms * 100) / 100}};
        spdlog::info("{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      });
    }
    health_route();
    static_route();
    // Browsers ask for /favicon.ico on their own; answer "nothing" cheaply instead of a 404 page.
    http.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) {
      res.status = 204;
      res.set_header("Cache-Control", "public, max-age=86400");
    });
    // CSRF tokens protect every form (subscriptions too), with or without accounts.
    std::string key = options.signing_key_hex;
    if (key.empty()) {
      auto shared = store::signing_key_hex(store);
      if (!shared) throw std::runtime_error("signing key: " + shared.error().to_string());
      key = *shared;
    }
    auto made = core::Signer::make(key);
    if (!made) throw std::runtime_error("signing key: " + made.error().to_string());
    csrf = std::make_unique<Csrf>(*made, options.public_url.starts_with("https://"));
    signer.emplace(std::move(*made));
    ctx.signer = &*signer;
    ctx.csrf = csrf.get();
    if (options.community != nullptr) {
      accounts = std::make_unique<community::AccountService>(*options.community, options.account_options);
      ctx.accounts = accounts.get();
      if (!options.send_mail) {
        options.send_mail = [](const std::string& email, const std::string& subject, const std::string& body) {
          spdlog::info("no mail sender configured; mail to {} ({}): {}", email, subject, body);
        };
      }
      add_auth_routes(ctx);
      add_vote_routes(ctx);  // before the API's /api/papers/(.+)
      if (options.curation != nullptr) {
        submissions = std::make_unique<community::SubmissionService>(store, *options.curation, options.paper_lookup,
                                                                     options.submission_options);
        ctx.curation = options.curation;
        ctx.submissions = submissions.get();
        add_curation_routes(ctx);
      }
      if (options.library != nullptr) {
        ctx.library = options.library;
        const auto& lo = options.library_options;
        comment_limiter = std::make_unique<community::RateLimiter>(lo.comments_per_window, lo.comment_window_s);
        ctx.comment_limiter = comment_limiter.get();
        // An account's collections, follows and comments go before the account itself.
        accounts->add_deletion_step([lib = options.library](std::int64_t id) { return lib->delete_account_data(id); });
        add_collection_routes(ctx);
        add_follow_routes(ctx);
        add_comment_routes(ctx);  // before the API's /api/papers/(.+)
      }
    }
    add_recommend_routes(ctx);
    add_listing_routes(ctx);
    add_api_routes(ctx);  // before the paper routes: /api/papers/ID/similar
    add_feed_routes(ctx);
    add_search_routes(ctx);
    add_people_routes(ctx);
    add_subscribe_routes(ctx);
    add_paper_routes(ctx);
  }
};

WebServer::WebServer(store::Store& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
  impl_->setup();
  int threads = std::max(1, impl_->options.threads);
  impl_->http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
}

WebServer::~WebServer() = default;

Result<int> WebServer::bind() {
  if (impl_->options.port == 0) {
    int port = impl_->http.bind_to_any_port(impl_->options.host);
    if (port <= 0) return fail(Status::io_error("cannot bind " + impl_->options.host));
    impl_->options.port = port;
  } else if (!impl_->http.bind_to_port(impl_->options.host, impl_->options.port)) {
    return fail(Status::io_error("cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
                                 " (in use?)"));
  }
  // httplib (0.11, compiled into Debian's shared library) listens with a backlog of 5: a burst of
  // new connections overflows it, and a client whose handshake completes while the accept queue is
  // full waits for a reply that never comes. Linux lets listen() on a listening socket raise the
  // backlog (capped by net.core.somaxconn).
  if (impl_->listen_socket >= 0 && ::listen(impl_->listen_socket, SOMAXCONN) != 0) {
    spdlog::warn("could not raise the listen backlog: {}", std::strerror(errno));
  }
  impl_->bound = true;
  return impl_->options.port;
}

Status WebServer::run() {
  if (!impl_->bound) {
    auto port = bind();
    if (!port) return port.error();
  }
  if (!impl_->http.listen_after_bind()) return Status::io_error("server stopped with an error");
  return Status::ok();
}

void WebServer::stop() {
  impl_->http.stop();
}

}  // namespace paperboy::web
