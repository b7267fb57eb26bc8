// Upvotes: POST and DELETE /api/papers/ID/upvote (Bearer token, or session cookie plus CSRF
// token), answering {"upvotes": N}; the vote marks every card list shows; the trending ranking
// (rank/trending.h) that /trending and sort=trending use.
#include <unordered_set>

#include "core/time.h"
#include "rank/trending.h"
#include "web/csrf.h"
#include "web/routes/common.h"

namespace paperboy::web {
namespace {

Reply json_status(int status, const nlohmann::json& body) {
  return Reply{.status = status, .body = body.dump(), .content_type = "application/json", .max_age_s = 0};
}

Result<Reply> vote(RouteContext& ctx, const httplib::Request& req, bool up) {
  auto viewer = request_viewer(ctx, req);
  if (!viewer) {
    if (viewer.error().code() == StatusCode::kPermissionDenied) {
      return json_status(401, {{"error", viewer.error().message()}, {"status", 401}});
    }
    return fail(viewer.error());
  }
  if (!*viewer) return json_status(401, {{"error", "log in or send Authorization: Bearer TOKEN"}, {"status", 401}});
  // A browser attaches cookies to cross-site requests on its own; a Bearer token it never does.
  if (!(*viewer)->is_bearer) {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
  }
  auto paper = find_paper(ctx.store, req.matches[1].str());
  if (!paper) return fail(paper.error());
  auto outcome = ctx.accounts->store().set_vote((*viewer)->account.id, paper->id, paper->first_version_time(), up,
                                                core::unix_now());
  if (!outcome) return fail(outcome.error());
  return json_status(200, {{"id", paper->id}, {"upvotes", outcome->upvotes}, {"voted", outcome->is_voted}});
}

}  // namespace

Result<VoteMarks> vote_marks(RouteContext& ctx, const httplib::Request& req,
                             std::span<const store::StoredPaper> papers) {
  VoteMarks marks;
  if (ctx.accounts == nullptr || papers.empty()) return marks;
  std::vector<std::string> ids;
  ids.reserve(papers.size());
  for (const auto& sp : papers) ids.push_back(sp.paper.id);
  auto counts = ctx.accounts->store().vote_counts(ids);
  if (!counts) return fail(counts.error());
  marks.counts = std::move(*counts);
  auto viewer = request_viewer(ctx, req);
  if (!viewer || !*viewer) return marks;
  auto voted = ctx.accounts->store().voted_papers((*viewer)->account.id, ids);
  if (!voted) return fail(voted.error());
  marks.voted = std::move(*voted);
  return marks;
}

Result<std::vector<store::StoredPaper>> trending_papers(RouteContext& ctx, const Period& period,
                                                        const std::vector<std::string>& cats, int limit, int offset) {
  store::CommunityStore* votes = ctx.accounts != nullptr ? &ctx.accounts->store() : nullptr;
  return rank::trending_papers(ctx.store, votes, period.from_day, period.to_day, cats, limit, offset);
}

void add_vote_routes(RouteContext& ctx) {
  ctx.post(R"(/api/papers/(.+)/upvote)", [&ctx](const httplib::Request& req) { return vote(ctx, req, true); });
  ctx.del(R"(/api/papers/(.+)/upvote)", [&ctx](const httplib::Request& req) { return vote(ctx, req, false); });
}

}  // namespace paperboy::web
