// Daily, weekly and monthly listings (`/`, /papers/date|week|month/...), their BibTeX exports, the
// date picker's redirect (/papers/date?day=...), and the trending page. Listings are ordered by
// app::ListingService (trending score by default, or newest first with sort=newest); trending
// orders papers with votes by TrendingScore (rank/trending.h), then the rest of the period newest
// first. Routes parse, call the service and render: the rules live in the service.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "core/categories.h"
#include "core/time.h"
#include "rank/trending.h"
#include "web/csrf.h"
#include "web/export.h"
#include "web/html.h"
#include "web/period.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {

std::string view_cookie(const Request& req) {
  return cookie_value(req, kViewCookie) == "list" ? "list" : "";
}

namespace {

constexpr int kPageSize = 50;
constexpr size_t kCategoryChips = 12;
constexpr const char* kTagline =
    "Paperboy lists each day's new arXiv papers, ranked by readers' votes: scan, vote, save and discuss.";

struct ListingRequest {
  Period period;
  bool is_trending = false;
  std::string path;  // the page's path without query
};

// What a listing request asks for besides its period: categories, page, order and layout.
struct ListingParams {
  std::vector<std::string> cats;
  int page = 1;
  app::ListingSort sort = app::ListingSort::kTrending;
  bool is_list = false;    // the compact list layout instead of the grid
  std::string view_param;  // "grid" | "list" when the request chose one: remembered in a cookie
};

Result<ListingParams> listing_params(const Request& req) {
  ListingParams out;
  auto cats = categories_param(req);
  if (!cats) return fail(cats.error());
  out.cats = std::move(*cats);
  auto page = int_param(req, "page", 1, 1, 10000);
  if (!page) return fail(page.error());
  out.page = *page;
  auto sort = app::parse_listing_sort(req.get_param_value("sort"), app::ListingSort::kTrending);
  if (!sort) return fail(sort.error());
  out.sort = *sort;
  out.view_param = req.get_param_value("view");
  if (!out.view_param.empty() && out.view_param != "grid" && out.view_param != "list") {
    return fail(Status::invalid_argument("view: expected grid or list, got '" + out.view_param + "'"));
  }
  out.is_list = out.view_param.empty() ? view_cookie(req) == "list" : out.view_param == "list";
  return out;
}

// The query of a link to this listing with `cats`, keeping the order when it is not the default,
// and `extra` ("page=2") appended.
std::string listing_query(const ListingParams& lp, const std::vector<std::string>& cats,
                          const std::string& extra = "") {
  std::string q = lp.sort == app::ListingSort::kNewest ? "sort=newest" : "";
  if (!extra.empty()) q += (q.empty() ? "" : "&") + extra;
  return category_query(cats, q);
}

// Category chips: the most frequent categories among the period's papers (cross-lists included),
// plus any selected ones; each links to the listing with that category added or removed.
Result<nlohmann::json> category_chips(RouteContext& ctx, const ListingRequest& lr, const ListingParams& lp,
                                      const std::string& prefix) {
  auto counts = ctx.listings->category_counts({lr.period.from_day, lr.period.to_day, {}, 1000, 0});
  if (!counts) return fail(counts.error());
  std::map<std::string, std::int64_t> shown;
  for (const auto& c : lp.cats) shown[c] = 0;
  for (size_t i = 0; i < counts->size(); ++i) {
    const auto& c = (*counts)[i];
    if (i < kCategoryChips || shown.contains(c.name)) shown[c.name] = c.count;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [code, n] : shown) {
    bool is_on = std::ranges::find(lp.cats, code) != lp.cats.end();
    std::vector<std::string> toggled;
    for (const auto& c : lp.cats) {
      if (c != code) toggled.push_back(c);
    }
    if (!is_on) toggled.push_back(code);
    out.push_back({{"code", code},
                   {"label", core::category_label(code)},
                   {"count", n > 0 ? std::to_string(n) : ""},
                   {"is_on", is_on},
                   {"url", lr.path + listing_query(lp, toggled, prefix)}});
  }
  std::stable_sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["label"].get<std::string>() < b["label"].get<std::string>();
  });
  return out;
}

// One page of the listing: the trending ranking, or the curated period listing (curation.cc).
Result<CuratedListing> page_papers(RouteContext& ctx, const ListingRequest& lr, const ListingParams& lp) {
  int offset = (lp.page - 1) * kPageSize;
  if (!lr.is_trending) return curated_listing(ctx, lr.period, lp.cats, kPageSize, offset, lp.sort);
  auto papers = trending_papers(ctx, lr.period, lp.cats, kPageSize, offset);
  if (!papers) return fail(papers.error());
  auto hidden = hidden_paper_ids(ctx);
  if (!hidden) return fail(hidden.error());
  app::ListingQuery q{lr.period.from_day, lr.period.to_day, lp.cats, kPageSize, offset, std::move(*hidden)};
  auto total = ctx.papers.count(q);
  if (!total) return fail(total.error());
  return CuratedListing{std::move(*papers), *total};
}

// Previous/next page and the page numbers around this one (first and last always), with gaps.
nlohmann::json pager_model(const ListingRequest& lr, const ListingParams& lp, const std::string& prefix,
                           std::int64_t total) {
  auto pages = static_cast<int>((total + kPageSize - 1) / kPageSize);
  if (pages <= 1) return nullptr;
  auto url = [&](int n) {
    std::string extra = prefix;
    if (n > 1) extra += (extra.empty() ? "page=" : "&page=") + std::to_string(n);
    return lr.path + listing_query(lp, lp.cats, extra);
  };
  nlohmann::json model = {{"pages", nlohmann::json::array()}};
  if (lp.page > 1) model["prev_url"] = url(lp.page - 1);
  if (lp.page < pages) model["next_url"] = url(lp.page + 1);
  int last_shown = 0;
  for (int n = 1; n <= pages; ++n) {
    if (n != 1 && n != pages && std::abs(n - lp.page) > 2) continue;
    if (last_shown != 0 && n > last_shown + 1) model["pages"].push_back({{"is_gap", true}});
    model["pages"].push_back({{"number", std::to_string(n)}, {"url", url(n)}, {"is_current", n == lp.page}});
    last_shown = n;
  }
  return model;
}

// The "submit a paper" form for a signed-in browser (not on trending: submissions join a day).
void add_submit_form(RouteContext& ctx, nlohmann::json& model) {
  if (ctx.submissions == nullptr || !model.contains("viewer")) return;
  model["submit_form"] = {{"csrf", model["viewer"]["csrf"]}, {"max_age_days", ctx.submissions->options().max_age_days}};
}

// A plain notice when the newest listing day is old: its date, and why nothing newer is here.
Status add_stale_notice(RouteContext& ctx, nlohmann::json& model) {
  auto newest = newest_listing_day(ctx);
  if (!newest) return newest.error();
  if (newest->empty() || !app::is_listing_stale(*newest, core::unix_now())) return Status::ok();
  auto day = parse_day(*newest);
  if (!day) return day.error();
  std::string why = ctx.options.is_harvest_scheduled
                        ? "the daily harvest from arXiv has not brought newer ones yet."
                        : "this server shows demo data and does not harvest arXiv (harvest.schedule is off).";
  model["stale_notice"] = "The newest papers here are from " + day->label + ": " + why;
  model["newest_day"] = *newest;
  return Status::ok();
}

// Day / week / month tabs, previous/next period (days without papers are skipped), the date picker.
Status add_period_nav(RouteContext& ctx, const ListingRequest& lr, const ListingParams& lp, nlohmann::json& nav) {
  const Period& p = lr.period;
  std::string prev_path, next_path, prev_label, next_label;
  auto before = ctx.papers.neighbour_days(p.from_day);
  auto after = ctx.papers.neighbour_days(p.to_day);
  if (!before) return before.error();
  if (!after) return after.error();
  if (p.kind == Period::Kind::kDay) {
    if (!before->first.empty()) prev_path = "/papers/date/" + before->first, prev_label = before->first;
    if (!after->second.empty()) next_path = "/papers/date/" + after->second, next_label = after->second;
  } else {
    auto prev = shift_period(p, -1), next = shift_period(p, 1);
    if (!before->first.empty() && prev) prev_path = period_path(*prev), prev_label = prev->label;
    if (!after->second.empty() && next) next_path = period_path(*next), next_label = next->label;
  }
  if (!prev_path.empty()) nav["prev_url"] = prev_path + listing_query(lp, lp.cats), nav["prev_label"] = prev_label;
  if (!next_path.empty()) nav["next_url"] = next_path + listing_query(lp, lp.cats), nav["next_label"] = next_label;
  std::string week_slug = week_of(p).slug, month_slug = p.from_day.substr(0, 7);
  nav["kinds"].push_back({{"name", "Day"},
                          {"url", "/papers/date/" + p.from_day + listing_query(lp, lp.cats)},
                          {"current", p.kind == Period::Kind::kDay}});
  nav["kinds"].push_back({{"name", "Week"},
                          {"url", "/papers/week/" + week_slug + listing_query(lp, lp.cats)},
                          {"current", p.kind == Period::Kind::kWeek}});
  nav["kinds"].push_back({{"name", "Month"},
                          {"url", "/papers/month/" + month_slug + listing_query(lp, lp.cats)},
                          {"current", p.kind == Period::Kind::kMonth}});
  nav["date_picker"] = {{"day", p.from_day}};
  return Status::ok();
}

// Trending / Newest and Grid / List switches, as links keeping the categories.
void add_switches(const ListingRequest& lr, const ListingParams& lp, const std::string& prefix, nlohmann::json& model) {
  if (!lr.is_trending) {
    ListingParams trending = lp, newest = lp;
    trending.sort = app::ListingSort::kTrending;
    newest.sort = app::ListingSort::kNewest;
    bool is_trending = lp.sort == app::ListingSort::kTrending;
    model["show_sorts"] = true;
    model["sorts"] = nlohmann::json::array(
        {{{"name", "Trending"}, {"url", lr.path + listing_query(trending, lp.cats)}, {"current", is_trending}},
         {{"name", "Newest"}, {"url", lr.path + listing_query(newest, lp.cats)}, {"current", !is_trending}}});
  }
  std::string keep = prefix.empty() ? "" : prefix + "&";
  model["views"] = nlohmann::json::array(
      {{{"name", "Grid"}, {"url", lr.path + listing_query(lp, lp.cats, keep + "view=grid")}, {"current", !lp.is_list}},
       {{"name", "List"}, {"url", lr.path + listing_query(lp, lp.cats, keep + "view=list")}, {"current", lp.is_list}}});
}

void add_trending_model(const ListingRequest& lr, const ListingParams& lp, nlohmann::json& model, nlohmann::json& nav) {
  const Period& p = lr.period;
  model["subheading"] =
      "Papers listed " + (p.from_day == p.to_day ? "on " + p.from_day : p.from_day + " to " + p.to_day);
  model["note"] = std::string("Ranked by trending score: ") + rank::kTrendingFormula +
                  ", where age_hours is the time from the paper's first version to the end of the period (the "
                  "gravity of Hacker News' ranking). Papers without votes follow, newest first.";
  for (const char* k : {"day", "week", "month"}) {
    nav["kinds"].push_back({{"name", std::string("Past ") + k},
                            {"url", "/trending" + category_query(lp.cats, std::string("period=") + k)},
                            {"current", period_kind_name(p.kind) == k}});
  }
  model["feed_atom"] = "/feeds/trending.atom";
  model["feed_rss"] = "/feeds/trending.rss";
  model["feed_title"] = "Paperboy trending papers";
}

void add_feeds(const ListingRequest& lr, const ListingParams& lp, nlohmann::json& model) {
  model["bib_url"] = period_path(lr.period) + ".bib" + category_query(lp.cats);
  if (lp.cats.size() == 1) {
    model["feed_atom"] = "/feeds/category/" + url_encode(lp.cats[0]) + ".atom";
    model["feed_title"] = "Paperboy: " + core::category_label(lp.cats[0]);
  } else {
    model["feed_atom"] = "/feeds/daily.atom";
    model["feed_rss"] = "/feeds/daily.rss";
    model["feed_title"] = "Paperboy daily papers";
  }
}

Result<Reply> listing_page(RouteContext& ctx, const Request& req, const ListingRequest& lr) {
  auto lp = listing_params(req);
  if (!lp) return fail(lp.error());
  auto listed = page_papers(ctx, lr, *lp);
  if (!listed) return fail(listed.error());
  const std::vector<app::StoredPaper>& papers = listed->papers;
  std::int64_t total = listed->total;
  auto marks = vote_marks(ctx, req, papers);
  if (!marks) return fail(marks.error());
  if (Status s = add_submitters(ctx, papers, *marks); !s.is_ok()) return fail(s);
  const Period& p = lr.period;
  // The trending page keeps its period in every link it makes.
  std::string prefix = lr.is_trending ? "period=" + std::string(period_kind_name(p.kind)) : "";
  auto chips = category_chips(ctx, lr, *lp, prefix);
  if (!chips) return fail(chips.error());

  nlohmann::json model = {{"title", lr.is_trending ? "Trending papers" : p.label},
                          {"heading", lr.is_trending ? "Trending papers" : p.label},
                          {"tagline", kTagline},
                          {"path", lr.path},
                          {"show_controls", true},
                          {"category_chips", *chips},
                          {"has_filter", !lp->cats.empty()},
                          {"clear_url", lr.path + listing_query(*lp, {}, prefix)},
                          {"view_class", lp->is_list ? "view-list" : "view-grid"},
                          {"cards", ctx.views.cards(papers, {}, &*marks)},
                          {"has_papers", !papers.empty()},
                          {"subscribe", true},
                          {"nav_daily", !lr.is_trending},
                          {"nav_trending", lr.is_trending}};
  model["count_text"] = std::to_string(total) + (total == 1 ? " paper" : " papers") +
                        (lp->page > 1 ? " (page " + std::to_string(lp->page) + ")" : "");
  model["empty_text"] = lp->cats.empty()
                            ? "No papers were listed in this period."
                            : "No papers in the selected categories in this period. Clear the filter to see all.";
  model["pager"] = pager_model(lr, *lp, prefix, total);
  if (Status s = add_stale_notice(ctx, model); !s.is_ok()) return fail(s);
  add_switches(lr, *lp, prefix, model);
  nlohmann::json nav = {{"kinds", nlohmann::json::array()}};
  if (lr.is_trending) {
    add_trending_model(lr, *lp, model, nav);
  } else {
    std::string listed_how = ctx.submissions != nullptr ? "Papers first listed or submitted " : "Papers first listed ";
    model["subheading"] =
        p.kind == Period::Kind::kDay ? listed_how + "on " + p.from_day : listed_how + p.from_day + " to " + p.to_day;
    if (Status s = add_period_nav(ctx, lr, *lp, nav); !s.is_ok()) return fail(s);
    add_feeds(lr, *lp, model);
  }
  model["nav"] = nav;
  personalise(ctx, req, model);
  if (!lr.is_trending) add_submit_form(ctx, model);
  Reply reply{.body = ctx.views.page("listing", model), .varies_by_cookie = true};
  if (!lp->view_param.empty()) {
    // The chosen layout is remembered for a year; a reply setting a cookie is never shared-cached.
    constexpr std::int64_t kYear = 365LL * 86400;
    reply.set_cookies.push_back(
        make_cookie(kViewCookie, lp->view_param, kYear, ctx.csrf != nullptr && ctx.csrf->secure_cookies()));
  }
  return reply;
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

// The date picker's GET form: /papers/date?day=YYYY-MM-DD answers 303 to /papers/date/YYYY-MM-DD,
// keeping the categories and order; anything but a valid day is a 400 that says what was wrong.
Result<Reply> date_picker(const Request& req) {
  std::string text = req.get_param_value("day");
  if (text.empty()) return fail(Status::invalid_argument("day: pick a date (YYYY-MM-DD)"));
  auto day = parse_day(text);
  if (!day) return fail(Status::invalid_argument("day: expected a date as YYYY-MM-DD, got '" + text + "'"));
  auto lp = listing_params(req);
  if (!lp) return fail(lp.error());
  return redirect("/papers/date/" + day->slug + listing_query(*lp, lp->cats));
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
  ctx.get("/papers/date", [](const Request& req) { return date_picker(req); });
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
