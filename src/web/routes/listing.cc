// Daily, weekly and monthly listings (`/`, /papers/date|week|month/...), their BibTeX exports, and
// the trending page. Trending orders papers with votes by TrendingScore (rank/trending.h), then
// the rest of the period newest first.
#include <map>

#include "rank/trending.h"
#include "web/export.h"
#include "web/html.h"
#include "web/period.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr int kPageSize = 50;

// The most frequent categories among the period's papers, plus any selected ones.
Result<nlohmann::json> category_options(RouteContext& ctx, const Period& period,
                                        const std::vector<std::string>& selected) {
  // The curated listing, so a day with only submitted papers offers their categories too.
  auto sample = curated_listing(ctx, period, {}, 1000, 0);
  if (!sample) return fail(sample.error());
  std::map<std::string, int> counts;
  for (const auto& sp : sample->papers) counts[sp.paper.primary_category()]++;
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [name, n] : counts) ranked.emplace_back(-n, name);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> names = selected;
  for (size_t i = 0; i < ranked.size() && i < 12; ++i) {
    if (std::find(names.begin(), names.end(), ranked[i].second) == names.end()) names.push_back(ranked[i].second);
  }
  std::sort(names.begin(), names.end());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& n : names) {
    bool checked = std::find(selected.begin(), selected.end(), n) != selected.end();
    out.push_back({{"name", n}, {"checked", checked}});
  }
  return out;
}

struct ListingRequest {
  Period period;
  bool is_trending = false;
  std::string path;  // the page's path without query
};

// One page of the listing: the trending ranking, or the curated period listing (curation.cc).
Result<CuratedListing> page_papers(RouteContext& ctx, const ListingRequest& lr, const std::vector<std::string>& cats,
                                   int offset) {
  if (!lr.is_trending) return curated_listing(ctx, lr.period, cats, kPageSize, offset);
  auto papers = trending_papers(ctx, lr.period, cats, kPageSize, offset);
  if (!papers) return fail(papers.error());
  auto hidden = hidden_paper_ids(ctx);
  if (!hidden) return fail(hidden.error());
  app::ListingQuery q{lr.period.from_day, lr.period.to_day, cats, kPageSize, offset, std::move(*hidden)};
  auto total = ctx.papers.count(q);
  if (!total) return fail(total.error());
  return CuratedListing{std::move(*papers), *total};
}

// The "submit a paper" form for a signed-in browser (not on trending: submissions join a day).
void add_submit_form(RouteContext& ctx, nlohmann::json& model) {
  if (ctx.submissions == nullptr || !model.contains("viewer")) return;
  model["submit_form"] = {{"csrf", model["viewer"]["csrf"]}, {"max_age_days", ctx.submissions->options().max_age_days}};
}

Result<Reply> listing_page(RouteContext& ctx, const Request& req, const ListingRequest& lr) {
  auto cats = categories_param(req);
  if (!cats) return fail(cats.error());
  auto page = int_param(req, "page", 1, 1, 10000);
  if (!page) return fail(page.error());
  auto listed = page_papers(ctx, lr, *cats, (*page - 1) * kPageSize);
  if (!listed) return fail(listed.error());
  const std::vector<app::StoredPaper>* papers = &listed->papers;
  const std::int64_t* total = &listed->total;
  auto marks = vote_marks(ctx, req, *papers);
  if (!marks) return fail(marks.error());
  auto options = category_options(ctx, lr.period, *cats);
  if (!options) return fail(options.error());

  const Period& p = lr.period;
  nlohmann::json model = {{"title", lr.is_trending ? "Trending papers" : p.label},
                          {"heading", lr.is_trending ? "Trending papers" : p.label},
                          {"path", lr.path},
                          {"show_filters", true},
                          {"category_options", *options},
                          {"has_filter", !cats->empty()},
                          {"clear_query", ""},
                          {"cards", ctx.views.cards(*papers, {}, &*marks)},
                          {"has_papers", !papers->empty()},
                          {"subscribe", true},
                          {"nav_daily", !lr.is_trending},
                          {"nav_trending", lr.is_trending}};
  std::string shown = std::to_string(papers->size());
  model["count_text"] = std::to_string(*total) + (*total == 1 ? " paper" : " papers") +
                        (*page > 1 ? " (page " + std::to_string(*page) + ")" : "");
  model["empty_text"] = cats->empty()
                            ? "No papers were listed in this period."
                            : "No papers in the selected categories in this period. Clear the filter to see all.";
  if (static_cast<std::int64_t>(*page) * kPageSize < *total) {
    model["more_url"] =
        lr.path +
        category_query(*cats, (lr.is_trending ? "period=" + std::string(period_kind_name(p.kind)) + "&" : "") +
                                  "page=" + std::to_string(*page + 1));
  }
  nlohmann::json hidden = nlohmann::json::array();
  nlohmann::json nav = {{"kinds", nlohmann::json::array()}};
  if (lr.is_trending) {
    hidden.push_back({{"name", "period"}, {"value", std::string(period_kind_name(p.kind))}});
    model["subheading"] =
        "Papers listed " + (p.from_day == p.to_day ? "on " + p.from_day : p.from_day + " to " + p.to_day);
    model["note"] = std::string("Ranked by trending score: ") + rank::kTrendingFormula +
                    ", where age_hours is the time from the paper's first version to the end of the period (the "
                    "gravity of Hacker News' ranking). Papers without votes follow, newest first.";
    for (const char* k : {"day", "week", "month"}) {
      nav["kinds"].push_back({{"name", std::string("Past ") + k},
                              {"url", "/trending" + category_query(*cats, std::string("period=") + k)},
                              {"current", period_kind_name(p.kind) == k}});
    }
    model["feed_atom"] = "/feeds/trending.atom";
    model["feed_rss"] = "/feeds/trending.rss";
    model["feed_title"] = "Paperboy trending papers";
  } else {
    std::string listed = ctx.submissions != nullptr ? "Papers first listed or submitted " : "Papers first listed ";
    std::string sub =
        p.kind == Period::Kind::kDay ? listed + "on " + p.from_day : listed + p.from_day + " to " + p.to_day;
    model["subheading"] = sub;
    // Previous/next skip days without papers; weeks and months step by the calendar.
    std::string prev_path, next_path, prev_label, next_label;
    auto before = ctx.papers.neighbour_days(p.from_day);
    auto after = ctx.papers.neighbour_days(p.to_day);
    if (!before) return fail(before.error());
    if (!after) return fail(after.error());
    if (p.kind == Period::Kind::kDay) {
      if (!before->first.empty()) prev_path = "/papers/date/" + before->first, prev_label = before->first;
      if (!after->second.empty()) next_path = "/papers/date/" + after->second, next_label = after->second;
    } else {
      auto prev = shift_period(p, -1), next = shift_period(p, 1);
      if (!before->first.empty() && prev) prev_path = period_path(*prev), prev_label = prev->label;
      if (!after->second.empty() && next) next_path = period_path(*next), next_label = next->label;
    }
    if (!prev_path.empty()) nav["prev_url"] = prev_path + category_query(*cats), nav["prev_label"] = prev_label;
    if (!next_path.empty()) nav["next_url"] = next_path + category_query(*cats), nav["next_label"] = next_label;
    std::string week_slug = week_of(p).slug, month_slug = p.from_day.substr(0, 7);
    nav["kinds"].push_back({{"name", "Day"},
                            {"url", "/papers/date/" + p.from_day + category_query(*cats)},
                            {"current", p.kind == Period::Kind::kDay}});
    nav["kinds"].push_back({{"name", "Week"},
                            {"url", "/papers/week/" + week_slug + category_query(*cats)},
                            {"current", p.kind == Period::Kind::kWeek}});
    nav["kinds"].push_back({{"name", "Month"},
                            {"url", "/papers/month/" + month_slug + category_query(*cats)},
                            {"current", p.kind == Period::Kind::kMonth}});
    model["bib_url"] = period_path(p) + ".bib" + category_query(*cats);
    if (cats->size() == 1) {
      model["feed_atom"] = "/feeds/category/" + url_encode((*cats)[0]) + ".atom";
      model["feed_title"] = "Paperboy: " + (*cats)[0];
    } else {
      model["feed_atom"] = "/feeds/daily.atom";
      model["feed_rss"] = "/feeds/daily.rss";
      model["feed_title"] = "Paperboy daily papers";
    }
  }
  model["hidden"] = hidden;
  model["nav"] = nav;
  personalise(ctx, req, model);
  if (!lr.is_trending) add_submit_form(ctx, model);
  return Reply{.body = ctx.views.page("listing", model)};
}

Result<Reply> listing_bib(RouteContext& ctx, const Request& req, const Period& p) {
  auto cats = categories_param(req);
  if (!cats) return fail(cats.error());
  auto listed = curated_listing(ctx, p, *cats, 2000, 0);
  if (!listed) return fail(listed.error());
  return Reply{.body = bibtex_entries(listed->papers),
               .content_type = "application/x-bibtex; charset=utf-8",
               .download_name = "paperboy-" + p.slug + ".bib"};
}

using PeriodParser = Result<Period> (*)(std::string_view);

void add_period_route(RouteContext& ctx, const std::string& kind, const std::string& pattern, PeriodParser parse) {
  ctx.get("/papers/" + kind + "/(" + pattern + ")(\\.bib)?", [&ctx, parse, kind](const Request& req) -> Result<Reply> {
    auto period = parse(req.matches[1]);
    if (!period) return fail(period.error());
    if (!req.matches[2].empty()) return listing_bib(ctx, req, *period);
    return listing_page(ctx, req, {*period, false, "/papers/" + kind + "/" + period->slug});
  });
}

}  // namespace

// The trending window ending at the newest listing day: that day, its 7 days, or its 30 days.
Result<Period> trending_period(RouteContext& ctx, std::string_view kind) {
  auto newest = ctx.papers.newest_arxiv_day();
  if (!newest) return fail(newest.error());
  if (newest->empty()) return fail(Status::not_found("no papers yet: ingest some with `paperboy ingest FILE`"));
  auto end = parse_day(*newest);
  if (!end) return fail(end.error());
  if (kind.empty() || kind == "day") return *end;
  int days = 0;
  if (kind == "week")
    days = 7;
  else if (kind == "month")
    days = 30;
  else
    return fail(Status::invalid_argument("period: expected day, week or month, got '" + std::string(kind) + "'"));
  Period p = *end;
  p.kind = kind == "week" ? Period::Kind::kWeek : Period::Kind::kMonth;
  p.from_day = day_string(*day_number(end->to_day) - days + 1);
  p.label = "Past " + std::string(kind);
  return p;
}

void add_listing_routes(RouteContext& ctx) {
  ctx.get("/", [&ctx](const Request& req) -> Result<Reply> {
    auto newest = newest_listing_day(ctx);
    if (!newest) return fail(newest.error());
    if (newest->empty()) {
      return Reply{.body = message_page(ctx.views, "No papers yet",
                                        {"This server has no papers. Load some with `paperboy ingest FILE` or let the "
                                         "harvester run, then reload."})};
    }
    auto day = parse_day(*newest);
    if (!day) return fail(day.error());
    return listing_page(ctx, req, {*day, false, "/papers/date/" + day->slug});
  });
  add_period_route(ctx, "date", R"(\d{4}-\d{2}-\d{2})", &parse_day);
  add_period_route(ctx, "week", R"(\d{4}-W\d{2})", &parse_week);
  add_period_route(ctx, "month", R"(\d{4}-\d{2})", &parse_month);
  ctx.get("/trending", [&ctx](const Request& req) -> Result<Reply> {
    auto period = trending_period(ctx, req.get_param_value("period"));
    if (!period) return fail(period.error());
    return listing_page(ctx, req, {*period, true, "/trending"});
  });
}

}  // namespace paperboy::web
