// Comments on papers: the paper page's comment section and form (POST /papers/ID/comments), edit
// (/comments/ID/edit) and delete (/comments/ID/delete) pages, and the JSON API:
// GET/POST /api/papers/ID/comments, PUT/DELETE /api/comments/ID. Markdown is rendered safely
// (web/markdown.h). Authors edit and delete their own comments; curators and admins delete any.
// New comments are rate-limited per account and limited in size.
#include <charconv>
#include <map>

#include "core/time.h"
#include "web/csrf.h"
#include "web/markdown.h"
#include "web/routes/library.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr int kCommentsShown = 500;

Result<std::string> comment_body(RouteContext& ctx, std::string body) {
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())) != 0) body.pop_back();
  size_t start = 0;
  while (start < body.size() && std::isspace(static_cast<unsigned char>(body[start])) != 0) ++start;
  body.erase(0, start);
  if (body.empty()) return fail(Status::invalid_argument("body: the comment is empty"));
  size_t limit = ctx.options.library_options.comment_max_bytes;
  if (body.size() > limit) {
    return fail(Status::invalid_argument("body: a comment is at most " + std::to_string(limit) +
                                         " bytes (this one is " + std::to_string(body.size()) + ")"));
  }
  return body;
}

bool may_moderate(const store::Account& a) {
  return a.role == store::Role::kCurator || a.role == store::Role::kAdmin;
}

// Account names for comment authors, looked up once per author.
class AuthorNames {
 public:
  explicit AuthorNames(RouteContext& ctx) : ctx_(ctx) {}
  Result<std::string> operator()(std::int64_t id) {
    if (auto it = names_.find(id); it != names_.end()) return it->second;
    auto account = ctx_.accounts->store().get_account(id);
    if (!account) return fail(account.error());
    std::string name = *account ? (*account)->account.name : "former member";
    if (name.empty()) name = "member " + std::to_string(id);
    names_[id] = name;
    return name;
  }

 private:
  RouteContext& ctx_;
  std::map<std::int64_t, std::string> names_;
};

Result<nlohmann::json> comment_json(const store::Comment& c, AuthorNames& names) {
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

Result<std::int64_t> comment_id(const std::string& raw) {
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
  if (ec != std::errc() || ptr != raw.data() + raw.size()) return fail(Status::invalid_argument("bad comment id"));
  return id;
}

// The comment, if `a` may change it: edit needs the author; delete the author or a moderator.
Result<store::Comment> changeable_comment(RouteContext& ctx, const store::Account& a, const std::string& raw,
                                          bool is_delete) {
  auto id = comment_id(raw);
  if (!id) return fail(id.error());
  auto c = ctx.library->get_comment(*id);
  if (!c) return fail(c.error());
  if (!*c) return fail(Status::not_found("no comment " + raw));
  bool allowed = (*c)->account_id == a.id || (is_delete && may_moderate(a));
  if (!allowed) return fail(Status::permission_denied("this comment is not yours"));
  return std::move(**c);
}

// New comments and edits share one budget per account: an edit re-renders the page and
// invalidates the cache as a new comment does.
bool is_within_comment_rate(RouteContext& ctx, const store::Account& a) {
  return ctx.comment_limiter->allow("comment:" + std::to_string(a.id), core::unix_now());
}

// Adds a comment to the paper after the size and rate checks; nullopt with `limited` set when the
// account is over its rate.
Result<std::optional<store::Comment>> post_comment(RouteContext& ctx, const store::Account& a,
                                                   const std::string& raw_paper, const std::string& raw_body) {
  auto paper = find_paper(ctx.store, raw_paper);
  if (!paper) return fail(paper.error());
  auto body = comment_body(ctx, raw_body);
  if (!body) return fail(body.error());
  if (!is_within_comment_rate(ctx, a)) return std::optional<store::Comment>();
  auto c = ctx.library->add_comment(paper->id, a.id, *body, core::unix_now());
  if (!c) return fail(c.error());
  return std::optional<store::Comment>(std::move(*c));
}

std::string rate_message(RouteContext& ctx) {
  const auto& o = ctx.options.library_options;
  return "You can post or edit " + std::to_string(o.comments_per_window) + " comments per " +
         std::to_string(o.comment_window_s) + " seconds; wait a little and try again.";
}

void add_comment_pages(RouteContext& ctx) {
  ctx.post(R"(/papers/(.+)/comments)",
           acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             auto c = post_comment(ctx, a, req.matches[1], req.get_param_value("body"));
             if (!c) return fail(c.error());
             if (!*c)
               return fail(Status::rate_limited(rate_message(ctx), ctx.options.library_options.comment_window_s));
             return redirect("/papers/" + (*c)->paper_id + "#comment-" + std::to_string((*c)->id));
           }));
  ctx.get(R"(/comments/(\d{1,18})/edit)",
          viewing(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
            auto c = changeable_comment(ctx, a, req.matches[1], false);
            if (!c) return fail(c.error());
            nlohmann::json model = {{"title", "Edit your comment"},
                                    {"id", c->id},
                                    {"body", c->body},
                                    {"paper_id", c->paper_id},
                                    {"csrf", ctx.csrf->session_token(req)},
                                    {"max_bytes", ctx.options.library_options.comment_max_bytes}};
            personalise(ctx, req, model);
            return Reply{.body = ctx.views.page("comment_edit", model), .max_age_s = 0};
          }));
  ctx.post(R"(/comments/(\d{1,18})/(edit|delete))",
           acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             bool is_delete = req.matches[2] == "delete";
             auto c = changeable_comment(ctx, a, req.matches[1], is_delete);
             if (!c) return fail(c.error());
             if (is_delete) {
               if (Status s = ctx.library->delete_comment(c->id); !s.is_ok()) return fail(s);
               return redirect("/papers/" + c->paper_id + "#comments");
             }
             auto body = comment_body(ctx, req.get_param_value("body"));
             if (!body) return fail(body.error());
             if (!is_within_comment_rate(ctx, a))
               return fail(Status::rate_limited(rate_message(ctx), ctx.options.library_options.comment_window_s));
             if (Status s = ctx.library->edit_comment(c->id, *body, core::unix_now()); !s.is_ok()) return fail(s);
             return redirect("/papers/" + c->paper_id + "#comment-" + std::to_string(c->id));
           }));
}

void add_comment_api(RouteContext& ctx) {
  ctx.get(R"(/api/papers/(.+)/comments)", [&ctx](const Request& req) -> Result<Reply> {
    auto paper = find_paper(ctx.store, req.matches[1]);
    if (!paper) return fail(paper.error());
    auto comments = ctx.library->comments_on(paper->id, kCommentsShown);
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
           acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto c = post_comment(ctx, a, req.matches[1], string_field(*body, "body"));
             if (!c) return fail(c.error());
             if (!*c)
               return fail(Status::rate_limited(rate_message(ctx), ctx.options.library_options.comment_window_s));
             AuthorNames names(ctx);
             auto j = comment_json(**c, names);
             if (!j) return fail(j.error());
             return json_status(201, *j);
           }));
  ctx.put(R"(/api/comments/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
            auto body = json_body(req);
            if (!body) return fail(body.error());
            auto c = changeable_comment(ctx, a, req.matches[1], false);
            if (!c) return fail(c.error());
            auto text = comment_body(ctx, string_field(*body, "body"));
            if (!text) return fail(text.error());
            if (!is_within_comment_rate(ctx, a))
              return fail(Status::rate_limited(rate_message(ctx), ctx.options.library_options.comment_window_s));
            std::int64_t now = core::unix_now();
            if (Status s = ctx.library->edit_comment(c->id, *text, now); !s.is_ok()) return fail(s);
            c->body = *text;
            c->edited_at = now;
            AuthorNames names(ctx);
            auto j = comment_json(*c, names);
            if (!j) return fail(j.error());
            return json_status(200, *j);
          }));
  ctx.del(R"(/api/comments/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
            auto c = changeable_comment(ctx, a, req.matches[1], true);
            if (!c) return fail(c.error());
            if (Status s = ctx.library->delete_comment(c->id); !s.is_ok()) return fail(s);
            return json_status(200, {{"deleted", c->id}});
          }));
}

}  // namespace

Result<std::string> comments_html(RouteContext& ctx, const Request& req, const std::string& paper_id) {
  if (ctx.library == nullptr) return std::string();
  auto comments = ctx.library->comments_on(paper_id, kCommentsShown);
  if (!comments) return fail(comments.error());
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  const store::Account* me = *viewer && !(*viewer)->is_bearer ? &(*viewer)->account : nullptr;
  std::string csrf = me != nullptr ? ctx.csrf->session_token(req) : "";
  AuthorNames names(ctx);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : *comments) {
    auto name = names(c.account_id);
    if (!name) return fail(name.error());
    bool is_mine = me != nullptr && me->id == c.account_id;
    list.push_back({{"id", c.id},
                    {"author", *name},
                    {"html", render_markdown(c.body)},
                    {"created", core::format_iso_datetime(c.created_at)},
                    {"created_label", core::format_rfc2822(c.created_at)},
                    {"edited", c.edited_at > 0},
                    {"can_edit", is_mine},
                    {"can_delete", is_mine || (me != nullptr && may_moderate(*me))},
                    {"csrf", csrf}});
  }
  nlohmann::json model = {{"comments", list},
                          {"has_comments", !comments->empty()},
                          {"count", std::to_string(comments->size())},
                          {"paper_id", paper_id},
                          {"max_bytes", ctx.options.library_options.comment_max_bytes}};
  if (me != nullptr) model["form"] = {{"csrf", csrf}};
  return ctx.views.render("comments", model);
}

void add_comment_routes(RouteContext& ctx) {
  add_comment_pages(ctx);
  add_comment_api(ctx);
}

}  // namespace paperboy::web
