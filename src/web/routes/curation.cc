// What the community adds to the listings: "submit a paper" (POST /api/papers/submit with a Bearer
// token or a session cookie plus CSRF token, and the form on listing pages, POST /submit), and
// curators' flags (POST /api/papers/ID/feature|unfeature|hide|unhide, and the buttons on the paper
// page, POST /papers/ID/curation), through app::CurationService. Also the curated listing every
// listing, feed and the API use (app::ListingService): featured first, then submitted papers, then
// arXiv's day; hidden papers nowhere.

#include "core/arxiv_id.h"
#include "core/time.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/http_status.h"
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

Result<Reply> submit_api(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto body = json_body(req);
  if (!body) return fail(body.error());
  std::string id = string_field(*body, "id");
  if (id.empty()) return fail(Status::invalid_argument("id: an arXiv id or URL is required"));
  auto outcome = ctx.submissions->submit(*account, id, core::unix_now());
  if (!outcome) return fail(outcome.error());
  // The first submitter (someone else when the paper was already submitted).
  auto submitted = ctx.curator->submitted(outcome->paper.id);
  if (!submitted) return fail(submitted.error());
  std::string name = *submitted ? (*submitted)->submitter_name.value_or("a former member") : account->name;
  nlohmann::json out = {{"id", outcome->paper.id},
                        {"title", outcome->paper.title},
                        {"listing_day", outcome->submission.listing_day},
                        {"submitted_by", name},
                        {"is_new", outcome->is_new}};
  if (!outcome->is_new) {
    out["message"] = "arXiv:" + outcome->paper.id + " was already submitted on " + outcome->submission.listing_day;
  }
  return json_status(outcome->is_new ? 201 : 200, out);
}

// The submit page: the form with what was typed, the refusal beside it and the age rule, and a link
// to the paper when Paperboy already has it (a paper too old to submit may still be here).
Result<Reply> submit_page(RouteContext& ctx, const Request& req, const std::string& typed, const Status& refusal) {
  Reply reply{.status = refusal.is_ok() ? 200 : http_status(refusal), .max_age_s = 0};
  int max_age = ctx.submissions->options().max_age_days;
  nlohmann::json model = {{"title", "Submit a paper"},
                          {"id", typed},
                          {"error", refusal.is_ok() ? "" : refusal.message()},
                          {"rule", "Papers whose first version is at most " + std::to_string(max_age) +
                                       " days old can be submitted; older papers arrive with arXiv's daily listings."},
                          {"csrf", ctx.csrf->session_token(req)}};
  if (!refusal.is_ok()) {
    reply.retry_after_s = refusal.retry_after_s();
    if (auto id = core::parse_arxiv_id(typed)) {
      auto here = ctx.papers.find(id->id);
      if (here) model["existing"] = {{"url", "/papers/" + here->id}, {"title", here->title}};
    }
  }
  personalise(ctx, req, model);
  reply.body = ctx.views.page("submit", model);
  return reply;
}

// Refusals the reader can act on are shown on the form; anything else is the server's error.
bool is_submit_refusal(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kRateLimited:
    case StatusCode::kUnavailable: return true;
    default: return false;
  }
}

Result<Reply> submit_form(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  std::string typed = req.get_param_value("id");
  auto outcome = ctx.submissions->submit(*account, typed, core::unix_now());
  if (!outcome && is_submit_refusal(outcome.error())) return submit_page(ctx, req, typed, outcome.error());
  if (!outcome) return fail(outcome.error());
  // To the listing that now shows the paper, scrolled to it.
  return redirect("/papers/date/" + outcome->submission.listing_day + "#" + card_anchor(outcome->paper.id));
}

Result<Reply> curate_api(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto action = app::parse_curation_action(req.matches[2]);
  if (!action) return fail(action.error());
  auto flags = ctx.curator->curate(*account, req.matches[1], *action, core::unix_now());
  if (!flags) return fail(flags.error());
  auto id = core::parse_arxiv_id(req.matches[1]);
  return json_status(
      200,
      {{"id", id ? id->id : req.matches[1]}, {"is_featured", flags->is_featured}, {"is_hidden", flags->is_hidden}});
}

Result<Reply> curate_form(RouteContext& ctx, const Request& req) {
  auto account = signed_in(ctx, req, Access::kChange);
  if (!account) return fail(account.error());
  auto action = app::parse_curation_action(req.get_param_value("action"));
  if (!action) return fail(action.error());
  auto flags = ctx.curator->curate(*account, req.matches[1], *action, core::unix_now());
  if (!flags) return fail(flags.error());
  auto id = core::parse_arxiv_id(req.matches[1]);
  return redirect("/papers/" + (id ? id->id : std::string()));
}

}  // namespace

Result<std::vector<std::string>> hidden_paper_ids(RouteContext& ctx) {
  return ctx.listings->hidden_paper_ids();
}

Result<std::string> newest_listing_day(RouteContext& ctx) {
  return ctx.listings->newest_listing_day();
}

Result<CuratedListing> curated_listing(RouteContext& ctx, const Period& period, const std::vector<std::string>& cats,
                                       int limit, int offset, app::ListingSort sort) {
  return ctx.listings->curated({period.from_day, period.to_day, cats, limit, offset, sort});
}

Status add_submitters(RouteContext& ctx, std::span<const app::StoredPaper> papers, VoteMarks& marks) {
  if (ctx.curator == nullptr) return Status::ok();
  for (const auto& sp : papers) {
    auto submitted = ctx.curator->submitted(sp.paper.id);
    if (!submitted) return submitted.error();
    if (*submitted && (*submitted)->submitter_name) marks.submitters[sp.paper.id] = *(*submitted)->submitter_name;
  }
  return Status::ok();
}

void add_curation_routes(RouteContext& ctx) {
  ctx.post("/api/papers/submit", [&ctx](const Request& req) { return submit_api(ctx, req); });
  ctx.post("/submit", [&ctx](const Request& req) { return submit_form(ctx, req); });
  ctx.get("/submit", [&ctx](const Request& req) -> Result<Reply> {
    auto account = signed_in(ctx, req, Access::kRead);
    if (!account) return fail(account.error());
    return submit_page(ctx, req, req.get_param_value("id"), Status::ok());
  });
  ctx.post(R"(/api/papers/(.+)/(feature|unfeature|hide|unhide))",
           [&ctx](const Request& req) { return curate_api(ctx, req); });
  ctx.post(R"(/papers/(.+)/curation)", [&ctx](const Request& req) { return curate_form(ctx, req); });
}

}  // namespace paperboy::web
