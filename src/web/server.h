// WebServer: the HTTP front of `paperboy serve`. Routes requests (route files under routes/) that
// the event-driven transport (http/transport.h) read and the request layer (http/request_decoder.h)
// decoded, calls into the store and the search service, renders HTML/JSON/XML. Adds what every
// response needs: security headers, ETag/Last-Modified with 304s, cache headers, compression made
// once per body, a response cache and a structured access log. Cached replies, /healthz and static
// assets are answered on the io threads; every other request runs on a bounded worker pool.
// run() blocks serving; stop() may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/library_service.h"
#include "community/accounts.h"
#include "community/submissions.h"
#include "core/status.h"
#include "search/search_service.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/library_store.h"
#include "store/store.h"
#include "store/thumbnail_store.h"
#include "web/http/transport.h"

namespace paperboy::mail {
class SubscriptionService;
}
namespace paperboy::rank {
class Recommender;
}

namespace paperboy::web {

class Metrics;

// Limits of the library features (collections, follows, comments), per account: the service's.
using LibraryOptions = app::LibraryOptions;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  // Requests in handlers at once (the worker pool); more wait in a queue of `max_queued`, and
  // beyond that the server answers 503 with Retry-After.
  int threads = 8;
  size_t max_queued = 1000;
  // Threads accepting, parsing and writing (connections are not bound to threads).
  int io_threads = 2;
  // Per-client limits (request sizes, deadlines, connection caps); max_body_bytes is 64 KiB.
  ConnectionLimits limits;
  // Reverse proxies whose X-Forwarded-For/-Proto are believed: "127.0.0.1, 10.0.0.0/8, ::1".
  std::string trusted_proxies;
  // Extra fields merged into /healthz (e.g. the harvest scheduler's last run).
  std::function<nlohmann::json()> health_details;
  // Search and similar papers; null: the search page says search is unavailable.
  search::SearchService* search = nullptr;
  // Searches and similar-paper queries computed at once (0: one per core); the rest wait their turn
  // so cached pages keep their latency during a burst of uncached searches (web/search_gate.h).
  int search_concurrency = 0;
  // Worker threads rendering GET pages that are not in the cache (0: two per core; the second
  // hides waits on the database), first come first served, so cached pages stay fast during
  // bursts of uncached ones (web/render_pool.h).
  int render_concurrency = 0;
  // E-mail digest subscriptions; null: the subscribe pages say digests are unavailable.
  mail::SubscriptionService* subscriptions = nullptr;
  // Whether mail can go out (an SMTP server is configured); without one, subscribing stores the
  // subscription and the pages say that its confirmation mail waits.
  bool is_mail_configured = false;
  // KaTeX's dist folder (node_modules/katex/dist); missing: math stays raw LaTeX.
  std::string katex_dir;
  // Absolute base URL for feeds and mails ("https://papers.example.org"); empty: the listening
  // address (never the request's Host header).
  std::string public_url;
  // Whether the daily arXiv harvest runs (harvest.schedule): when it does not and the newest
  // listing day is old, listing pages say so (demo data or harvesting off).
  bool is_harvest_scheduled = false;
  bool access_log = true;
  AccessLogFormat access_log_format = AccessLogFormat::kJson;
  // GET /metrics (Prometheus text) with these counters; null: no /metrics (metrics.enabled off).
  Metrics* metrics = nullptr;
  // "HOST:PORT" ("[::1]:9464"; port 0: any free one): /metrics is served there, on its own
  // listener and io thread, and not on the main one. Empty: on the main listener.
  std::string metrics_listen;
  // The cache key reads change counters from the database (PostgreSQL: a round trip each). Then
  // cached replies are looked up on a worker, never on an io thread, so a slow or restarting
  // database cannot stall every connection. SQLite keeps the counters in memory.
  bool generation_reads_database = false;
  size_t cache_entries = 4096;
  int cache_ttl_s = 60;
  // Community features (accounts, votes); null: they are off and their routes are absent.
  store::CommunityStore* community = nullptr;
  community::AccountOptions account_options;
  // "Recommended for you" (/recommended, /api/recommendations); null: those routes say they are off.
  rank::Recommender* recommender = nullptr;
  // 64 hex characters signing CSRF tokens and reset links; empty: store::signing_key_hex(store).
  std::string signing_key_hex;
  // Submitted papers and curators' featured/hidden flags; null: listings are arXiv's alone and the
  // submit and curation routes are absent. Needs `community`.
  store::CurationStore* curation = nullptr;
  // Looks a submitted paper up on arXiv (ingest::ArxivApiClient::fetch_paper in `serve`); empty:
  // only papers the store already has can be submitted.
  community::PaperLookup paper_lookup;
  community::SubmissionOptions submission_options;
  // Collections, follows and comments (served through an app::LibraryService made from it with
  // `library_options`); null: they are off. Needs `community`.
  store::LibraryStore* library = nullptr;
  LibraryOptions library_options;
  // First-page thumbnails: cards and the API show those recorded here, and GET /thumbs/HASH.webp
  // serves the images from `thumbnail_dir` (store/thumbnail_files.h); null: no thumbnails.
  store::ThumbnailStore* thumbnails = nullptr;
  std::string thumbnail_dir;
  // Sends a password-reset mail; default: logs the link (until a mail sender is configured).
  std::function<void(const std::string& email, const std::string& subject, const std::string& body)> send_mail;
};

class WebServer {
 public:
  // Builds the server (routes, workers, transport; nothing bound yet). An error for options that
  // cannot work: unparsable trusted proxies or metrics.listen, an unreadable signing key.
  [[nodiscard]] static Result<std::unique_ptr<WebServer>> create(store::Store& store, ServerOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds and serves until stop(). Returns an error when the address cannot be bound.
  Status run();
  // Binds to the port (0 = any free port) without serving yet; returns the bound port.
  Result<int> bind();
  // Graceful: stops accepting, lets the requests in flight finish, then run() returns.
  void stop();
  // SIGINT and SIGTERM stop the server gracefully (handled on the server's io loop). Before run().
  void stop_on_signals();

  // What the server would do with one request's raw bytes, short of running a handler: the status
  // it refuses the request with (400, 404, 413, 414, 431), or 0 when a route's handler would run.
  // The same parsing, decoding and route matching as a real request, without sockets (fuzzing).
  [[nodiscard]] int preflight(std::string_view bytes) const;
  // The port /metrics is served on when ServerOptions::metrics_listen is set (after bind()); else 0.
  [[nodiscard]] int metrics_port() const;

 private:
  struct Impl;
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperboy::web
