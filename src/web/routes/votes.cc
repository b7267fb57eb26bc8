// Upvotes: POST and DELETE /api/papers/ID/upvote (Bearer token, or session cookie plus CSRF
// token), answering {"upvotes": N}; the vote marks every card list shows; the trending ranking
// (rank/trending.h) that /trending and sort=trending use. Which votes count is app::VoteService's.
#include <unordered_set>

#include "core/time.h"
#include "rank/trending.h"
#include "web/csrf.h"
#include "web/routes/common.h"

namespace paperboy::web {
namespace {

Result<Reply> vote(RouteContext& ctx, const Request& req, bool up) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto outcome = ctx.votes->set_vote(*account, req.matches[1], up, core::unix_now());
  if (!outcome) return fail(outcome.error());
  return json_status(200, {{"id", outcome->paper_id}, {"upvotes", outcome->upvotes}, {"voted", outcome->is_voted}});
}

// Marks the papers among `ids` that curators featured.
Status add_featured(RouteContext& ctx, const std::vector<std::string>& ids, VoteMarks& marks) {
  if (ctx.curator == nullptr) return Status::ok();
  auto flags = ctx.curator->flags_of(ids);
  if (!flags) return flags.error();
  for (const auto& [id, f] : *flags) {
    if (f.is_featured) marks.featured.insert(id);
  }
  return Status::ok();
}

// The viewer's own marks: which papers it voted for and saved. A function of its own because GCC 12
// reports a bogus -Wfree-nonheap-object when these lookups are inlined into vote_marks.
[[gnu::noinline]] Status add_viewer_marks(RouteContext& ctx, const app::Account& account,
                                          const std::vector<std::string>& ids, VoteMarks& marks) {
  auto voted = ctx.votes->voted_among(account, ids);
  if (!voted) return voted.error();
  marks.voted.swap(*voted);
  if (ctx.library == nullptr) return Status::ok();
  auto saved = ctx.library->saved_among(account, ids);
  if (!saved) return saved.error();
  marks.saved.swap(*saved);
  return Status::ok();
}

}  // namespace

Result<VoteMarks> vote_marks(RouteContext& ctx, const Request& req, std::span<const app::StoredPaper> papers) {
  VoteMarks marks;
  if (papers.empty()) return marks;
  std::vector<std::string> ids;
  ids.reserve(papers.size());
  for (const auto& sp : papers) ids.push_back(sp.paper.id);
  // Thumbnails show with or without the community features.
  auto thumbnails = ctx.papers.thumbnails_of(ids);
  if (!thumbnails) return fail(thumbnails.error());
  marks.thumbnails = std::move(*thumbnails);
  if (ctx.votes == nullptr) return marks;
  auto counts = ctx.votes->counts(ids);
  if (!counts) return fail(counts.error());
  marks.counts = std::move(*counts);
  marks.can_save = ctx.library != nullptr;
  marks.has_comments = ctx.library != nullptr;
  if (ctx.library != nullptr) {
    auto comments = ctx.library->comment_counts(ids);
    if (!comments) return fail(comments.error());
    marks.comments = std::move(*comments);
  }
  auto viewer = request_viewer(ctx, req);
  if (viewer && *viewer) {
    if (Status s = add_viewer_marks(ctx, (*viewer)->account, ids, marks); !s.is_ok()) return fail(s);
  }
  if (Status s = add_featured(ctx, ids, marks); !s.is_ok()) return fail(s);
  return marks;
}

Result<std::vector<app::StoredPaper>> trending_papers(RouteContext& ctx, const Period& period,
                                                      const std::vector<std::string>& cats, int limit, int offset) {
  return ctx.listings->trending({period.from_day, period.to_day, cats, limit, offset});
}

void add_vote_routes(RouteContext& ctx) {
  ctx.post(R"(/api/papers/(.+)/upvote)", [&ctx](const Request& req) { return vote(ctx, req, true); });
  ctx.del(R"(/api/papers/(.+)/upvote)", [&ctx](const Request& req) { return vote(ctx, req, false); });
}

}  // namespace paperboy::web
