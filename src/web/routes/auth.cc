// Accounts on the web: /signup, /login, /logout, /account (API tokens, deletion), password reset
// by signed link (/password/forgot, /password/reset), and the JSON API /api/auth/signup and
// /api/auth/token. Every form carries a CSRF token (web/csrf.h); form pages are never cached.
#include <spdlog/spdlog.h>

#include "core/time.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/http_status.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr std::int64_t kResetLinkLifetimeS = 3600;

nlohmann::json field(const std::string& name, const std::string& label, const std::string& type,
                     const std::string& autocomplete, const std::string& value = "") {
  return {{"name", name},   {"label", label},  {"type", type}, {"autocomplete", autocomplete},
          {"value", value}, {"required", true}};
}

// A form page (login, signup, reset); `error` shown above the form.
Reply form_page(RouteContext& ctx, const Request& req, nlohmann::json model, int status = 200) {
  Reply reply{.status = status, .max_age_s = 0};
  model["csrf"] = ctx.csrf->token_for(req, reply);
  model["title"] = model["heading"];
  personalise(ctx, req, model);
  reply.body = ctx.views.page("auth_form", model);
  return reply;
}

// Why a reader was sent to log in (a logged-out action explains itself); "" for none.
std::string why_notice(std::string_view why) {
  if (why == "upvote") return "Log in to upvote papers. You will be back where you were.";
  if (why == "save") return "Log in to save papers to your collections. You will be back where you were.";
  if (why == "comment") return "Log in to comment. You will be back where you were.";
  if (why == "follow") return "Log in to follow authors, categories and searches.";
  if (why == "submit") return "Log in to submit a paper.";
  return "";
}

// Where login and signup return to: the request's validated `next` ("" for the home page), and
// the same `next` carried by the form and the links between the two pages.
struct ReturnTo {
  std::string next;
  std::string why;
  explicit ReturnTo(const Request& req)
      : next(next_param(req)), why(req.has_param("why") ? req.get_param_value("why") : "") {}
  [[nodiscard]] std::string query() const { return next.empty() ? "" : "?next=" + url_encode(next); }
  void add_to(nlohmann::json& model) const {
    if (!next.empty()) model["hidden"] = {{{"name", "next"}, {"value", next}}};
    model["notice"] = why_notice(why);
  }
};

nlohmann::json login_model(const std::string& email, const std::string& error, const ReturnTo& to) {
  nlohmann::json model = {{"heading", "Log in"},
                          {"action", "/login"},
                          {"submit", "Log in"},
                          {"error", error},
                          {"fields",
                           {field("email", "Email", "email", "username", email),
                            field("password", "Password", "password", "current-password")}},
                          {"links",
                           {{{"url", "/signup" + to.query()}, {"label", "No account? Sign up"}},
                            {{"url", "/password/forgot"}, {"label", "Forgot your password?"}}}}};
  to.add_to(model);
  return model;
}

nlohmann::json signup_model(const std::string& email, const std::string& name, const std::string& error,
                            const ReturnTo& to) {
  nlohmann::json model = {
      {"heading", "Sign up"},
      {"action", "/signup"},
      {"submit", "Create account"},
      {"error", error},
      {"fields",
       {field("name", "Name", "text", "name", name), field("email", "Email", "email", "username", email),
        field("password", "Password (at least 10 characters)", "password", "new-password")}},
      {"links", {{{"url", "/login" + to.query()}, {"label", "Have an account? Log in"}}}}};
  to.add_to(model);
  return model;
}

// A login the service refused (wrong password, or a wait after failures); anything else (the
// database is down) is the server's error, not the client's.
bool is_refusal(const Status& s) {
  return s.code() == StatusCode::kUnauthenticated || s.code() == StatusCode::kRateLimited;
}

// A form page shown again with the reason a service refused it, under the status that reason has.
Reply refused_form(RouteContext& ctx, const Request& req, nlohmann::json model, const Status& why) {
  model["error"] = why.message();
  Reply r = form_page(ctx, req, std::move(model), http_status(why));
  r.retry_after_s = why.retry_after_s();
  return r;
}

// Starts a new session (a fresh id, whatever cookie the client brought) and redirects back to
// where the reader was (a validated same-site `next`), or home.
Result<Reply> log_in(RouteContext& ctx, const Request& req, const app::Account& account) {
  if (std::string old = cookie_value(req, kSessionCookie); !old.empty()) {
    if (Status s = ctx.accounts->end_session(old); !s.is_ok()) return fail(s);
  }
  auto session = ctx.accounts->start_session(account);
  if (!session) return fail(session.error());
  std::string next = next_param(req);
  Reply r = redirect(next.empty() ? "/" : next);
  r.set_cookies.push_back(make_cookie(kSessionCookie, session->secret, ctx.options.account_options.session_lifetime_s,
                                      ctx.csrf->secure_cookies()));
  return r;
}

Result<Reply> account_page(RouteContext& ctx, const Request& req, const app::Account& a, const std::string& new_token) {
  nlohmann::json model = {{"title", "Your account"},
                          {"account_name", a.name},
                          {"email", a.email},
                          {"role", std::string(store::role_name(a.role))},
                          {"new_token", new_token}};
  personalise(ctx, req, model);
  model["csrf"] = ctx.csrf->session_token(req);
  return Reply{.body = ctx.views.page("account", model), .max_age_s = 0};
}

void add_password_reset_routes(RouteContext& ctx) {
  ctx.get("/password/forgot", [&ctx](const Request& req) -> Result<Reply> {
    return form_page(ctx, req,
                     {{"heading", "Reset your password"},
                      {"action", "/password/forgot"},
                      {"submit", "Send reset link"},
                      {"fields", {field("email", "Email", "email", "username")}}});
  });
  ctx.post("/password/forgot", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
    auto email = community::normalise_email(req.get_param_value("email"));
    if (email) {
      if (Status s = ctx.accounts->admit_reset_request(req.remote_addr, *email); !s.is_ok()) {
        if (s.code() != StatusCode::kRateLimited) return fail(s);
        return refused_form(ctx, req,
                            {{"heading", "Reset your password"},
                             {"action", "/password/forgot"},
                             {"submit", "Send reset link"},
                             {"fields", {field("email", "Email", "email", "username")}}},
                            s);
      }
      auto found = ctx.accounts->find_by_email(*email);
      if (!found) return fail(found.error());
      if (*found) {
        // Bound to the current password: once it changes, the link stops working.
        auto fp = ctx.accounts->password_fingerprint((*found)->id);
        if (!fp) return fail(fp.error());
        std::string token = ctx.signer->sign("password-reset", std::to_string((*found)->id) + ":" + *fp,
                                             core::unix_now() + kResetLinkLifetimeS);
        ctx.options.send_mail(*email, "Reset your Paperboy password",
                              "Open this link within an hour to choose a new password:\n" + ctx.base_url() +
                                  "/password/reset?token=" + token + "\n");
      }
    }
    // The same answer whether or not the address has an account.
    return form_page(ctx, req,
                     {{"heading", "Reset your password"},
                      {"action", "/password/forgot"},
                      {"submit", "Send reset link"},
                      {"notice", "If an account uses that address, we sent it a reset link."},
                      {"fields", {field("email", "Email", "email", "username")}}});
  });
  ctx.get("/password/reset", [&ctx](const Request& req) -> Result<Reply> {
    return form_page(ctx, req,
                     {{"heading", "Choose a new password"},
                      {"action", "/password/reset"},
                      {"submit", "Set password"},
                      {"hidden", {{{"name", "token"}, {"value", req.get_param_value("token")}}}},
                      {"fields", {field("password", "New password", "password", "new-password")}}});
  });
  ctx.post("/password/reset", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
    auto subject = ctx.signer->verify(req.get_param_value("token"), "password-reset", core::unix_now());
    if (!subject) return fail(Status::permission_denied("this reset link is invalid or has expired"));
    size_t colon = subject->find(':');
    std::int64_t id = std::stoll(subject->substr(0, colon));
    auto fp = ctx.accounts->password_fingerprint(id);
    if (!fp || *fp != subject->substr(colon + 1)) {
      return fail(Status::permission_denied("this reset link was already used or the account is gone"));
    }
    if (Status s = ctx.accounts->change_password(id, req.get_param_value("password")); !s.is_ok()) return fail(s);
    return redirect("/login");
  });
}

}  // namespace

bool is_personal_request(const Request& req) {
  return req.has_header("Authorization") || !cookie_value(req, kSessionCookie).empty();
}

Result<std::optional<Viewer>> request_viewer(RouteContext& ctx, const Request& req) {
  if (ctx.accounts == nullptr) return std::optional<Viewer>();
  if (req.has_header("Authorization")) {
    std::string auth = req.get_header_value("Authorization");
    if (!auth.starts_with("Bearer ")) return fail(Status::unauthenticated("Authorization: expected Bearer TOKEN"));
    auto account = ctx.accounts->token_account(auth.substr(7));
    if (!account) return fail(account.error());
    if (!*account) return fail(Status::unauthenticated("unknown API token"));
    return std::optional<Viewer>(Viewer{std::move(**account), true});
  }
  std::string session = cookie_value(req, kSessionCookie);
  if (session.empty()) return std::optional<Viewer>();
  auto account = ctx.accounts->session_account(session);
  if (!account) return fail(account.error());
  if (!*account) return std::optional<Viewer>();  // expired or logged out: anonymous
  return std::optional<Viewer>(Viewer{std::move(**account), false});
}

Result<app::Account> signed_in(RouteContext& ctx, const Request& req, Access access) {
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  if (!*viewer) return fail(Status::unauthenticated("log in or send Authorization: Bearer TOKEN"));
  if (access == Access::kChange && !(*viewer)->is_bearer) {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
  }
  return std::move((*viewer)->account);
}

void personalise(RouteContext& ctx, const Request& req, nlohmann::json& model) {
  if (ctx.accounts == nullptr) return;
  model["community"] = true;
  // The header's "Log in" returns here (the login pages keep the `next` they were given).
  bool is_auth_page = req.path == "/login" || req.path == "/signup";
  std::string here = is_auth_page ? next_param(req) : (req.method == "GET" ? req.target : "");
  if (here != "/" && is_same_site_path(here)) model["login_next"] = url_encode(here);
  auto viewer = request_viewer(ctx, req);
  if (!viewer || !*viewer || (*viewer)->is_bearer) return;
  model["viewer"] = {
      {"name", (*viewer)->account.name}, {"csrf", ctx.csrf->session_token(req)}, {"library", ctx.library != nullptr}};
}

void add_auth_routes(RouteContext& ctx) {
  ctx.get("/login", [&ctx](const Request& req) -> Result<Reply> {
    return form_page(ctx, req, login_model("", "", ReturnTo(req)));
  });
  ctx.post("/login", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
    std::string email = req.get_param_value("email");
    auto account = ctx.accounts->authenticate(email, req.get_param_value("password"), req.remote_addr);
    if (!account) {
      if (!is_refusal(account.error())) return fail(account.error());
      return refused_form(ctx, req, login_model(email, "", ReturnTo(req)), account.error());
    }
    return log_in(ctx, req, *account);
  });
  ctx.get("/signup", [&ctx](const Request& req) -> Result<Reply> {
    return form_page(ctx, req, signup_model("", "", "", ReturnTo(req)));
  });
  ctx.post("/signup", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
    std::string email = req.get_param_value("email");
    std::string name = req.get_param_value("name");
    auto account =
        ctx.accounts->sign_up(email, req.get_param_value("password"), name, store::Role::kUser, req.remote_addr);
    if (!account) {
      StatusCode code = account.error().code();
      if (code != StatusCode::kAlreadyExists && code != StatusCode::kInvalidArgument &&
          code != StatusCode::kRateLimited) {
        return fail(account.error());
      }
      return refused_form(ctx, req, signup_model(email, name, "", ReturnTo(req)), account.error());
    }
    return log_in(ctx, req, *account);
  });
  ctx.post("/logout", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
    if (std::string old = cookie_value(req, kSessionCookie); !old.empty()) {
      if (Status s = ctx.accounts->end_session(old); !s.is_ok()) return fail(s);
    }
    Reply r = redirect("/");
    r.set_cookies.push_back(make_cookie(kSessionCookie, "", 0, ctx.csrf->secure_cookies()));
    return r;
  });
  ctx.get("/account", [&ctx](const Request& req) -> Result<Reply> {
    auto account = signed_in(ctx, req, Access::kRead);
    if (!account) return fail(account.error());
    return account_page(ctx, req, *account, "");
  });
  ctx.post("/account/tokens", [&ctx](const Request& req) -> Result<Reply> {
    auto account = signed_in(ctx, req, Access::kChange);
    if (!account) return fail(account.error());
    auto token = ctx.accounts->issue_api_token(*account, req.get_param_value("label").substr(0, 100));
    if (!token) return fail(token.error());
    return account_page(ctx, req, *account, *token);
  });
  ctx.post("/account/delete", [&ctx](const Request& req) -> Result<Reply> {
    auto account = signed_in(ctx, req, Access::kChange);
    if (!account) return fail(account.error());
    auto checked = ctx.accounts->authenticate(account->email, req.get_param_value("password"), req.remote_addr);
    if (!checked || checked->id != account->id) return fail(Status::permission_denied("the password is wrong"));
    if (Status s = ctx.accounts->delete_account(account->id); !s.is_ok()) return fail(s);
    Reply r = redirect("/");
    r.set_cookies.push_back(make_cookie(kSessionCookie, "", 0, ctx.csrf->secure_cookies()));
    return r;
  });
  add_password_reset_routes(ctx);

  ctx.post("/api/auth/signup", [&ctx](const Request& req) -> Result<Reply> {
    auto body = json_body(req);
    if (!body) return fail(body.error());
    auto account = ctx.accounts->sign_up(string_field(*body, "email"), string_field(*body, "password"),
                                         string_field(*body, "name"), store::Role::kUser, req.remote_addr);
    if (!account) return fail(account.error());  // 400, 409, or 429 with Retry-After
    return json_status(201, {{"id", account->id},
                             {"email", account->email},
                             {"name", account->name},
                             {"role", std::string(store::role_name(account->role))}});
  });
  ctx.post("/api/auth/token", [&ctx](const Request& req) -> Result<Reply> {
    auto body = json_body(req);
    if (!body) return fail(body.error());
    auto account =
        ctx.accounts->authenticate(string_field(*body, "email"), string_field(*body, "password"), req.remote_addr);
    if (!account) return fail(account.error());  // 401, or 429 with Retry-After
    std::string label = string_field(*body, "label");
    auto token = ctx.accounts->issue_api_token(*account, label.empty() ? "api" : label.substr(0, 100));
    if (!token) return fail(token.error());
    return json_status(200, {{"token", *token}});
  });
}

}  // namespace paperboy::web
