#include "web/server.h"

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

#include "core/time.h"
#include "store/community_store.h"
#include "store/thumbnail_files.h"
#include "web/assets.h"
#include "web/csrf.h"
#include "web/http/request_decoder.h"
#include "web/http/router.h"
#include "web/http/transport.h"
#include "web/http/worker_pool.h"
#include "web/http_status.h"
#include "web/metrics.h"
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
Encoding choose_encoding(const Request& req, std::string_view body, std::string_view content_type) {
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

// Sends `body` in coding `e`, from `variants` (compressed once per body, not per request); the
// reply points into memory that `owner` keeps alive until the transport has written it.
void send_body(Response& res, Encoding e, std::string_view body, const std::string& content_type,
               CompressedVariants& variants, std::shared_ptr<const void> owner) {
  res.headers.emplace_back("Content-Type", content_type);
  if (body.empty()) return;
  res.body = variants.get(e, body);
  if (e != Encoding::kIdentity) res.headers.emplace_back("Content-Encoding", std::string(encoding_name(e)));
  res.owner = std::move(owner);
}

// JSON replies never throw on invalid UTF-8 in what they echo (issue 13 row 1): it is replaced.
std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> security_headers() {
  return {{"Content-Security-Policy", kContentSecurityPolicy},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "strict-origin-when-cross-origin"},
          {"X-Frame-Options", "DENY"},
          {"Cross-Origin-Opener-Policy", "same-origin"}};
}

}  // namespace

struct WebServer::Impl {
  store::Store& store;
  ServerOptions options;
  RenderPool render_pool;  // uncached GET renders; declared before `http`, so it outlives its users
  std::mutex flights_mu;   // guards `flights`: renders in progress by URL and generation
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const CachedResponse>>> flights;
  Router router;
  TrustedProxies proxies;
  bool bound = false;
  std::int64_t started_at = core::unix_now();
  Assets assets;
  Views views;
  ResponseCache cache;
  std::unique_ptr<SearchGate> search_gate;  // what the routes search through
  std::unique_ptr<community::AccountService> accounts;
  std::unique_ptr<app::VoteService> votes;
  std::unique_ptr<community::SubmissionService> submissions;
  std::unique_ptr<app::CurationService> curator;
  std::unique_ptr<app::ListingService> listings;
  std::unique_ptr<Csrf> csrf;
  std::unique_ptr<app::LibraryService> library;
  std::unique_ptr<app::ProfileService> profiles;
  std::unique_ptr<app::TrendService> trends;
  std::optional<core::Signer> signer;
  app::PaperService papers;  // before ctx, which holds it
  app::AuthorService authors;
  RouteContext ctx;
  // The store's change sequence, re-read at most once a second: a cheap cache key for "the data".
  std::atomic<std::int64_t> generation{-1};
  std::atomic<std::int64_t> generation_checked_ms{0};
  std::mutex generation_mu;  // one refresh of `generation` at a time; the others wait for it
  std::atomic<std::int64_t> data_changed_at{core::unix_now()};
  std::atomic<std::int64_t> last_votes{0};
  std::atomic<std::int64_t> last_curation{0};
  std::atomic<std::int64_t> last_library{0};
  // Declared last: destroyed first, so the workers finish before what they use goes away, and
  // the transport (whose io_context the workers post replies to) outlives them.
  std::unique_ptr<HttpTransport> transport;
  std::unique_ptr<HttpTransport> metrics_transport;  // metrics_listen: /metrics on its own listener
  int metrics_port = 0;
  std::unique_ptr<WorkerPool> workers;

  // The listener of metrics_listen: GET /metrics and nothing else, on one io thread.
  Status setup_metrics_listener() {
    const std::string& listen = options.metrics_listen;
    auto colon = listen.rfind(':');
    std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = -1;
    if (colon != std::string::npos) {
      std::string digits = listen.substr(colon + 1);
      if (!digits.empty() && digits.size() <= 5 && digits.find_first_not_of("0123456789") == std::string::npos) {
        port = std::stoi(digits);
      }
    }
    if (host.empty() || port < 0 || port > 65535) {
      return Status::invalid_argument("metrics.listen must be HOST:PORT (e.g. 127.0.0.1:9464), got '" + listen + "'");
    }
    TransportOptions m;
    m.host = host;
    m.port = port;
    m.io_threads = 1;
    m.access_log = false;
    m.default_headers = security_headers();
    metrics_transport = std::make_unique<HttpTransport>(
        std::move(m), [metrics = options.metrics](RawRequest&& raw, const HttpTransport::Reply& reply) {
          std::string_view path(raw.target);
          path = path.substr(0, path.find('?'));
          if ((raw.method == "GET" || raw.method == "HEAD") && path == "/metrics") {
            return reply(text_response(200, metrics->render(), "text/plain; version=0.0.4; charset=utf-8"));
          }
          reply(text_response(404, "Only /metrics is served here.\n", "text/plain; charset=utf-8"));
        });
    return Status::ok();
  }

  Impl(store::Store& s, ServerOptions o)
      : store(s),
        options(std::move(o)),
        render_pool(options.render_concurrency),
        assets(options.katex_dir),
        views(assets),
        cache(options.cache_entries, options.cache_ttl_s),
        papers(s, options.thumbnails),
        authors(s),
        ctx{papers, options.search, views, options} {
    ctx.authors = &authors;
    if (options.search != nullptr) {
      search_gate = std::make_unique<SearchGate>(*options.search, options.search_concurrency);
      ctx.search = search_gate.get();
      trends = std::make_unique<app::TrendService>(*search_gate, store);
      ctx.trends = trends.get();
    }
    ctx.get = [this](const std::string& pattern, Handler h) { router.add("GET", pattern, std::move(h)); };
    ctx.post = [this](const std::string& pattern, Handler h) { router.add("POST", pattern, std::move(h)); };
    ctx.put = [this](const std::string& pattern, Handler h) { router.add("PUT", pattern, std::move(h)); };
    ctx.del = [this](const std::string& pattern, Handler h) { router.add("DELETE", pattern, std::move(h)); };
  }

  std::int64_t current_generation() {
    auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    // One thread refreshes the store's part at a time, and the others wait for its answer: a request
    // that read the old value while another refreshed it would key the same page differently and
    // render it a second time (the first burst after start did, on a loaded machine).
    std::unique_lock refreshing(generation_mu, std::defer_lock);
    if (now_ms - generation_checked_ms.load() >= 1000) refreshing.lock();
    if (refreshing.owns_lock() && now_ms - generation_checked_ms.load() >= 1000) {
      auto seq = store.max_change_seq();
      // Twice the store's sequence, plus one once the search indexes have caught up with it: the key
      // moves when the store changes (listings) and again when search sees the change, so a search
      // result cached while the index lagged (another process ingested) is not served after.
      std::int64_t g = -2;
      if (seq) {
        bool is_indexed = options.search == nullptr || options.search->indexed_seq() >= *seq;
        g = *seq * 2 + (is_indexed ? 1 : 0);
      }
      // A thumbnail made after a page was cached (by serve's job or `paperboy thumbnails` in
      // another process) shows on its next render. Only grows, as the other counters.
      if (options.thumbnails != nullptr && g >= 0) {
        auto thumbs = options.thumbnails->generation();
        g = thumbs ? g + *thumbs : -2;
      }
      if (g != generation.exchange(g)) data_changed_at = core::unix_now();
      generation_checked_ms = now_ms;
    }
    if (refreshing.owns_lock()) refreshing.unlock();
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
    } catch (...) {
      spdlog::error("{} {}: unknown exception", req.method, req.target);
      reply = fail(Status::internal("unknown exception"));
    }
    if (!reply) {
      const Status& s = reply.error();
      out->status = http_status(s);
      // Internal errors are logged in full and shown without details.
      std::string message = out->status == 500 ? "internal error; the server log has the details" : s.message();
      if (out->status == 500) spdlog::error("{} {}: {}", req.method, req.target, s.to_string());
      out->retry_after_s = s.retry_after_s();
      if (req.path.starts_with("/api/")) {
        out->body = dump_json({{"error", message}, {"status", out->status}});
        out->content_type = "application/json";
      } else if (req.path.starts_with("/feeds/") || req.path.ends_with(".bib")) {
        out->body = message + "\n";
        out->content_type = "text/plain; charset=utf-8";
      } else if (out->status == 401) {
        // A page that needs an account sends the visitor to log in, and back here afterwards.
        out->status = 303;
        out->location = login_path(req.method == "GET" ? req.target : req.get_param_value("back"));
      } else {
        // The viewer's header too: a logged-in reader must not look logged out on an error page.
        out->body = message_page(ctx, req, std::string(error_heading(out->status)), {message});
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
    out->retry_after_s = reply->retry_after_s;
    out->varies_by_cookie = reply->varies_by_cookie;
    if (!reply->download_name.empty()) out->disposition = "attachment; filename=\"" + reply->download_name + "\"";
    out->last_modified = reply->last_modified > 0 ? reply->last_modified : data_changed_at.load();
    out->etag = "\"" + content_hash_hex(out->body) + "\"";
    return out;
  }

  // Runs on a worker: renders (single-flight for shared GETs) and answers.
  Response serve(const Handler& h, const Request& req, bool is_get) {
    bool cacheable = is_get && !is_personal_request(req);
    std::int64_t gen = current_generation();
    std::int64_t now = core::unix_now();
    std::shared_ptr<const CachedResponse> r = cacheable ? cache.get(cache_key(req), gen, now) : nullptr;
    if (!r) r = cacheable ? render_once(h, req, gen, now) : render_fresh(h, req, is_get, gen, now, false);
    return to_response(req, std::move(r));
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
    if (cacheable && is_shareable(*fresh)) cache.put(cache_key(req), fresh);
    return fresh;
  }

  // The response cache key: the target, and the listing view the cookie asks for (a page that
  // does not depend on it is cached once per view, which costs a render and no correctness).
  static std::string cache_key(const Request& req) {
    std::string view = view_cookie(req);
    return view.empty() ? req.target : req.target + "\nview=" + view;
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
    std::string key = cache_key(req) + '\n' + std::to_string(gen);
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

  static Response to_response(const Request& req, std::shared_ptr<const CachedResponse> rp) {
    const CachedResponse& r = *rp;
    Response res;
    res.status = r.status;
    res.client = req.remote_addr;
    res.headers.emplace_back("Cache-Control", r.cache_control);
    res.headers.emplace_back("Vary", r.varies_by_cookie ? "Accept-Encoding, Cookie" : "Accept-Encoding");
    if (!r.disposition.empty()) res.headers.emplace_back("Content-Disposition", r.disposition);
    if (!r.location.empty()) res.headers.emplace_back("Location", r.location);
    if (r.retry_after_s > 0) res.headers.emplace_back("Retry-After", std::to_string(r.retry_after_s));
    for (const auto& c : r.set_cookies) res.headers.emplace_back("Set-Cookie", c);
    Encoding e = choose_encoding(req, r.body, r.content_type);
    if (r.status == 200) {
      res.headers.emplace_back("ETag", etag_for(r.etag, e));
      res.headers.emplace_back("Last-Modified", core::format_rfc2822(r.last_modified));
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
        return res;
      }
    }
    send_body(res, e, r.body, r.content_type, r.variants, std::move(rp));
    return res;
  }

  // An error the server answers before any handler runs (no route, a request the request layer
  // refused, a full queue): JSON under /api/, a page elsewhere.
  Response error_response(int status, const std::string& path, const std::string& text,
                          const std::string& client) const {
    Response res = path.starts_with("/api/")
                       ? text_response(status, dump_json({{"error", text}, {"status", status}}), "application/json")
                       : text_response(status, message_page(views, std::string(error_heading(status)), {text}),
                                       "text/html; charset=utf-8");
    res.headers.emplace_back("Cache-Control", "no-store");
    res.client = client;
    return res;
  }

  // The request layer and the router: the decoded request and its route, or the reply refusing it.
  struct Routed {
    std::shared_ptr<Request> req;
    const Router::Route* route = nullptr;
    std::optional<Response> refusal;
    std::string refusal_text;  // what the refusal page says (404, 405)
  };
  Routed route_request(RawRequest&& raw) const {
    std::string path(std::string_view(raw.target).substr(0, raw.target.find('?')));
    std::string peer = raw.peer_addr;
    auto decoded = decode_request(std::move(raw), proxies);
    if (!decoded) return {nullptr, nullptr, error_response(400, path, decoded.error().message(), peer)};
    Routed out{std::make_shared<Request>(std::move(*decoded)), nullptr, std::nullopt};
    std::string allowed;
    out.route = router.match(*out.req, &allowed);
    if (out.route == nullptr && !is_builtin(*out.req)) {
      if (allowed.empty() && is_builtin_path(out.req->path)) allowed = "GET, HEAD";
      if (allowed.empty()) {
        out.refusal_text = "There is no page at " + out.req->path + ".";
        out.refusal = error_response(404, out.req->path, out.refusal_text, out.req->remote_addr);
      } else {
        // RFC 9110 §15.5.6: the path exists, the method does not; say which ones do.
        out.refusal_text = out.req->method + " is not allowed here; use " + allowed + ".";
        out.refusal = error_response(405, out.req->path, out.refusal_text, out.req->remote_addr);
        out.refusal->headers.emplace_back("Allow", allowed);
      }
    }
    return out;
  }

  static bool is_builtin_path(const std::string& path) {
    return path == "/healthz" || path == "/favicon.ico" || path.starts_with("/static/") || is_thumbnail_path(path);
  }
  static bool is_thumbnail_path(const std::string& path) { return path.starts_with("/thumbs/"); }
  static bool is_builtin(const Request& req) {
    return (req.method == "GET" || req.method == "HEAD") && is_builtin_path(req.path);
  }

  // On an io thread: what can be answered from memory is answered here; the rest goes to a worker.
  void dispatch(RawRequest&& raw, const HttpTransport::Reply& reply) {
    Routed routed = route_request(std::move(raw));
    if (routed.refusal) return refuse(std::move(routed), reply);
    std::shared_ptr<Request> req = std::move(routed.req);
    if (is_builtin(*req) && is_thumbnail_path(req->path)) return serve_thumbnail(req, reply);
    if (is_builtin(*req)) return reply(builtin(*req));
    const Router::Route* route = routed.route;
    bool is_get = route->method == "GET";
    if (is_get && !options.generation_reads_database && !is_personal_request(*req)) {
      auto cached = cache.get(cache_key(*req), current_generation(), core::unix_now());
      if (cached) return reply(to_response(*req, std::move(cached)));
    }
    bool queued = workers->try_post([this, req, route, is_get, reply] {
      try {
        reply(serve(route->handler, *req, is_get));
      } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", req->method, req->target, e.what());
        reply(error_response(500, req->path, "internal error; the server log has the details", req->remote_addr));
      } catch (...) {
        spdlog::error("{} {}: unknown exception", req->method, req->target);
        reply(error_response(500, req->path, "internal error; the server log has the details", req->remote_addr));
      }
    });
    if (!queued) {
      Response busy = error_response(503, req->path, "The server is busy; try again in a moment.", req->remote_addr);
      busy.headers.emplace_back("Retry-After", "1");
      reply(std::move(busy));
    }
  }

  // A refused request's page (404, 405) has the same header as every other page. A logged-in
  // reader's account is found in the database, so their page is made on a worker, not here.
  void refuse(Routed&& routed, const HttpTransport::Reply& reply) {
    auto refusal = std::make_shared<Response>(std::move(*routed.refusal));
    std::shared_ptr<Request> req = std::move(routed.req);
    bool is_page = req != nullptr && !routed.refusal_text.empty() && !req->path.starts_with("/api/");
    if (!is_page) return reply(std::move(*refusal));
    auto with_header = [this, req, refusal, text = std::move(routed.refusal_text), reply] {
      auto page =
          std::make_shared<std::string>(message_page(ctx, *req, std::string(error_heading(refusal->status)), {text}));
      refusal->body = *page;
      refusal->owner = std::move(page);
      reply(std::move(*refusal));
    };
    if (!is_personal_request(*req)) return with_header();
    if (!workers->try_post(with_header)) reply(std::move(*refusal));
  }

  Response builtin(const Request& req) {
    if (req.path == "/healthz") return health(req);
    if (req.path == "/favicon.ico") return favicon(req);
    return static_asset(req);
  }

  // Browsers ask for /favicon.ico on their own; pages also name the icon with <link rel="icon">.
  Response favicon(const Request& req) {
    const Asset* a = assets.find(assets.url_for("favicon.svg"));
    if (a == nullptr) return text_response(404, "no icon\n", "text/plain; charset=utf-8");
    Response res;
    res.client = req.remote_addr;
    res.headers.emplace_back("Cache-Control", "public, max-age=86400");
    res.headers.emplace_back("Vary", "Accept-Encoding");
    send_body(res, choose_encoding(req, a->content, a->content_type), a->content, a->content_type, *a->variants,
              a->variants);
    return res;
  }

  Response static_asset(const Request& req) {
    const Asset* a = assets.find(req.path);
    if (a == nullptr) return text_response(404, "no such asset\n", "text/plain; charset=utf-8");
    Response res;
    res.client = req.remote_addr;
    std::string etag = "\"" + req.path.substr(req.path.rfind('/') + 1) + "\"";
    Encoding e = choose_encoding(req, a->content, a->content_type);
    res.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    res.headers.emplace_back("Vary", "Accept-Encoding");
    res.headers.emplace_back("ETag", etag_for(etag, e));
    if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), etag)) {
      res.status = 304;
      return res;
    }
    send_body(res, e, a->content, a->content_type, *a->variants, a->variants);
    return res;
  }

  // GET /thumbs/HASH.webp: a thumbnail image. The name is its content hash, so it never changes:
  // browsers and proxies keep it for a year. Anything but 32 lower-case hex digits is a 404 before
  // the file system is touched. The file is read on a worker, never on an io thread.
  void serve_thumbnail(const std::shared_ptr<Request>& req, const HttpTransport::Reply& reply) {
    auto answer = [this, req, reply] {
      std::string_view name = std::string_view(req->path).substr(std::string_view("/thumbs/").size());
      std::string_view hash = name.ends_with(".webp") ? name.substr(0, name.size() - 5) : std::string_view();
      Result<std::string> image = fail(Status::not_found("no thumbnail"));
      if (!options.thumbnail_dir.empty() && store::ThumbnailFiles::is_valid_hash(hash)) {
        image = store::ThumbnailFiles(options.thumbnail_dir).read(hash);
      }
      if (!image) {
        if (image.error().code() != StatusCode::kNotFound)
          spdlog::error("{}: {}", req->path, image.error().to_string());
        Response res = text_response(404, "no such thumbnail\n", "text/plain; charset=utf-8");
        res.headers.emplace_back("Cache-Control", "no-store");
        res.client = req->remote_addr;
        return reply(std::move(res));
      }
      std::string etag = "\"" + std::string(hash) + "\"";
      Response res;
      res.client = req->remote_addr;
      res.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
      res.headers.emplace_back("ETag", etag);
      if (req->has_header("If-None-Match") && etag_matches(req->get_header_value("If-None-Match"), etag)) {
        res.status = 304;
        return reply(std::move(res));
      }
      auto body = std::make_shared<std::string>(std::move(*image));
      res.headers.emplace_back("Content-Type", "image/webp");
      res.body = *body;
      res.owner = std::move(body);
      reply(std::move(res));
    };
    if (!workers->try_post(answer)) {
      Response busy = error_response(503, req->path, "The server is busy; try again in a moment.", req->remote_addr);
      busy.headers.emplace_back("Retry-After", "1");
      reply(std::move(busy));
    }
  }

  Response health(const Request& req) {
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
    Response res = text_response(body["status"] == "ok" ? 200 : 503, dump_json(body), "application/json");
    res.headers.emplace_back("Cache-Control", "no-store");
    res.client = req.remote_addr;
    return res;
  }

  // Builds the transport, the workers and the routes; an error for options that cannot work.
  Status setup() {
    auto parsed_proxies = TrustedProxies::parse(options.trusted_proxies);
    if (!parsed_proxies) return parsed_proxies.error();
    proxies = *parsed_proxies;
    TransportOptions t;
    t.host = options.host;
    t.port = options.port;
    t.io_threads = options.io_threads;
    t.limits = options.limits;
    t.access_log = options.access_log;
    t.access_log_format = options.access_log_format;
    if (options.metrics != nullptr) {
      t.observe = [metrics = options.metrics](std::string_view target, int status, double seconds) {
        metrics->observe_request(target.substr(0, target.find('?')), status, seconds);
      };
    }
    t.default_headers = security_headers();
    t.trusted_proxies = proxies;
    transport = std::make_unique<HttpTransport>(
        std::move(t), [this](RawRequest&& raw, HttpTransport::Reply reply) { dispatch(std::move(raw), reply); });
    workers = std::make_unique<WorkerPool>(std::max(1, options.threads), options.max_queued);
    if (options.metrics != nullptr && !options.metrics_listen.empty()) {
      if (Status s = setup_metrics_listener(); !s.is_ok()) return s;
    }
    // CSRF tokens protect every form (subscriptions too), with or without accounts.
    std::string key = options.signing_key_hex;
    if (key.empty()) {
      auto shared = store::signing_key_hex(store);
      if (!shared) return shared.error().with_context("signing key");
      key = *shared;
    }
    auto made = core::Signer::make(key);
    if (!made) return made.error().with_context("signing key");
    csrf = std::make_unique<Csrf>(*made, options.public_url.starts_with("https://"));
    signer.emplace(std::move(*made));
    ctx.signer = &*signer;
    ctx.csrf = csrf.get();
    if (options.community != nullptr) {
      accounts = std::make_unique<community::AccountService>(*options.community, options.account_options);
      ctx.accounts = accounts.get();
      votes = std::make_unique<app::VoteService>(store, *options.community);
      ctx.votes = votes.get();
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
        curator = std::make_unique<app::CurationService>(store, *options.curation, *options.community);
        ctx.submissions = submissions.get();
        ctx.curator = curator.get();
        add_curation_routes(ctx);
      }
      if (options.library != nullptr) {
        library = std::make_unique<app::LibraryService>(store, *options.library, options.library_options);
        ctx.library = library.get();
        // An account's collections, follows and comments go before the account itself.
        accounts->add_deletion_step([lib = library.get()](std::int64_t id) { return lib->delete_account_data(id); });
        add_collection_routes(ctx);
        add_follow_routes(ctx);
        add_comment_routes(ctx);  // before the API's /api/papers/(.+)
        profiles = std::make_unique<app::ProfileService>(store, *options.community, *options.library, options.curation);
        ctx.profiles = profiles.get();
        add_profile_routes(ctx);
      }
    }
    // Listings are curated when curation is on (it needs the community features).
    listings = std::make_unique<app::ListingService>(store, curator != nullptr ? options.curation : nullptr,
                                                     options.community);
    ctx.listings = listings.get();
    if (options.metrics != nullptr) add_server_gauges(*options.metrics, render_pool, search_gate.get());
    add_operations_routes(ctx);  // /metrics, /api/openapi.json
    add_recommend_routes(ctx);
    add_listing_routes(ctx);
    add_api_routes(ctx);  // before the paper routes: /api/papers/ID/similar
    add_feed_routes(ctx);
    add_search_routes(ctx);
    add_trend_routes(ctx);
    add_people_routes(ctx);
    add_subscribe_routes(ctx);
    add_paper_routes(ctx);
    return Status::ok();
  }
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<WebServer>> WebServer::create(store::Store& store, ServerOptions options) {
  auto impl = std::make_unique<Impl>(store, std::move(options));
  if (Status s = impl->setup(); !s.is_ok()) return fail(s);
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

WebServer::~WebServer() {
  impl_->transport->stop();
}

Result<int> WebServer::bind() {
  if (impl_->metrics_transport) {
    auto metrics_port = impl_->metrics_transport->bind();
    if (!metrics_port) return metrics_port;
    impl_->metrics_port = *metrics_port;
  }
  auto port = impl_->transport->bind();
  if (!port) return port;
  impl_->options.port = *port;
  impl_->bound = true;
  return *port;
}

Status WebServer::run() {
  if (!impl_->bound) {
    auto port = bind();
    if (!port) return port.error();
  }
  std::thread metrics_thread;
  if (impl_->metrics_transport) {
    metrics_thread = std::thread([t = impl_->metrics_transport.get()] {
      Status s = t->run();
      if (!s.is_ok()) spdlog::error("metrics listener: {}", s.to_string());
    });
  }
  Status s = impl_->transport->run();
  if (metrics_thread.joinable()) {
    impl_->metrics_transport->stop();
    metrics_thread.join();
  }
  return s;
}

void WebServer::stop() {
  impl_->transport->stop();
}

int WebServer::metrics_port() const {
  return impl_->metrics_port;
}

void WebServer::stop_on_signals() {
  impl_->transport->stop_on_signals();
}

int WebServer::preflight(std::string_view bytes) const {
  TransportOptions t;
  t.limits = impl_->options.limits;
  ParsedRequest parsed = parse_request_bytes(bytes, t);
  if (parsed.is_incomplete) return 400;
  if (parsed.refused_status != 0) return parsed.refused_status;
  Impl::Routed routed = impl_->route_request(std::move(parsed.request));
  return routed.refusal ? routed.refusal->status : 0;
}

}  // namespace paperboy::web
