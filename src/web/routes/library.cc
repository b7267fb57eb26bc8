#include "web/routes/library.h"

#include <algorithm>
#include <variant>

#include "web/csrf.h"
#include "web/html.h"

namespace paperboy::web {
namespace {

Reply anonymous_reply(const Request& req) {
  if (req.path.starts_with("/api/")) {
    return json_status(401, {{"error", "log in or send Authorization: Bearer TOKEN"}, {"status", 401}});
  }
  return redirect("/login");
}

// The viewer, or the reply to give instead (anonymous, or a bad token).
Result<std::variant<store::Account, Reply>> account_or_reply(RouteContext& ctx, const Request& req, bool check_csrf) {
  using Out = std::variant<store::Account, Reply>;
  auto viewer = request_viewer(ctx, req);
  if (!viewer) {
    if (viewer.error().code() == StatusCode::kPermissionDenied) {
      return Out(json_status(401, {{"error", viewer.error().message()}, {"status", 401}}));
    }
    return fail(viewer.error());
  }
  if (!*viewer) return Out(anonymous_reply(req));
  // A browser attaches cookies to cross-site requests on its own; a Bearer token it never does.
  if (check_csrf && !(*viewer)->is_bearer) {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
  }
  return Out(std::move((*viewer)->account));
}

Handler with_account(RouteContext& ctx, AccountHandler body, bool check_csrf) {
  return [&ctx, body = std::move(body), check_csrf](const Request& req) -> Result<Reply> {
    auto who = account_or_reply(ctx, req, check_csrf);
    if (!who) return fail(who.error());
    if (auto* reply = std::get_if<Reply>(&*who)) return std::move(*reply);
    return body(req, std::get<store::Account>(*who));
  };
}

}  // namespace

Handler acting(RouteContext& ctx, AccountHandler body) {
  return with_account(ctx, std::move(body), true);
}
Handler viewing(RouteContext& ctx, AccountHandler body) {
  return with_account(ctx, std::move(body), false);
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

Reply too_many_requests(RouteContext& ctx, const Request& req, const std::string& message) {
  if (req.path.starts_with("/api/")) return json_status(429, {{"error", message}, {"status", 429}});
  return Reply{.status = 429, .body = message_page(ctx.views, "Slow down", {message}), .max_age_s = 0};
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
