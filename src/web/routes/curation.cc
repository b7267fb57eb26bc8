// What the community adds to the listings: "submit a paper" (POST /api/papers/submit with a Bearer
// token or a session cookie plus CSRF token, and the form on listing pages, POST /submit), and
// curators' flags (POST /api/papers/ID/feature|unfeature|hide|unhide, and the buttons on the paper
// page, POST /papers/ID/curation). Also the curated listing every listing, feed and the API use:
// featured first, then submitted papers, then arXiv's day; hidden papers nowhere.
#include <unordered_set>
#include <variant>

#include "core/arxiv_id.h"
#include "core/time.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

// The anchor a card gets in a listing (views.cc), so a redirect can point at the paper.
std::string card_anchor(const std::string& id) {
  std::string anchor = "p-";
  for (char c : id) anchor += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
  return anchor;
}

Result<std::string> account_name(RouteContext& ctx, std::int64_t account_id) {
  auto account = ctx.accounts->store().get_account(account_id);
  if (!account) return fail(account.error());
  return *account ? (*account)->account.name : std::string("a former member");
}

Result<Reply> submit_api(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto body = json_body(req);
  if (!body) return fail(body.error());
  std::string id = string_field(*body, "id");
  if (id.empty()) return fail(Status::invalid_argument("id: an arXiv id or URL is required"));
  auto outcome = ctx.submissions->submit(*account, id, core::unix_now());
  if (!outcome) return fail(outcome.error());
  auto name = account_name(ctx, outcome->submission.account_id);
  if (!name) return fail(name.error());
  nlohmann::json out = {{"id", outcome->paper.id},
                        {"title", outcome->paper.title},
                        {"listing_day", outcome->submission.listing_day},
                        {"submitted_by", *name},
                        {"is_new", outcome->is_new}};
  if (!outcome->is_new) {
    out["message"] = "arXiv:" + outcome->paper.id + " was already submitted on " + outcome->submission.listing_day;
  }
  return json_status(outcome->is_new ? 201 : 200, out);
}

Result<Reply> submit_form(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto outcome = ctx.submissions->submit(*account, req.get_param_value("id"), core::unix_now());
  if (!outcome) return fail(outcome.error());
  // To the listing that now shows the paper, scrolled to it.
  return redirect("/papers/date/" + outcome->submission.listing_day + "#" + card_anchor(outcome->paper.id));
}

enum class CurationAction { kFeature, kUnfeature, kHide, kUnhide };

Result<CurationAction> parse_action(std::string_view name) {
  if (name == "feature") return CurationAction::kFeature;
  if (name == "unfeature") return CurationAction::kUnfeature;
  if (name == "hide") return CurationAction::kHide;
  if (name == "unhide") return CurationAction::kUnhide;
  return fail(
      Status::invalid_argument("action: expected feature, unfeature, hide or unhide, got '" + std::string(name) + "'"));
}

// Applies a curator's action to a stored paper; the paper's current flags afterwards.
Result<store::CurationFlags> curate(RouteContext& ctx, const store::Account& by, const std::string& raw_id,
                                    CurationAction action) {
  if (by.role != store::Role::kCurator && by.role != store::Role::kAdmin) {
    return fail(Status::permission_denied("only curators and admins can feature or hide papers"));
  }
  auto paper = find_paper(ctx.store, raw_id);
  if (!paper) return fail(paper.error());
  // A featured paper goes first in the listing that shows it: its submission day, else arXiv's.
  auto submission = ctx.curation->get_submission(paper->id);
  if (!submission) return fail(submission.error());
  std::string day = *submission ? (*submission)->listing_day : paper->listing_day();
  bool on = action == CurationAction::kFeature || action == CurationAction::kHide;
  auto flag = action == CurationAction::kFeature || action == CurationAction::kUnfeature
                  ? store::CurationFlag::kFeatured
                  : store::CurationFlag::kHidden;
  if (Status s = ctx.curation->set_flag(paper->id, day, flag, on, by.id, core::unix_now()); !s.is_ok()) return fail(s);
  std::vector<std::string> ids = {paper->id};
  auto flags = ctx.curation->flags_of(ids);
  if (!flags) return fail(flags.error());
  auto it = flags->find(paper->id);
  return it == flags->end() ? store::CurationFlags{} : it->second;
}

Result<Reply> curate_api(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto action = parse_action(req.matches[2]);
  if (!action) return fail(action.error());
  auto flags = curate(ctx, *account, req.matches[1], *action);
  if (!flags) return fail(flags.error());
  auto id = core::parse_arxiv_id(req.matches[1]);
  return json_status(
      200,
      {{"id", id ? id->id : req.matches[1]}, {"is_featured", flags->is_featured}, {"is_hidden", flags->is_hidden}});
}

Result<Reply> curate_form(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto action = parse_action(req.get_param_value("action"));
  if (!action) return fail(action.error());
  auto flags = curate(ctx, *account, req.matches[1], *action);
  if (!flags) return fail(flags.error());
  auto id = core::parse_arxiv_id(req.matches[1]);
  return redirect("/papers/" + (id ? id->id : std::string()));
}

}  // namespace

Result<std::vector<std::string>> hidden_paper_ids(RouteContext& ctx) {
  if (ctx.curation == nullptr) return std::vector<std::string>();
  return ctx.curation->flagged(store::CurationFlag::kHidden);
}

Result<std::string> newest_listing_day(RouteContext& ctx) {
  auto newest = ctx.store.newest_listing_day();
  if (!newest) return fail(newest.error());
  if (ctx.curation == nullptr) return newest;
  auto submitted = ctx.curation->newest_submission_day();
  if (!submitted) return fail(submitted.error());
  return std::max(*newest, *submitted);
}

Result<CuratedListing> curated_listing(RouteContext& ctx, const Period& period, const std::vector<std::string>& cats,
                                       int limit, int offset) {
  CuratedListing out;
  store::ListingQuery q{period.from_day, period.to_day, cats, limit, offset};
  std::vector<store::StoredPaper> pinned;
  if (ctx.curation != nullptr) {
    auto hidden = ctx.curation->flagged(store::CurationFlag::kHidden);
    if (!hidden) return fail(hidden.error());
    std::unordered_set<std::string> excluded(hidden->begin(), hidden->end());
    auto featured = ctx.curation->flagged_between(store::CurationFlag::kFeatured, period.from_day, period.to_day);
    if (!featured) return fail(featured.error());
    auto submitted = ctx.curation->submissions_between(period.from_day, period.to_day);
    if (!submitted) return fail(submitted.error());
    // Each paper once: a pinned paper is left out of arXiv's part below, as hidden ones are.
    auto pin = [&](const std::string& id) -> Status {
      if (!excluded.insert(id).second) return Status::ok();
      auto sp = ctx.store.get_paper(id);
      if (!sp) return sp.error();
      if (*sp && (*sp)->paper.in_any_category(cats)) pinned.push_back(std::move(**sp));
      return Status::ok();
    };
    for (const auto& id : *featured) {
      if (Status st = pin(id); !st.is_ok()) return fail(st);
    }
    // Featured papers newest first among themselves (flagged_between orders by id).
    std::stable_sort(pinned.begin(), pinned.end(), [](const auto& a, const auto& b) {
      return a.paper.first_version_time() > b.paper.first_version_time();
    });
    for (const auto& sub : *submitted) {
      if (Status st = pin(sub.paper_id); !st.is_ok()) return fail(st);
    }
    q.exclude_ids.assign(excluded.begin(), excluded.end());
  }
  auto pinned_count = static_cast<int>(pinned.size());
  for (int i = offset; i < pinned_count && static_cast<int>(out.papers.size()) < limit; ++i) {
    out.papers.push_back(std::move(pinned[static_cast<size_t>(i)]));
  }
  q.offset = std::max(0, offset - pinned_count);
  q.limit = limit - static_cast<int>(out.papers.size());
  if (q.limit > 0) {
    auto rest = ctx.store.list_papers(q);
    if (!rest) return fail(rest.error());
    for (auto& sp : *rest) out.papers.push_back(std::move(sp));
  }
  auto total = ctx.store.count_papers(q);
  if (!total) return fail(total.error());
  out.total = *total + pinned_count;
  return out;
}

void add_curation_routes(RouteContext& ctx) {
  ctx.post("/api/papers/submit", [&ctx](const Request& req) { return submit_api(ctx, req); });
  ctx.post("/submit", [&ctx](const Request& req) { return submit_form(ctx, req); });
  ctx.post(R"(/api/papers/(.+)/(feature|unfeature|hide|unhide))",
           [&ctx](const Request& req) { return curate_api(ctx, req); });
  ctx.post(R"(/papers/(.+)/curation)", [&ctx](const Request& req) { return curate_form(ctx, req); });
}

}  // namespace paperboy::web
