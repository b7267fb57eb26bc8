#include "web/options_from.h"

#include <algorithm>

#include "community/options_from.h"
#include "store/store.h"

namespace paperboy::web {
namespace {

ConnectionLimits connection_limits_from(const config::Config::Server& s) {
  ConnectionLimits l;
  l.max_target_bytes = static_cast<size_t>(s.max_target_bytes);
  l.max_header_bytes = static_cast<size_t>(s.max_header_bytes);
  l.max_headers = static_cast<size_t>(s.max_headers);
  l.max_body_bytes = static_cast<size_t>(s.max_body_bytes);
  l.read_timeout_ms = s.read_timeout_ms;
  l.idle_timeout_ms = s.idle_timeout_ms;
  l.write_timeout_ms = s.write_timeout_ms;
  l.max_connections = s.max_connections;
  l.max_connections_per_address = s.max_connections_per_address;
  l.max_requests_per_connection = s.max_requests_per_connection;
  return l;
}

}  // namespace

ServerOptions server_options_from(const config::Config& config) {
  const auto& s = config.server;
  ServerOptions o;
  o.host = s.host;
  o.port = s.port;
  o.threads = s.threads;
  o.max_queued = static_cast<size_t>(std::max(1, s.max_queued));
  o.io_threads = s.io_threads;
  o.limits = connection_limits_from(s);
  o.trusted_proxies = s.trusted_proxies;
  o.public_url = s.public_url;
  o.access_log = s.access_log != "off";  // json, combined or off (the option table admits no other)
  o.access_log_format = s.access_log == "combined" ? AccessLogFormat::kCombined : AccessLogFormat::kJson;
  // PostgreSQL keeps the change counters in the database: cache checks read them on a worker.
  o.generation_reads_database = store::is_postgres_store_url(config.database_url());
  o.metrics_listen = config.metrics.listen;
  o.account_options = community::account_options_from(config);
  o.submission_options = community::submission_options_from(config);
  o.library_options.comment_max_bytes = static_cast<size_t>(config.library.comment_max_bytes);
  o.library_options.comments_per_window = config.library.comments_per_window;
  o.library_options.comment_window_s = config.library.comment_window_s;
  return o;
}

}  // namespace paperboy::web
