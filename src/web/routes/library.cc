#include "web/routes/library.h"

#include <algorithm>

#include "web/csrf.h"
#include "web/html.h"

namespace paperboy::web {
namespace {

Handler with_account(RouteContext& ctx, AccountHandler body, Access access) {
  return [&ctx, body = std::move(body), access](const Request& req) -> Result<Reply> {
    auto account = signed_in(ctx, req, access);
    if (!account) return fail(account.error());
    return body(req, *account);
  };
}

}  // namespace

Handler acting(RouteContext& ctx, AccountHandler body) {
  return with_account(ctx, std::move(body), Access::kChange);
}
Handler viewing(RouteContext& ctx, AccountHandler body) {
  return with_account(ctx, std::move(body), Access::kRead);
}

Result<std::vector<store::StoredPaper>> papers_by_ids(store::Store& store, const std::vector<std::string>& ids) {
  std::vector<store::StoredPaper> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    auto sp = store.get_paper(id);
    if (!sp) return fail(sp.error());
    if (*sp) out.push_back(std::move(**sp));
  }
  return out;
}

std::string back_path(const Request& req, const std::string& fallback) {
  std::string back = req.get_param_value("back");
  return is_same_site_path(back) ? back : fallback;
}

Result<std::string> follow_button_html(RouteContext& ctx, const Request& req, store::FollowKind kind,
                                       const std::string& value, const std::string& label) {
  if (ctx.library == nullptr) return std::string();
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  nlohmann::json model = {{"label", label}};
  if (*viewer && !(*viewer)->is_bearer) {
    auto follows = ctx.library->follows_of((*viewer)->account.id);
    if (!follows) return fail(follows.error());
    bool is_following = std::any_of(follows->begin(), follows->end(),
                                    [&](const store::Follow& f) { return f.kind == kind && f.value == value; });
    model["form"] = {{"csrf", ctx.csrf->session_token(req)},
                     {"kind", std::string(store::follow_kind_name(kind))},
                     {"value", value},
                     {"back", req.target.size() < 1000 ? req.target : req.path},
                     {"is_following", is_following}};
  }
  return ctx.views.render("follow_button", model);
}

}  // namespace paperboy::web
