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

bool has_any_category(const core::Paper& p, const std::vector<std::string>& cats) {
  if (cats.empty()) return true;
  for (const auto& c : p.categories) {
    if (std::find(cats.begin(), cats.end(), c) != cats.end()) return true;
  }
  return false;
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
  marks.can_save = ctx.library != nullptr;
  if (ctx.library != nullptr) {
    auto comments = ctx.library->comment_counts(ids);
    if (!comments) return fail(comments.error());
    marks.comments = std::move(*comments);
  }
  auto viewer = request_viewer(ctx, req);
  if (viewer && *viewer) {
    auto voted = ctx.accounts->store().voted_papers((*viewer)->account.id, ids);
    if (!voted) return fail(voted.error());
    marks.voted = std::move(*voted);
    if (ctx.library != nullptr) {
      // Only look: the default collection is made on the first save, not on every page view.
      auto mine = ctx.library->collections_of((*viewer)->account.id);
      if (!mine) return fail(mine.error());
      for (const auto& c : *mine) {
        if (!c.is_default) continue;
        auto saved = ctx.library->papers_in_collection(c.id, ids);
        if (!saved) return fail(saved.error());
        marks.saved = std::move(*saved);
      }
    }
  }
  return marks;
}

Result<std::vector<store::StoredPaper>> trending_papers(RouteContext& ctx, const Period& period,
                                                        const std::vector<std::string>& cats, int limit, int offset) {
  std::vector<store::StoredPaper> ranked;
  if (ctx.accounts != nullptr && !period.from_day.empty()) {
    auto from = core::parse_iso8601(period.from_day);
    auto to = core::parse_iso8601(period.to_day);
    if (!from || !to) return fail(Status::internal("bad period " + period.from_day + ".." + period.to_day));
    std::int64_t end = *to + 86400;  // the end of the period's last day
    auto voted = ctx.accounts->store().voted_papers_published_between(*from, end - 1);
    if (!voted) return fail(voted.error());
    for (const auto& entry : rank::rank_trending(*voted, end)) {
      auto sp = ctx.store.get_paper(entry.paper_id);
      if (!sp) return fail(sp.error());
      if (*sp && has_any_category((*sp)->paper, cats)) ranked.push_back(std::move(**sp));
    }
  }
  std::vector<store::StoredPaper> out;
  for (size_t i = static_cast<size_t>(offset); i < ranked.size() && static_cast<int>(out.size()) < limit; ++i) {
    out.push_back(ranked[i]);
  }
  if (static_cast<int>(out.size()) == limit) return out;
  // The rest of the period newest first, skipping the ranked papers.
  std::unordered_set<std::string> seen;
  for (const auto& sp : ranked) seen.insert(sp.paper.id);
  int rest_offset = std::max(0, offset - static_cast<int>(ranked.size()));
  store::ListingQuery q{period.from_day, period.to_day, cats, limit + static_cast<int>(ranked.size()), rest_offset};
  auto rest = ctx.store.list_papers(q);
  if (!rest) return fail(rest.error());
  for (auto& sp : *rest) {
    if (static_cast<int>(out.size()) == limit) break;
    if (!seen.contains(sp.paper.id)) out.push_back(std::move(sp));
  }
  return out;
}

void add_vote_routes(RouteContext& ctx) {
  ctx.post(R"(/api/papers/(.+)/upvote)", [&ctx](const httplib::Request& req) { return vote(ctx, req, true); });
  ctx.del(R"(/api/papers/(.+)/upvote)", [&ctx](const httplib::Request& req) { return vote(ctx, req, false); });
}

}  // namespace paperboy::web
