// Trends: GET /api/trends?q= (papers per ISO week for a query, the search page's filters accepted)
// and /trends, the rising topics: words whose share of new papers grew most over the newest 30
// listing days against the 180 before, each linking to its search and its weekly chart.
#include <cstdio>
#include "app/trend_service.h"

#include "web/html.h"
#include "web/http_status.h"
#include "web/period.h"
#include "web/routes/common.h"
#include "web/trend_chart.h"

namespace paperboy::web {

namespace {

constexpr int kTopicsShown = 30;

std::string percent(double share) {
  char out[32];
  std::snprintf(out, sizeof out, "%.2f%%", share * 100);
  return out;
}

}  // namespace

void add_trend_routes(RouteContext& ctx) {
  ctx.get("/api/trends", [&ctx](const Request& req) -> Result<Reply> {
    if (ctx.trends == nullptr) return fail(Status::unavailable("trends need the search index, which is not running"));
    auto sr = search_request(req, 20);
    if (!sr) return fail(sr.error());
    const bool has_filters = !sr->categories.empty() || !sr->from.empty() || !sr->until.empty() || sr->has_code;
    if (sr->query.empty() && !has_filters) {
      return fail(Status::invalid_argument("q: give a query (words, a \"phrase\" or a filter such as cat:cs.LG)"));
    }
    auto weeks = int_param(req, "weeks", app::TrendService::kDefaultWeeks, 1, app::TrendService::kMaxWeeks);
    if (!weeks) return fail(weeks.error());
    auto trend = ctx.trends->weekly(*sr, *weeks);
    if (!trend) return fail(trend.error());
    nlohmann::json out = {{"query", sr->query}, {"papers", trend->papers}, {"weeks", nlohmann::json::array()}};
    for (const auto& w : trend->weeks) {
      out["weeks"].push_back({{"week", w.week}, {"start", day_string(w.monday)}, {"papers", w.papers}});
    }
    return Reply{.body = out.dump(), .content_type = "application/json"};
  });

  ctx.get("/trends", [&ctx](const Request& req) -> Result<Reply> {
    nlohmann::json model = {{"title", "Rising topics"}, {"nav_trends", true}};
    if (ctx.trends == nullptr) {
      model["unavailable"] = true;
      personalise(ctx, req, model);
      return Reply{
          .status = http_status(Status::unavailable("")), .body = ctx.views.page("trends", model), .max_age_s = 0};
    }
    auto rising = ctx.trends->rising(kTopicsShown);
    if (!rising) {
      if (rising.error().code() != StatusCode::kUnavailable) return fail(rising.error());
      model["unavailable"] = true;
      personalise(ctx, req, model);
      return Reply{.status = http_status(rising.error()), .body = ctx.views.page("trends", model), .max_age_s = 0};
    }
    model["recent_from"] = day_string(rising->windows.recent_from);
    model["recent_until"] = day_string(rising->windows.recent_until);
    model["earlier_from"] = day_string(rising->windows.earlier_from);
    model["earlier_until"] = day_string(rising->windows.earlier_until);
    model["recent_papers"] = with_thousands(rising->recent_papers);
    model["earlier_papers"] = with_thousands(rising->earlier_papers);
    nlohmann::json topics = nlohmann::json::array();
    int rank = 0;
    for (const auto& t : rising->topics) {
      char lift[32];
      std::snprintf(lift, sizeof lift, "%.1f×", t.lift);
      topics.push_back(
          {{"rank", ++rank},
           {"term", t.term},
           {"url", "/search?q=" + url_encode(t.term.find(' ') == std::string::npos ? t.term : "\"" + t.term + "\"")},
           {"recent", with_thousands(t.recent)},
           {"earlier", with_thousands(t.earlier)},
           {"recent_share", percent(t.recent_share)},
           {"earlier_share", percent(t.earlier_share)},
           {"lift", lift}});
    }
    model["has_topics"] = !topics.empty();
    model["topics"] = std::move(topics);
    personalise(ctx, req, model);
    return Reply{.body = ctx.views.page("trends", model)};
  });
}

}  // namespace paperboy::web
