// Routes for operators and API clients rather than readers: GET /metrics (Prometheus text format,
// only when metrics.enabled gave the server a Metrics) and GET /api/openapi.json (the OpenAPI 3.1
// document of the JSON API, embedded from src/web/api/openapi.json).
#include "web/embedded.h"
#include "web/metrics.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {

void add_operations_routes(RouteContext& ctx) {
  if (ctx.options.metrics != nullptr && ctx.options.metrics_listen.empty()) {
    ctx.get("/metrics", [&ctx](const Request&) -> Result<Reply> {
      return Reply{.body = ctx.options.metrics->render(),
                   .content_type = "text/plain; version=0.0.4; charset=utf-8",
                   .max_age_s = 0};
    });
  }
  std::string_view document;
  for (const auto& f : embedded_files()) {
    if (f.path == "api/openapi.json") document = f.content;
  }
  ctx.get("/api/openapi.json", [document](const Request&) -> Result<Reply> {
    if (document.empty()) return fail(Status::not_found("no OpenAPI document in this build"));
    return Reply{.body = std::string(document), .content_type = "application/json", .max_age_s = 3600};
  });
}

}  // namespace paperboy::web
