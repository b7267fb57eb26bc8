// Metrics: what `GET /metrics` reports, in the Prometheus text exposition format (version 0.0.4):
// requests by route class and status, request latency histograms per route class, and gauges read
// when the page is rendered (queue depths, search index lag, outbox, harvest), registered by whoever
// owns the measured object. Off unless metrics.enabled. The server calls observe_request once per
// request (from the access-log hook). Thread-safe: counters are atomics, gauges are registered
// before serving and only read afterwards.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace paperboy::web {

class RenderPool;
class SearchGate;

// What a request was for: a bounded set of labels (never the raw path, which would make one time
// series per paper).
enum class RouteClass { kPage, kApi, kSearch, kSimilar, kFeed, kStatic, kHealth, kMetrics, kOther };
inline constexpr int kRouteClasses = 9;

[[nodiscard]] RouteClass classify_route(std::string_view path);
[[nodiscard]] std::string_view route_label(RouteClass route);

class Metrics {
 public:
  // Latency histogram bucket upper bounds, seconds.
  static constexpr std::array<double, 13> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,  10};

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void observe_request(std::string_view path, int status, double seconds);
  // A gauge whose value `read` returns when /metrics is rendered. Register before serving.
  // `name` follows Prometheus naming (paperboy_..._seconds, ..._total for counters).
  void add_gauge(std::string name, std::string help, std::function<double()> read);
  // Same, for a value that only grows (rendered as a counter).
  void add_counter(std::string name, std::string help, std::function<double()> read);

  [[nodiscard]] std::string render() const;

 private:
  struct Series {
    std::array<std::atomic<std::uint64_t>, 600> by_status{};            // index: HTTP status 0..599
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};  // non-cumulative
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
  };
  struct Callback {
    std::string name, help, type;
    std::function<double()> read;
  };
  std::array<Series, kRouteClasses> series_;
  std::vector<Callback> callbacks_;
};

// The server's own gauges: pages waiting for a render worker, searches waiting for a slot.
void add_server_gauges(Metrics& metrics, RenderPool& render_pool, SearchGate* search_gate);

}  // namespace paperboy::web
