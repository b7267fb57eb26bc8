#include "web/metrics.h"

#include <cmath>
#include <cstdio>

#include "web/render_pool.h"
#include "web/search_gate.h"

namespace paperboy::web {
namespace {

// Prometheus text format: a float as Go's strconv would print it, +Inf for infinity.
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

RouteClass classify_route(std::string_view path) {
  if (path.starts_with("/static/") || path.starts_with("/thumbs/") || path == "/favicon.ico")
    return RouteClass::kStatic;
  if (path == "/healthz") return RouteClass::kHealth;
  if (path == "/metrics") return RouteClass::kMetrics;
  if (path.starts_with("/feeds/")) return RouteClass::kFeed;
  if (path.starts_with("/api/")) {
    if (path.starts_with("/api/papers/search")) return RouteClass::kSearch;
    if (path.ends_with("/similar")) return RouteClass::kSimilar;
    return RouteClass::kApi;
  }
  if (path == "/search" || path.starts_with("/search/")) return RouteClass::kSearch;
  if (path.ends_with("/similar")) return RouteClass::kSimilar;
  if (path.starts_with("/")) return RouteClass::kPage;
  return RouteClass::kOther;
}

std::string_view route_label(RouteClass route) {
  switch (route) {
    case RouteClass::kPage: return "page";
    case RouteClass::kApi: return "api";
    case RouteClass::kSearch: return "search";
    case RouteClass::kSimilar: return "similar";
    case RouteClass::kFeed: return "feed";
    case RouteClass::kStatic: return "static";
    case RouteClass::kHealth: return "health";
    case RouteClass::kMetrics: return "metrics";
    case RouteClass::kOther: return "other";
  }
  return "other";
}

void Metrics::observe_request(std::string_view path, int status, double seconds) {
  Series& s = series_[static_cast<size_t>(classify_route(path))];
  if (status < 0 || status >= static_cast<int>(s.by_status.size())) status = 0;
  s.by_status[static_cast<size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  if (b < kBuckets.size()) s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e6), std::memory_order_relaxed);
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  callbacks_.push_back({std::move(name), std::move(help), "gauge", std::move(read)});
}

void Metrics::add_counter(std::string name, std::string help, std::function<double()> read) {
  callbacks_.push_back({std::move(name), std::move(help), "counter", std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  header(out, "paperboy_http_requests_total", "HTTP requests answered, by route class and status.", "counter");
  for (int r = 0; r < kRouteClasses; ++r) {
    auto label = route_label(static_cast<RouteClass>(r));
    const Series& s = series_[static_cast<size_t>(r)];
    for (size_t status = 0; status < s.by_status.size(); ++status) {
      auto n = s.by_status[status].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.append("paperboy_http_requests_total{route=\"").append(label).append("\",status=\"");
      out.append(std::to_string(status)).append("\"} ").append(std::to_string(n)).append("\n");
    }
  }
  header(out, "paperboy_http_request_duration_seconds", "Time from request to reply, by route class.", "histogram");
  for (int r = 0; r < kRouteClasses; ++r) {
    auto label = std::string(route_label(static_cast<RouteClass>(r)));
    const Series& s = series_[static_cast<size_t>(r)];
    // Read the count first: the buckets then sum to at least it only if no request lands in
    // between, so the +Inf bucket is max(count, cumulative) to keep the histogram consistent.
    std::uint64_t count = s.count.load(std::memory_order_relaxed);
    std::uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      out.append("paperboy_http_request_duration_seconds_bucket{route=\"" + label + "\",le=\"" + number(kBuckets[b]) +
                 "\"} " + std::to_string(cumulative) + "\n");
    }
    count = std::max(count, cumulative);
    out.append("paperboy_http_request_duration_seconds_bucket{route=\"" + label + "\",le=\"+Inf\"} " +
               std::to_string(count) + "\n");
    out.append("paperboy_http_request_duration_seconds_sum{route=\"" + label + "\"} " +
               number(static_cast<double>(s.sum_micros.load(std::memory_order_relaxed)) / 1e6) + "\n");
    out.append("paperboy_http_request_duration_seconds_count{route=\"" + label + "\"} " + std::to_string(count) + "\n");
  }
  for (const auto& c : callbacks_) {
    double v = 0;
    try {
      v = c.read();
    } catch (const std::exception&) {
      v = std::nan("");  // a failing reading shows as NaN rather than failing the page
    }
    header(out, c.name, c.help, c.type);
    out.append(c.name).append(" ").append(number(v)).append("\n");
  }
  return out;
}

void add_server_gauges(Metrics& metrics, RenderPool& render_pool, SearchGate* search_gate) {
  metrics.add_gauge("paperboy_render_queue_depth", "Uncached pages waiting for a render worker.",
                    [&render_pool] { return static_cast<double>(render_pool.queued()); });
  metrics.add_gauge("paperboy_render_workers", "Render worker threads.",
                    [&render_pool] { return static_cast<double>(render_pool.threads()); });
  if (search_gate != nullptr) {
    metrics.add_gauge("paperboy_search_queue_depth", "Searches waiting for a search slot (web/search_gate.h).",
                      [search_gate] { return static_cast<double>(search_gate->waiting()); });
  }
}

}  // namespace paperboy::web
