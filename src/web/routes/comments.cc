// Comments on papers: the paper page's comment section and form (POST /papers/ID/comments), edit
// (/comments/ID/edit) and delete (/comments/ID/delete) pages, and the JSON API:
// GET/POST /api/papers/ID/comments, PUT/DELETE /api/comments/ID. Markdown is rendered safely
// (web/markdown.h). Who may edit and delete, the size limit and the per-account rate are
// app::LibraryService's rules; this file parses requests and renders.
#include <map>

#include "core/time.h"
#include "web/csrf.h"
#include "web/markdown.h"
#include "web/page_text.h"
#include "web/routes/library.h"

namespace paperboy::web {
namespace {

// Account names for comment authors, looked up once per author.
class AuthorNames {
 public:
  explicit AuthorNames(RouteContext& ctx) : ctx_(ctx) {}
  Result<std::string> operator()(std::int64_t id) {
    if (auto it = names_.find(id); it != names_.end()) return it->second;
    auto account = ctx_.accounts->find(id);
    if (!account) return fail(account.error());
    std::string name = *account ? (*account)->name : "former member";
    if (name.empty()) name = "member " + std::to_string(id);
    names_[id] = name;
    return name;
  }

 private:
  RouteContext& ctx_;
  std::map<std::int64_t, std::string> names_;
};

Result<nlohmann::json> comment_json(const app::Comment& c, AuthorNames& names) {
  auto name = names(c.account_id);
  if (!name) return fail(name.error());
  nlohmann::json j = {{"id", c.id},
                      {"paperId", c.paper_id},
                      {"author", {{"id", c.account_id}, {"name", *name}}},
                      {"body", c.body},
                      {"html", render_markdown(c.body)},
                      {"createdAt", core::format_iso_datetime(c.created_at)},
                      {"editedAt", c.edited_at > 0 ? nlohmann::json(core::format_iso_datetime(c.edited_at)) : nullptr}};
  return j;
}

void add_comment_pages(RouteContext& ctx) {
  ctx.post(R"(/papers/(.+)/comments)", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto c = ctx.library->add_comment(a, req.matches[1], req.get_param_value("body"), core::unix_now());
             if (!c) return fail(c.error());
             return redirect("/papers/" + c->paper_id + "#comment-" + std::to_string(c->id));
           }));
  ctx.get(R"(/comments/(\d{1,18})/edit)",
          viewing(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto c = ctx.library->editable_comment(a, std::stoll(req.matches[1]));
            if (!c) return fail(c.error());
            nlohmann::json model = {{"title", "Edit your comment"},
                                    {"id", c->id},
                                    {"body", c->body},
                                    {"paper_id", c->paper_id},
                                    {"csrf", ctx.csrf->session_token(req)},
                                    {"max_bytes", ctx.library->options().comment_max_bytes}};
            personalise(ctx, req, model);
            return Reply{.body = ctx.views.page("comment_edit", model), .max_age_s = 0};
          }));
  ctx.post(R"(/comments/(\d{1,18})/delete)",
           acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto c = ctx.library->delete_comment(a, std::stoll(req.matches[1]));
             if (!c) return fail(c.error());
             return redirect("/papers/" + c->paper_id + "#comments");
           }));
  ctx.post(
      R"(/comments/(\d{1,18})/edit)", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
        auto c =
            ctx.library->edit_comment(a, std::stoll(req.matches[1]), req.get_param_value("body"), core::unix_now());
        if (!c) return fail(c.error());
        return redirect("/papers/" + c->paper_id + "#comment-" + std::to_string(c->id));
      }));
}

void add_comment_api(RouteContext& ctx) {
  ctx.get(R"(/api/papers/(.+)/comments)", [&ctx](const Request& req) -> Result<Reply> {
    auto comments = ctx.library->comments_on(req.matches[1]);
    if (!comments) return fail(comments.error());
    AuthorNames names(ctx);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *comments) {
      auto j = comment_json(c, names);
      if (!j) return fail(j.error());
      out.push_back(std::move(*j));
    }
    return Reply{.body = out.dump(), .content_type = "application/json", .max_age_s = 0};
  });
  ctx.post(R"(/api/papers/(.+)/comments)",
           acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto c = ctx.library->add_comment(a, req.matches[1], string_field(*body, "body"), core::unix_now());
             if (!c) return fail(c.error());
             AuthorNames names(ctx);
             auto j = comment_json(*c, names);
             if (!j) return fail(j.error());
             return json_status(201, *j);
           }));
  ctx.put(R"(/api/comments/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto body = json_body(req);
            if (!body) return fail(body.error());
            auto c =
                ctx.library->edit_comment(a, std::stoll(req.matches[1]), string_field(*body, "body"), core::unix_now());
            if (!c) return fail(c.error());
            AuthorNames names(ctx);
            auto j = comment_json(*c, names);
            if (!j) return fail(j.error());
            return json_status(200, *j);
          }));
  ctx.del(R"(/api/comments/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto c = ctx.library->delete_comment(a, std::stoll(req.matches[1]));
            if (!c) return fail(c.error());
            return json_status(200, {{"deleted", c->id}});
          }));
}

}  // namespace

Result<std::string> comments_html(RouteContext& ctx, const Request& req, const std::string& paper_id) {
  if (ctx.library == nullptr) return std::string();
  auto comments = ctx.library->comments_on(paper_id);
  if (!comments) return fail(comments.error());
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  const app::Account* me = *viewer && !(*viewer)->is_bearer ? &(*viewer)->account : nullptr;
  std::string csrf = me != nullptr ? ctx.csrf->session_token(req) : "";
  AuthorNames names(ctx);
  nlohmann::json list = nlohmann::json::array();
  std::int64_t now = core::unix_now();
  for (const auto& c : *comments) {
    auto name = names(c.account_id);
    if (!name) return fail(name.error());
    list.push_back({{"id", c.id},
                    {"author", *name},
                    {"html", render_markdown(c.body)},
                    {"created", core::format_iso_datetime(c.created_at)},
                    {"created_label", relative_time(c.created_at, now)},
                    {"created_title",
                     plain_date(c.created_at) + ", " + core::format_iso_datetime(c.created_at).substr(11, 5) + " UTC"},
                    {"edited", c.edited_at > 0},
                    {"can_edit", me != nullptr && app::LibraryService::may_edit(*me, c)},
                    {"can_delete", me != nullptr && app::LibraryService::may_delete(*me, c)},
                    {"csrf", csrf}});
  }
  nlohmann::json model = {{"comments", list},
                          {"has_comments", !comments->empty()},
                          {"count", std::to_string(comments->size())},
                          {"paper_id", paper_id},
                          {"login_url", login_path("/papers/" + paper_id + "#comments", "comment")},
                          {"max_bytes", ctx.library->options().comment_max_bytes}};
  if (me != nullptr) model["form"] = {{"csrf", csrf}};
  return ctx.views.render("comments", model);
}

void add_comment_routes(RouteContext& ctx) {
  add_comment_pages(ctx);
  add_comment_api(ctx);
}

}  // namespace paperboy::web
