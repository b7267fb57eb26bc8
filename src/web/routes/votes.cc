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
  auto viewer = api_account(ctx, req);
  if (!viewer) return fail(viewer.error());
  if (auto* refusal = std::get_if<Reply>(&*viewer)) return std::move(*refusal);
  const auto& account = std::get<store::Account>(*viewer);
  auto paper = find_paper(ctx.store, req.matches[1].str());
  if (!paper) return fail(paper.error());
  auto outcome =
      ctx.accounts->store().set_vote(account.id, paper->id, paper->first_version_time(), up, core::unix_now());
  if (!outcome) return fail(outcome.error());
  return json_status(200, {{"id", paper->id}, {"upvotes", outcome->upvotes}, {"voted", outcome->is_voted}});
}

// Marks the papers among `ids` that curators featured.
Status add_featured(RouteContext& ctx, const std::vector<std::string>& ids, VoteMarks& marks) {
  if (ctx.curation == nullptr) return Status::ok();
  auto flags = ctx.curation->flags_of(ids);
  if (!flags) return flags.error();
  for (const auto& [id, f] : *flags) {
    if (f.is_featured) marks.featured.insert(id);
  }
  return Status::ok();
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
  if (viewer && *viewer) {
    auto voted = ctx.accounts->store().voted_papers((*viewer)->account.id, ids);
    if (!voted) return fail(voted.error());
    marks.voted.swap(*voted);
  }
  if (Status s = add_featured(ctx, ids, marks); !s.is_ok()) return fail(s);
  return marks;
}

Result<std::vector<store::StoredPaper>> trending_papers(RouteContext& ctx, const Period& period,
                                                        const std::vector<std::string>& cats, int limit, int offset) {
  auto hidden = hidden_paper_ids(ctx);
  if (!hidden) return fail(hidden.error());
  std::unordered_set<std::string> is_hidden(hidden->begin(), hidden->end());
  std::vector<store::StoredPaper> ranked;
  if (ctx.accounts != nullptr && !period.from_day.empty()) {
    auto from = core::parse_iso8601(period.from_day);
    auto to = core::parse_iso8601(period.to_day);
    if (!from || !to) return fail(Status::internal("bad period " + period.from_day + ".." + period.to_day));
    std::int64_t end = *to + 86400;  // the end of the period's last day
    auto voted = ctx.accounts->store().voted_papers_published_between(*from, end - 1);
    if (!voted) return fail(voted.error());
    for (const auto& entry : rank::rank_trending(*voted, end)) {
      if (is_hidden.contains(entry.paper_id)) continue;
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
  q.exclude_ids = std::move(*hidden);
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
