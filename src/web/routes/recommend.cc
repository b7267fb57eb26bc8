// "Recommended for you": GET /recommended (the logged-in viewer's page, each paper with the reason
// it is recommended; an empty state that says to upvote a few papers) and GET /api/recommendations
// (Bearer token or session cookie; JSON with scores and reasons). The model is rank::Recommender.
#include "rank/recommender.h"
#include "web/export.h"
#include "web/page_text.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr int kPageSize = 20;

Reply json_status(int status, const nlohmann::json& body) {
  return Reply{.status = status, .body = body.dump(), .content_type = "application/json", .max_age_s = 0};
}

nlohmann::json recommendation_json(const rank::Recommendation& r) {
  nlohmann::json out = paper_api_json(r.paper.paper);
  nlohmann::json because = nlohmann::json::array();
  for (const auto& l : r.reason.similar_liked) {
    because.push_back({{"id", l.id}, {"title", l.title}, {"similarity", l.similarity}});
  }
  out["recommendation"] = {{"score", r.score},
                           {"reason", r.reason.text()},
                           {"similar_liked", because},
                           {"shared_authors", r.reason.shared_authors},
                           {"shared_terms", r.reason.shared_terms},
                           {"followed", r.reason.followed}};
  return out;
}

std::string percent(double score) {
  return std::to_string(static_cast<int>(score * 100 + 0.5)) + "%";
}

Result<Reply> page(RouteContext& ctx, const Request& req) {
  if (ctx.options.recommender == nullptr || ctx.accounts == nullptr) {
    return Reply{.body = message_page(ctx, req, "Recommendations are not available",
                                      {"This server runs without accounts or without semantic search, so it cannot "
                                       "recommend papers."}),
                 .max_age_s = 0};
  }
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  if (!*viewer) return redirect(login_path(req.target));  // and back here afterwards
  auto recs = ctx.options.recommender->recommend((*viewer)->account.id, kPageSize);
  if (!recs) return fail(recs.error());
  std::vector<app::StoredPaper> papers;
  std::vector<std::string> notes;
  for (const auto& r : *recs) {
    papers.push_back(r.paper);
    notes.push_back("Match " + percent(r.score) + " · " + r.reason.text());
  }
  auto marks = vote_marks(ctx, req, papers);
  if (!marks) return fail(marks.error());
  const int days = ctx.options.recommender->options().window_days;
  nlohmann::json model = {
      {"title", "Recommended for you"},
      {"heading", "Recommended for you"},
      {"subheading", "Papers of the last " + std::to_string(days) +
                         " listing days, ranked by how much they resemble the papers you upvoted. Each says why."},
      {"count_text", count_noun(static_cast<std::int64_t>(papers.size()), "paper", "papers")},
      {"cards", ctx.views.cards(papers, {}, &*marks, &notes)},
      {"has_papers", !papers.empty()},
      {"empty_text",
       "Nothing to recommend yet: upvote a few papers you like (the ▲ on any listing) and papers like "
       "them will appear here."}};
  personalise(ctx, req, model);
  return Reply{.body = ctx.views.page("listing", model), .max_age_s = 0};
}

Result<Reply> api(RouteContext& ctx, const Request& req) {
  if (ctx.options.recommender == nullptr || ctx.accounts == nullptr) {
    return fail(Status::not_found("recommendations are not available on this server"));
  }
  auto account = signed_in(ctx, req, Access::kRead);
  if (!account) return fail(account.error());
  auto limit = int_param(req, "limit", kPageSize, 1, 100);
  if (!limit) return fail(limit.error());
  auto recs = ctx.options.recommender->recommend(account->id, *limit);
  if (!recs) return fail(recs.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : *recs) items.push_back(recommendation_json(r));
  return json_status(200, {{"items", items},
                           {"window_days", ctx.options.recommender->options().window_days},
                           {"empty_hint", items.empty() ? "upvote a few papers to get recommendations" : ""}});
}

}  // namespace

void add_recommend_routes(RouteContext& ctx) {
  ctx.get("/recommended", [&ctx](const Request& req) { return page(ctx, req); });
  ctx.get("/api/recommendations", [&ctx](const Request& req) { return api(ctx, req); });
}

}  // namespace paperboy::web
