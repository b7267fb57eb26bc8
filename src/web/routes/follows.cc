// Follows and "My feed": follow buttons on category, author and search pages (POST /follow and
// /unfollow with a CSRF token), /feed (the newest papers matching what the account follows, each
// with why it matched), and the JSON API: GET /api/feed, GET/POST /api/follows,
// DELETE /api/follows?kind=&value=. What may be followed, and how much, is app::LibraryService's.
#include <map>

#include "core/time.h"
#include "web/csrf.h"
#include "web/export.h"
#include "web/html.h"
#include "web/routes/library.h"

namespace paperboy::web {
namespace {

constexpr int kFeedSize = 50;
constexpr int kPerFollow = 50;  // newest papers looked at per follow

std::string follow_label(const app::Follow& f) {
  if (f.kind != app::FollowKind::kAuthor) return f.value;
  size_t bar = f.value.find('|');
  if (bar == std::string::npos || bar + 1 == f.value.size()) return f.value.substr(0, bar);
  return f.value.substr(bar + 1) + " " + f.value.substr(0, bar);
}

std::string follow_reason(const app::Follow& f) {
  switch (f.kind) {
    case app::FollowKind::kCategory: return "you follow " + f.value;
    case app::FollowKind::kAuthor: return "you follow " + follow_label(f);
    case app::FollowKind::kSearch: return "matches your saved search '" + f.value + "'";
  }
  return "";
}

std::string follow_url(const app::Follow& f) {
  switch (f.kind) {
    case app::FollowKind::kCategory: return "/categories/" + url_encode(f.value);
    case app::FollowKind::kAuthor: {
      size_t bar = f.value.find('|');
      std::string path = "/authors/" + url_encode(f.value.substr(0, bar));
      if (bar != std::string::npos && bar + 1 < f.value.size()) path += "?f=" + url_encode(f.value.substr(bar + 1));
      return path;
    }
    case app::FollowKind::kSearch: return "/search?q=" + url_encode(f.value);
  }
  return "/";
}

nlohmann::json follow_json(const app::Follow& f) {
  return {{"id", f.id},           {"kind", std::string(app::follow_kind_name(f.kind))},
          {"value", f.value},     {"label", follow_label(f)},
          {"url", follow_url(f)}, {"createdAt", core::format_iso_datetime(f.created_at)}};
}

// The newest papers of one follow.
Result<std::vector<app::StoredPaper>> papers_of(RouteContext& ctx, const app::Follow& f) {
  switch (f.kind) {
    case app::FollowKind::kCategory: return ctx.papers.list(app::ListingQuery{"", "", {f.value}, kPerFollow, 0});
    case app::FollowKind::kAuthor: {
      size_t bar = f.value.find('|');
      std::string forenames = bar == std::string::npos ? "" : f.value.substr(bar + 1);
      return ctx.papers.by_author(f.value.substr(0, bar), forenames, kPerFollow, 0);
    }
    case app::FollowKind::kSearch: {
      if (ctx.search == nullptr) return std::vector<app::StoredPaper>();
      auto response = ctx.search->search(search::SearchRequest{f.value, search::Mode::kHybrid, kPerFollow, 0});
      // A saved query that no longer parses shows nothing rather than breaking the whole feed.
      if (!response) return std::vector<app::StoredPaper>();
      return papers_for_hits(ctx, response->hits);
    }
  }
  return std::vector<app::StoredPaper>();
}

struct FeedItem {
  app::StoredPaper paper;
  std::vector<std::string> reasons;
};

// Every followed source's newest papers, merged, newest first (by first version), each with the
// follows it matched.
Result<std::vector<FeedItem>> build_feed(RouteContext& ctx, const std::vector<app::Follow>& follows) {
  std::map<std::string, FeedItem> by_id;
  for (const auto& f : follows) {
    auto papers = papers_of(ctx, f);
    if (!papers) return fail(papers.error());
    for (auto& sp : *papers) {
      std::string id = sp.paper.id;  // the key must not be the string moved into the value
      auto it = by_id.try_emplace(id, FeedItem{std::move(sp), {}}).first;
      it->second.reasons.push_back(follow_reason(f));
    }
  }
  std::vector<FeedItem> items;
  items.reserve(by_id.size());
  for (auto& [id, item] : by_id) items.push_back(std::move(item));
  std::ranges::sort(items, [](const FeedItem& a, const FeedItem& b) {
    auto ta = a.paper.paper.first_version_time(), tb = b.paper.paper.first_version_time();
    return ta != tb ? ta > tb : a.paper.paper.id > b.paper.paper.id;
  });
  if (items.size() > kFeedSize) items.resize(kFeedSize);
  return items;
}

Result<Reply> feed_page(RouteContext& ctx, const Request& req, const app::Account& a) {
  auto follows = ctx.library->follows_of(a);
  if (!follows) return fail(follows.error());
  auto items = build_feed(ctx, *follows);
  if (!items) return fail(items.error());
  std::vector<app::StoredPaper> papers;
  for (const auto& item : *items) papers.push_back(item.paper);
  auto marks = vote_marks(ctx, req, papers);
  if (!marks) return fail(marks.error());
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& item : *items) {
    std::string why;
    for (const auto& r : item.reasons) why += (why.empty() ? "" : "; ") + r;
    entries.push_back({{"why", why}, {"card", ctx.views.cards(std::span(&item.paper, 1), {}, &*marks)}});
  }
  nlohmann::json follow_list = nlohmann::json::array();
  std::string csrf = ctx.csrf->session_token(req);
  for (const auto& f : *follows) {
    nlohmann::json j = follow_json(f);
    j["csrf"] = csrf;
    follow_list.push_back(j);
  }
  nlohmann::json model = {{"title", "My feed"},
                          {"entries", entries},
                          {"has_entries", !items->empty()},
                          {"follows", follow_list},
                          {"has_follows", !follows->empty()},
                          {"search_note", ctx.search == nullptr && std::ranges::any_of(*follows, [](const auto& f) {
                                            return f.kind == app::FollowKind::kSearch;
                                          })}};
  personalise(ctx, req, model);
  return Reply{.body = ctx.views.page("feed", model), .max_age_s = 0};
}

}  // namespace

void add_follow_routes(RouteContext& ctx) {
  ctx.post("/follow", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto f =
                 ctx.library->follow(a, req.get_param_value("kind"), req.get_param_value("value"), core::unix_now());
             if (!f) return fail(f.error());
             return redirect(back_path(req, "/feed"));
           }));
  ctx.post("/unfollow", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto removed = ctx.library->unfollow(a, req.get_param_value("kind"), req.get_param_value("value"));
             if (!removed) return fail(removed.error());
             return redirect(back_path(req, "/feed"));
           }));
  ctx.get("/feed", viewing(ctx, [&ctx](const Request& req, const app::Account& a) { return feed_page(ctx, req, a); }));
  ctx.get("/api/feed", viewing(ctx, [&ctx](const Request&, const app::Account& a) -> Result<Reply> {
            auto follows = ctx.library->follows_of(a);
            if (!follows) return fail(follows.error());
            auto items = build_feed(ctx, *follows);
            if (!items) return fail(items.error());
            nlohmann::json out = nlohmann::json::array();
            for (const auto& item : *items) {
              nlohmann::json j = daily_item_json(item.paper.paper);
              j["reasons"] = item.reasons;
              out.push_back(std::move(j));
            }
            return json_status(200, out);
          }));
  ctx.get("/api/follows", viewing(ctx, [&ctx](const Request&, const app::Account& a) -> Result<Reply> {
            auto follows = ctx.library->follows_of(a);
            if (!follows) return fail(follows.error());
            nlohmann::json out = nlohmann::json::array();
            for (const auto& f : *follows) out.push_back(follow_json(f));
            return json_status(200, out);
          }));
  ctx.post("/api/follows", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto f =
                 ctx.library->follow(a, string_field(*body, "kind"), string_field(*body, "value"), core::unix_now());
             if (!f) return fail(f.error());
             return json_status(201, follow_json(*f));
           }));
  ctx.del("/api/follows", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto removed = ctx.library->unfollow(a, req.get_param_value("kind"), req.get_param_value("value"));
            if (!removed) return fail(removed.error());
            return json_status(200, {{"removed", *removed}});
          }));
}

}  // namespace paperboy::web
