// The search page (/search?q=&mode=&page=): results from the SearchService with the query's words
// highlighted, mode selector, and help when nothing matched or search is unavailable.
#include "web/html.h"
#include "web/http_status.h"
#include "web/routes/common.h"
#include "web/routes/library.h"
#include "web/server.h"

namespace paperboy::web {

Result<search::SearchRequest> search_request(const Request& req, int page_size) {
  search::SearchRequest sr;
  sr.query = req.get_param_value("q");
  if (sr.query.size() > 500) return fail(Status::invalid_argument("q: queries are limited to 500 characters"));
  auto mode = mode_param(req);
  if (!mode) return fail(mode.error());
  sr.mode = *mode;
  auto limit = int_param(req, "limit", page_size, 1, 100);
  if (!limit) return fail(limit.error());
  auto page = int_param(req, "page", 1, 1, 50);
  if (!page) return fail(page.error());
  sr.limit = *limit;
  sr.offset = (*page - 1) * *limit;
  return sr;
}

void add_search_routes(RouteContext& ctx) {
  ctx.get("/search", [&ctx](const Request& req) -> Result<Reply> {
    constexpr int kPageSize = 20;
    auto sr = search_request(req, kPageSize);
    if (!sr) return fail(sr.error());
    nlohmann::json modes = nlohmann::json::array();
    for (auto m : {search::Mode::kHybrid, search::Mode::kLexical, search::Mode::kSemantic}) {
      static constexpr const char* kLabels[] = {"Hybrid", "Words", "Meaning"};
      modes.push_back({{"name", mode_string(m)},
                       {"label", kLabels[static_cast<int>(m == search::Mode::kHybrid    ? 0
                                                          : m == search::Mode::kLexical ? 1
                                                                                        : 2)]},
                       {"checked", m == sr->mode}});
    }
    bool has_query = !sr->query.empty();
    nlohmann::json model = {{"title", has_query ? "Search: " + sr->query : "Search"},
                            {"query", sr->query},
                            {"modes", modes},
                            {"nav_search", true},
                            {"has_query", has_query && ctx.search != nullptr}};
    if (ctx.search == nullptr) {
      model["unavailable"] = true;
      return Reply{.status = http_status(Status::unavailable("search is unavailable")),
                   .body = ctx.views.page("search", model),
                   .max_age_s = 0};
    }
    if (has_query) {
      auto response = ctx.search->search(*sr);
      if (!response) {
        if (response.error().code() != StatusCode::kInvalidArgument) return fail(response.error());
        model["error"] = "The query could not be understood: " + response.error().message() +
                         ". Check quotes and filters (cat:cs.LG, since:7d) and try again.";
        model["has_query"] = false;
        return Reply{.status = http_status(response.error()), .body = ctx.views.page("search", model), .max_age_s = 0};
      }
      auto papers = papers_for_hits(ctx, response->hits);
      if (!papers) return fail(papers.error());
      int page = sr->offset / sr->limit + 1;
      model["count_text"] = std::to_string(response->total) + (response->total == 1 ? " result" : " results") +
                            (page > 1 ? ", page " + std::to_string(page) : "") + " (" + mode_string(sr->mode) + ")";
      model["no_results"] = papers->empty();
      model["explanation"] = response->explanation;
      if (!response->suggestion.empty()) {
        model["suggestion"] = response->suggestion;
        model["suggestion_url"] = "/search?q=" + url_encode(response->suggestion) + "&mode=" + mode_string(sr->mode);
      }
      model["semantic_url"] = "/search?q=" + url_encode(sr->query) + "&mode=semantic";
      auto marks = vote_marks(ctx, req, *papers);
      if (!marks) return fail(marks.error());
      model["cards"] = ctx.views.cards(*papers, response->highlight_terms, &*marks);
      model["feed_atom"] = "/feeds/search.atom?q=" + url_encode(sr->query) + "&mode=" + mode_string(sr->mode);
      auto follow = follow_button_html(ctx, req, app::FollowKind::kSearch, sr->query, "this search");
      if (!follow) return fail(follow.error());
      model["follow_html"] = *follow;
      if (static_cast<std::int64_t>(sr->offset + sr->limit) < response->total && page < 50) {
        model["more_url"] = "/search?q=" + url_encode(sr->query) + "&mode=" + mode_string(sr->mode) +
                            "&page=" + std::to_string(page + 1);
      }
    }
    personalise(ctx, req, model);
    return Reply{.body = ctx.views.page("search", model)};
  });
}

}  // namespace paperboy::web
