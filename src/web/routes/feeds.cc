// Atom 1.0 (RFC 4287) and RSS 2.0 feeds under /feeds/: the newest listing day, trending (past
// week), any category, and any saved search (/feeds/search.atom?q=...&mode=...).
#include "core/time.h"
#include "web/export.h"
#include "web/html.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr int kFeedSize = 100;

Reply feed_reply(const FeedInfo& info, const std::vector<app::StoredPaper>& papers, bool atom) {
  return Reply{.body = atom ? render_atom(info, papers) : render_rss(info, papers),
               .content_type = atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8",
               .max_age_s = 300};
}

std::int64_t newest_time(const std::vector<app::StoredPaper>& papers) {
  std::int64_t t = 0;
  for (const auto& sp : papers) t = std::max(t, sp.paper.first_version_time());
  return t;
}

// The papers of a period as the listing shows them (curated: featured and submitted first, none
// hidden), or the newest of a category when `period` is empty.
Result<std::vector<app::StoredPaper>> latest_day_papers(RouteContext& ctx, const std::vector<std::string>& cats,
                                                        const std::string& from_day) {
  if (!from_day.empty()) {
    Period period;
    period.from_day = from_day;
    period.to_day = "9999-12-31";
    auto listed = curated_listing(ctx, period, cats, kFeedSize, 0);
    if (!listed) return fail(listed.error());
    return std::move(listed->papers);
  }
  auto hidden = hidden_paper_ids(ctx);
  if (!hidden) return fail(hidden.error());
  app::ListingQuery q{from_day, "", cats, kFeedSize, 0, std::move(*hidden)};
  return ctx.papers.list(q);
}

}  // namespace

void add_feed_routes(RouteContext& ctx) {
  ctx.get(R"(/feeds/(daily|trending)\.(atom|rss))", [&ctx](const Request& req) -> Result<Reply> {
    bool daily = req.matches[1] == "daily";
    bool atom = req.matches[2] == "atom";
    std::string base = ctx.base_url();
    std::vector<app::StoredPaper> papers;
    if (auto newest = newest_listing_day(ctx); !newest) {
      return fail(newest.error());
    } else if (!newest->empty()) {
      auto period = trending_period(ctx, daily ? "day" : "week");
      if (!period) return fail(period.error());
      auto list = latest_day_papers(ctx, {}, period->from_day);
      if (!list) return fail(list.error());
      papers = std::move(*list);
    }
    FeedInfo info{daily ? "Paperboy: daily papers" : "Paperboy: trending papers",
                  daily ? "Papers from the newest arXiv listing day"
                        : "Trending papers of the past week (by votes; newest first until voting exists)",
                  base + req.path, base + (daily ? "/" : "/trending"), newest_time(papers)};
    return feed_reply(info, papers, atom);
  });
  ctx.get(R"(/feeds/category/([A-Za-z0-9._-]+)\.(atom|rss))", [&ctx](const Request& req) -> Result<Reply> {
    std::string cat = req.matches[1];
    bool atom = req.matches[2] == "atom";
    std::string base = ctx.base_url();
    auto papers = latest_day_papers(ctx, {cat}, "");
    if (!papers) return fail(papers.error());
    FeedInfo info{"Paperboy: " + cat, "The newest papers in " + cat, base + req.path,
                  base + "/categories/" + url_encode(cat), newest_time(*papers)};
    return feed_reply(info, *papers, atom);
  });
  ctx.get(R"(/feeds/search\.(atom|rss))", [&ctx](const Request& req) -> Result<Reply> {
    bool atom = req.matches[1] == "atom";
    if (ctx.search == nullptr) return fail(Status::unavailable("search is not running on this server"));
    auto sr = search_request(req, 50);
    if (!sr) return fail(sr.error());
    if (sr->query.empty()) return fail(Status::invalid_argument("q: a saved-search feed needs a query"));
    auto response = ctx.search->search(*sr);
    if (!response) return fail(response.error());
    auto papers = papers_for_hits(ctx, response->hits);
    if (!papers) return fail(papers.error());
    std::string base = ctx.base_url();
    std::string query = "q=" + url_encode(sr->query) + "&mode=" + mode_string(sr->mode);
    FeedInfo info{"Paperboy search: " + sr->query, "Papers matching the saved search '" + sr->query + "'",
                  base + req.path + "?" + query, base + "/search?" + query, newest_time(*papers)};
    return feed_reply(info, *papers, atom);
  });
}

}  // namespace paperboy::web
