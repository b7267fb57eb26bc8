#include "web/routes/library.h"

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

std::string back_path(const Request& req, const std::string& fallback) {
  std::string back = req.get_param_value("back");
  return is_same_site_path(back) ? back : fallback;
}

Result<std::string> follow_button_html(RouteContext& ctx, const Request& req, app::FollowKind kind,
                                       const std::string& value, const std::string& label) {
  if (ctx.library == nullptr) return std::string();
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  nlohmann::json model = {{"label", label}, {"login_url", login_path(req.target, "follow")}};
  if (*viewer && !(*viewer)->is_bearer) {
    auto is_following = ctx.library->is_following((*viewer)->account, kind, value);
    if (!is_following) return fail(is_following.error());
    model["form"] = {{"csrf", ctx.csrf->session_token(req)},
                     {"kind", std::string(app::follow_kind_name(kind))},
                     {"value", value},
                     {"back", req.target.size() < 1000 ? req.target : req.path},
                     {"is_following", *is_following}};
  }
  return ctx.views.render("follow_button", model);
}

}  // namespace paperboy::web
